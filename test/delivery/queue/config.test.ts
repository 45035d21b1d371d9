/**
 * Which queue a project uses (delivery/queue/config.ts): the precedence
 * environment → advisory.yaml → local, each pair on its own; a drill's own
 * local queue; the refusal of a Redis queue over a SQLite ledger; the worker
 * lease; and what a channel account's queue is called and how fast it may go.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSharedLedger, queueConfig, queueLocation, queueName as ledgerQueueName, rateLimit, workerLeaseFromEnv } from '../../../src/delivery/queue/index.js';
import { jobId } from '../../../src/delivery/queue/bullmq.js';
import { parseQueueSpec, redisDb } from '../../../src/delivery/queue/config.js';
import { loadChannelConfig } from '../../../src/config/channels.js';
import { ConfigError } from '../../../src/errors.js';
import { REPO } from '../helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function project(yaml?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'advisory-queue-config-'));
  dirs.push(root);
  if (yaml !== undefined) writeFileSync(join(root, 'advisory.yaml'), yaml);
  return root;
}
const REDIS = 'redis://:s3cret@queue.internal:6379/2';

describe('queueConfig: environment → advisory.yaml → local', () => {
  it('neither: local (in process, zero setup)', async () => {
    expect(await queueConfig({ root: project(), env: {} })).toEqual({ kind: 'local' });
  });

  it('advisory.yaml over the default', async () => {
    expect(await queueConfig({ root: project(`store: postgres://db/x\nqueue: ${REDIS}\n`), env: {} })).toEqual({ kind: 'redis', url: REDIS });
  });

  it('the environment over advisory.yaml', async () => {
    const root = project(`queue: ${REDIS}\n`);
    expect(await queueConfig({ root, env: { ADVISORY_QUEUE: 'local' } })).toEqual({ kind: 'local' });
    expect(await queueConfig({ root, env: { ADVISORY_QUEUE: 'rediss://other:6380' } })).toEqual({ kind: 'redis', url: 'rediss://other:6380' });
  });

  it('the environment over the default; an empty ADVISORY_QUEUE counts as unset', async () => {
    const root = project();
    expect(await queueConfig({ root, env: { ADVISORY_QUEUE: REDIS } })).toEqual({ kind: 'redis', url: REDIS });
    expect(await queueConfig({ root, env: { ADVISORY_QUEUE: ' ' } })).toEqual({ kind: 'local' });
  });

  it("a drill's own folder has its own local queue, whatever is configured (the real workers never see a rehearsal)", async () => {
    const root = project(`queue: ${REDIS}\n`);
    expect(await queueConfig({ root, env: { ADVISORY_QUEUE: REDIS }, varDir: join(root, 'var', 'drill') })).toEqual({ kind: 'local' });
    expect(await queueConfig({ root, env: {}, varDir: join(root, 'var') })).toMatchObject({ kind: 'redis' });
  });

  it('a wrong value is a ConfigError pointing at the place, the password masked', async () => {
    const err = await queueConfig({ root: project('queue: amqp://guest:hunter2@mq/x\n'), env: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^advisory\.yaml:1:8 \(queue:\) names the queue as "amqp:\/\/guest:\*\*\*@mq\/x": expected `local`/);
    await expect(queueConfig({ root: project('queue: [a]\n'), env: {} })).rejects.toThrow(/^advisory\.yaml:1:8: queue: must be text/);
    await expect(queueConfig({ root: project(), env: { ADVISORY_QUEUE: 'redis' } })).rejects.toThrow(/^ADVISORY_QUEUE names the queue as "redis"/);
  });

  it('shown with the password masked', () => {
    expect(queueLocation({ kind: 'redis', url: REDIS })).toBe('redis://:***@queue.internal:6379/2');
    expect(queueLocation({ kind: 'local' })).toBe('local');
  });
});

describe('a Redis queue needs a ledger every worker can reach', () => {
  it('refuses SQLite, accepts PostgreSQL; a local queue takes either', () => {
    const sqlite = { kind: 'sqlite', varDir: '/srv/advisory/var' } as const;
    const pg = { kind: 'postgres', url: 'postgres://db/x' } as const;
    expect(() => assertSharedLedger({ kind: 'redis', url: REDIS }, sqlite, '/srv/advisory/var/advisory.db')).toThrow(/the ledger is \/srv\/advisory\/var\/advisory\.db \(SQLite, on this machine only\)/);
    expect(() => assertSharedLedger({ kind: 'redis', url: REDIS }, pg, 'postgres://db/x')).not.toThrow();
    expect(() => assertSharedLedger({ kind: 'local' }, sqlite, 'x')).not.toThrow();
  });
});

describe('ADVISORY_WORKER_LEASE', () => {
  it('seconds, 2 to 3600; default 60 s', () => {
    expect(workerLeaseFromEnv({})).toBe(60_000);
    expect(workerLeaseFromEnv({ ADVISORY_WORKER_LEASE: '2.5' })).toBe(2500);
    expect(() => workerLeaseFromEnv({ ADVISORY_WORKER_LEASE: '1' })).toThrow(/expected seconds from 2 to 3600/);
    expect(() => workerLeaseFromEnv({ ADVISORY_WORKER_LEASE: 'soon' })).toThrow(ConfigError);
  });
});

describe('one queue per ledger and channel account', () => {
  it('sandbox channels share their ledger\'s sandbox queue; a live account is named by a hash that holds no secret; another ledger has other queues', () => {
    const queueName = (c: Parameters<typeof ledgerQueueName>[1]) => ledgerQueueName('3f2a9c0d1e4b', c);
    expect(queueName(loadChannelConfig(REPO, 'email', {}))).toBe('3f2a9c0d1e4b.email.sandbox');
    expect(ledgerQueueName('77aa00bb11cc', loadChannelConfig(REPO, 'email', {}))).toBe('77aa00bb11cc.email.sandbox');
    const a = loadChannelConfig(REPO, 'email', { SMTP_URL: 'smtp://mailer:Pa55@relay.internal:587' });
    const b = loadChannelConfig(REPO, 'email', { SMTP_URL: 'smtp://mailer:Pa55@other.internal:587' });
    expect(queueName(a)).toMatch(/^3f2a9c0d1e4b\.email\.[0-9a-f]{12}$/);
    expect(queueName(a)).not.toBe(queueName(b));
    expect(queueName(a)).toBe(queueName(loadChannelConfig(REPO, 'email', { SMTP_URL: 'smtp://mailer:Pa55@relay.internal:587' })));
    expect(queueName(a)).not.toContain('Pa55');
  });

  it("the account's rate limit from channels/*.yaml: rate_per_second (below one: one per so many seconds), rate_per_minute, else none", () => {
    const email = loadChannelConfig(REPO, 'email', { SMTP_URL: 'smtp://relay.internal:587' });
    expect(rateLimit(email)).toEqual({ max: 50, durationMs: 1000 });
    expect(rateLimit({ ...email, settings: { rate_per_second: 0.5 } })).toEqual({ max: 1, durationMs: 2000 });
    expect(rateLimit({ ...email, settings: { rate_per_minute: 20 } })).toEqual({ max: 20, durationMs: 60_000 });
    expect(rateLimit({ ...email, settings: { rate_per_second: 0 } })).toBeUndefined();
    expect(rateLimit(loadChannelConfig(REPO, 'weibo', {}))).toBeUndefined();
  });

  it('a sandbox has no account and no limit, as in one process (a sandbox publish through the queue was held to 50 a second)', () => {
    const sandbox = loadChannelConfig(REPO, 'email', {});
    expect(sandbox.mode).toBe('sandbox');
    expect(sandbox.settings.rate_per_second).toBe(50);
    expect(rateLimit(sandbox)).toBeUndefined();
  });

  it("a job's id is its delivery's key, with BullMQ's forbidden `:` escaped reversibly", () => {
    const key = '2014-national-day/bulletin/email/2014-09-29T01:00:00.000Z/s-0011223344556677';
    expect(jobId(key)).toBe('2014-national-day/bulletin/email/2014-09-29T01%3A00%3A00.000Z/s-0011223344556677');
    expect(jobId('a%3Ab:c')).toBe('a%253Ab%3Ac');
  });
});

describe('the Redis database in a queue URL (regression: /abc crashed the worker with a ReplyError; /16 left it on database 0)', () => {
  it.each(['abc', '-1', '1.5', '0x2'])('redis://…/%s is refused at parse time, naming where it came from', (db) => {
    expect(() => parseQueueSpec(`redis://:pw@127.0.0.1:6379/${db}`, 'ADVISORY_QUEUE')).toThrow(ConfigError);
    expect(() => parseQueueSpec(`redis://:pw@127.0.0.1:6379/${db}`, 'ADVISORY_QUEUE')).toThrow(/^ADVISORY_QUEUE names the queue redis:\/\/:\*\*\*@127\.0\.0\.1:6379\//);
  });
  it('a whole number, or none, is taken; its number is the database', () => {
    expect(parseQueueSpec('redis://127.0.0.1:6379/16', 'x')).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379/16' });
    expect(redisDb('redis://127.0.0.1:6379/16')).toBe(16);
    expect(redisDb('redis://127.0.0.1:6379')).toBe(0);
    expect(redisDb('redis://127.0.0.1:6379/')).toBe(0);
  });
  it('in advisory.yaml the place is named', async () => {
    const root = project('queue: redis://127.0.0.1:6379/abc\n');
    await expect(queueConfig({ root, env: {} })).rejects.toThrow(/^advisory\.yaml:1:8 \(queue:\)/);
  });
});
