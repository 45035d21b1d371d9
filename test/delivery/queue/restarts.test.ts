/**
 * The servers restarted under the scale-out path (issue 15's fault tests):
 * `advisory run --workers 0` and three `advisory worker` processes sending a
 * live e-mail campaign (a real SMTP server) when
 *
 * - Redis is stopped (SHUTDOWN NOSAVE) mid-publish and a new, empty one is
 *   started on the same port: the jobs are gone, the ledger is not;
 * - PostgreSQL is stopped (pg_ctl stop -m fast: every session ended) under the
 *   running workers and started again on the same data and port.
 *
 * Afterwards each subscriber is mailed, the copies beyond one only of what was
 * in hand at the fault (counted, marked resentAfterCrash), nothing is left
 * `sending` or pending, and the daemon and the workers came back by themselves
 * (still running, and draining on SIGTERM with exit 0). Each test restarts a
 * server of its own (tools/redis-throwaway.sh, tools/pg-throwaway.sh `down` and
 * `up`), never the shared ones; skipped, visibly, unless ADVISORY_TEST_POSTGRES
 * and ADVISORY_TEST_REDIS are set (this machine has the servers: .ci/run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { until, type Proc } from '../daemon-process.js';
import { REPO } from '../helpers.js';
import { IN_HAND_MAX, PG_URL, REDIS_URL, SERVERS, SKIPPED, useQueueCluster, type Bureau, type Servers } from './harness.js';

const run = SERVERS ? describe : describe.skip;
const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** tools/<script> <args>: its stdout (a URL for `start`). Asynchronous: the SMTP server in this process keeps answering. */
async function tool(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('bash', [join(REPO, 'tools', script), ...args], { timeout: 120_000 });
  return stdout.trim();
}

/** A server of this file's own, which it may stop and start again. */
interface Own {
  dir: string;
  url: string;
}
let ownRedis: Own | undefined;
let ownPg: Own | undefined;
let current: Servers | undefined;

beforeAll(async () => {
  if (!SERVERS) return;
  const rd = mkdtempSync(join(tmpdir(), 'advisory-redis-'));
  ownRedis = { dir: rd, url: await tool('redis-throwaway.sh', 'start', rd) };
  const pd = mkdtempSync(join(tmpdir(), 'advisory-pg-'));
  ownPg = { dir: pd, url: await tool('pg-throwaway.sh', 'start', pd) };
}, 120_000);
afterAll(async () => {
  if (ownRedis) await tool('redis-throwaway.sh', 'stop', ownRedis.dir);
  if (ownPg) await tool('pg-throwaway.sh', 'stop', ownPg.dir);
});

const { smtp, bureau, daemon, workers, publish, emailDeliveries, stopAll, verified } = useQueueCluster(() => current!);

/** Every delivery sent; a read that fails (the server coming back) is only a "not yet". */
async function allSent(b: Bureau, what: string, timeoutMs: number): Promise<void> {
  await until(async () => {
    try {
      const ds = await emailDeliveries(b);
      return ds.length === b.list.length && ds.every((d) => d.state === 'sent');
    } catch {
      return false;
    }
  }, timeoutMs, what, 250);
}

/** Worker connections of a queue, as BullMQ sees them in Redis (CLIENT LIST, by the name each worker gives its connection). */
async function workersConnected(redisUrl: string, queue: string): Promise<number> {
  const u = new URL(redisUrl);
  const q = new Queue(queue, { connection: { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: 1 }, prefix: 'advisory' });
  try {
    return await q.getWorkersCount();
  } finally {
    await q.close();
  }
}

const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

run(SERVERS ? 'PostgreSQL + BullMQ: the servers restarted under three workers' : SKIPPED, () => {
  it('Redis restarted mid-publish (SHUTDOWN NOSAVE, a new empty one on the same port): the workers and the daemon reconnect, the relay refills the queue from the ledger; each mailed once bar the counted in-flight, nothing stuck', async () => {
    current = { pg: PG_URL!, redis: ownRedis!.url };
    const b = await bureau(300);
    smtp.fake.slowData(20);
    const d = await daemon(b);
    const ws = await workers(b);
    const queue = /\b[0-9a-f]{12}\.email\.[\w-]+/.exec(ws[0].stderr())![0];
    await until(async () => (await workersConnected(current!.redis, queue)) >= 3, 10_000, 'three workers on the e-mail queue');
    const connected = await workersConnected(current!.redis, queue);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 60, 60_000, 'some messages to arrive');
    const inHand = (await emailDeliveries(b)).filter((x) => x.state === 'sending').length;
    await tool('redis-throwaway.sh', 'down', ownRedis!.dir);
    const atDown = smtp.fake.received.length;
    await sleep(3000);
    const whileDown = smtp.fake.received.length - atDown;
    await tool('redis-throwaway.sh', 'up', ownRedis!.dir);
    const atUp = smtp.fake.received.length;
    expect(atUp, 'the restart came before the campaign was through').toBeLessThan(b.list.length);
    const upAt = Date.now();
    await allSent(b, 'the workers to resume and send the rest after Redis came back', 120_000);
    const resumedMs = Date.now() - upAt;
    expect((await p.exited).code, p.stderr()).toBe(0);
    for (const x of [d, ...ws]) expect(alive(x), x.stderr()).toBe(true);
    // Each worker's connections came back on the new server, under their names.
    await until(async () => (await workersConnected(current!.redis, queue)) >= connected, 20_000, 'the workers to show on the new Redis');
    const { flagged, duplicates } = await verified(b, 3 * IN_HAND_MAX);
    expect(flagged).toBeLessThanOrEqual(3 * IN_HAND_MAX);
    const handled = await stopAll(ws);
    expect(handled).toHaveLength(3);
    await stopAll([d]);
    console.info(`Redis restarted after ${atDown} of 300 (in sending then ${inHand}; ${whileDown} more arrived in its 3 s down): the rest sent ${(resumedMs / 1000).toFixed(1)} s after it was back; resent and counted ${flagged}, arrived twice ${duplicates} (at most ${3 * IN_HAND_MAX}); jobs per worker ${handled.join(', ')}; worker connections ${connected} before, the same after`);
  }, 240_000);

  it('Redis restarted under publish --now sending through the queue with no daemon running (its own relay and workers, three advisory worker processes): it says the queue does not answer, then that it answers again, refills it from the ledger and finishes, exit 0; each mailed once bar the counted in-flight', async () => {
    current = { pg: PG_URL!, redis: ownRedis!.url };
    const b = await bureau(300);
    smtp.fake.slowData(20);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 60, 60_000, 'some messages to arrive');
    await tool('redis-throwaway.sh', 'down', ownRedis!.dir);
    await until(() => /the queue redis:\/\/\S+ does not answer \(.+\): trying again every moment/.test(p.stderr()) || p.child.exitCode !== null, 30_000, 'the publish to say the queue does not answer');
    await tool('redis-throwaway.sh', 'up', ownRedis!.dir);
    expect(smtp.fake.received.length, 'the restart came before the campaign was through').toBeLessThan(b.list.length);
    const published = await p.exited;
    expect(published.code, p.stderr()).toBe(0);
    expect(p.stdout()).toContain('2014-national-day: 300 sent, 0 failed, 0 held, 0 missed');
    expect(p.stderr().match(/the queue redis:\/\/\S+ does not answer/g), p.stderr()).toHaveLength(1);
    expect(p.stderr().match(/the queue redis:\/\/\S+ answers again; sending/g), p.stderr()).toHaveLength(1);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    for (const x of ws) expect(alive(x), x.stderr()).toBe(true);
    const { flagged, duplicates } = await verified(b, 4 * IN_HAND_MAX);
    const handled = await stopAll(ws);
    console.info(`Redis restarted under publish --now with no daemon: exit 0; resent and counted ${flagged}, arrived twice ${duplicates} (at most ${4 * IN_HAND_MAX}); jobs of the three workers ${handled.join(', ')}`);
  }, 240_000);

  it('Redis away under the daemon: its wake does not wait for the relay pass stuck on the reconnect (said in its log after 2 s); Redis back, the rest is sent, each once', async () => {
    current = { pg: PG_URL!, redis: ownRedis!.url };
    const b = await bureau(100);
    smtp.fake.slowData(50);
    const d = await daemon(b);
    const ws = await workers(b, 1);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 10, 60_000, 'some messages to arrive');
    await tool('redis-throwaway.sh', 'down', ownRedis!.dir);
    // The pass that offers the rest again (after the re-offer interval) waits for Redis; the wake goes on without it.
    const line = 'could not hand the due deliveries to the queue';
    await until(() => d.stdout().includes(line) && d.stdout().includes('no answer in 2 s'), 60_000, 'the daemon to say its relay pass got no answer in 2 s');
    expect(d.stdout()).toMatch(/could not hand the due deliveries to the queue redis:\/\/\S+ \(trying again every second; nothing is lost, the ledger keeps them\): no answer in 2 s/);
    await tool('redis-throwaway.sh', 'up', ownRedis!.dir);
    await allSent(b, 'the rest to be sent after Redis came back', 120_000);
    expect((await p.exited).code, p.stderr()).toBe(0);
    expect(alive(d), d.stderr()).toBe(true);
    await verified(b, 2 * IN_HAND_MAX);
    await stopAll([...ws, d]);
  }, 240_000);

  it('PostgreSQL restarted under the running workers (pg_ctl stop -m fast, started again on the same data and port) mid-publish: daemon and workers ride it out; each mailed once bar the counted in-flight, nothing stuck', async () => {
    current = { pg: ownPg!.url, redis: REDIS_URL! };
    const b = await bureau(300);
    smtp.fake.slowData(20);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 60, 60_000, 'some messages to arrive');
    const inHand = (await emailDeliveries(b)).filter((x) => x.state === 'sending').length;
    await tool('pg-throwaway.sh', 'down', ownPg!.dir);
    const atDown = smtp.fake.received.length;
    await sleep(3000);
    const whileDown = smtp.fake.received.length - atDown;
    await tool('pg-throwaway.sh', 'up', ownPg!.dir);
    const atUp = smtp.fake.received.length;
    expect(atUp, 'the restart came before the campaign was through').toBeLessThan(b.list.length);
    const upAt = Date.now();
    await allSent(b, 'the workers to send the rest after PostgreSQL came back', 150_000);
    const resumedMs = Date.now() - upAt;
    for (const x of [d, ...ws]) expect(alive(x), x.stderr()).toBe(true);
    const published = await p.exited;
    const { flagged, duplicates } = await verified(b, 3 * IN_HAND_MAX);
    expect(flagged).toBeLessThanOrEqual(3 * IN_HAND_MAX);
    const handled = await stopAll(ws);
    expect(handled).toHaveLength(3);
    await stopAll([d]);
    // `publish --now` waits for the daemon by reading the ledger: it rides the outage out, saying so once when the
    // server stops answering and once when it answers again, and reports the outcome as ever.
    expect(published.code, p.stderr()).toBe(0);
    expect(p.stdout()).toContain('2014-national-day: 300 sent, 0 failed, 0 held, 0 missed');
    expect(p.stderr().match(/the ledger does not answer \(.+\): waiting up to 300 s for it to come back/g), p.stderr()).toHaveLength(1);
    expect(p.stderr().match(/the ledger answers again \(after \d+ s\)/g), p.stderr()).toHaveLength(1);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    console.info(`PostgreSQL restarted after ${atDown} of 300 (in sending then ${inHand}; ${whileDown} more arrived in its 3 s down): the rest sent ${(resumedMs / 1000).toFixed(1)} s after it was back; resent and counted ${flagged}, arrived twice ${duplicates} (at most ${3 * IN_HAND_MAX}); jobs per worker ${handled.join(', ')}; publish --now rode it out, exit 0`);
  }, 240_000);

  it('PostgreSQL restarted under publish --now sending through the queue with no daemon running (its own relay and workers, three advisory worker processes): it rides the outage out and finishes, exit 0; each mailed once bar the counted in-flight', async () => {
    current = { pg: ownPg!.url, redis: REDIS_URL! };
    const b = await bureau(300);
    smtp.fake.slowData(20);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 60, 60_000, 'some messages to arrive');
    await tool('pg-throwaway.sh', 'down', ownPg!.dir);
    await sleep(3000);
    await tool('pg-throwaway.sh', 'up', ownPg!.dir);
    expect(smtp.fake.received.length, 'the restart came before the campaign was through').toBeLessThan(b.list.length);
    const published = await p.exited;
    expect(published.code, p.stderr()).toBe(0);
    expect(p.stdout()).toContain('2014-national-day: 300 sent, 0 failed, 0 held, 0 missed');
    expect(p.stderr().match(/the ledger does not answer \(.+\): waiting up to 300 s for it to come back/g), p.stderr()).toHaveLength(1);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    for (const x of ws) expect(alive(x), x.stderr()).toBe(true);
    // The copies are of what was in hand at the outage: the publish's own workers' and the three others'.
    const { flagged, duplicates } = await verified(b, 4 * IN_HAND_MAX);
    const handled = await stopAll(ws);
    console.info(`PostgreSQL restarted under publish --now with no daemon: exit 0; resent and counted ${flagged}, arrived twice ${duplicates} (at most ${4 * IN_HAND_MAX}); jobs of the three workers ${handled.join(', ')}`);
  }, 240_000);

  it('PostgreSQL away longer than publish --now waits for it (ADVISORY_LEDGER_OUTAGE=2): it said so once, then stopped with one line, exit 3; the daemon and the workers send everything once it is back', async () => {
    current = { pg: ownPg!.url, redis: REDIS_URL! };
    const b = await bureau(100);
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b, ['email'], { ADVISORY_LEDGER_OUTAGE: '2' });
    await until(() => smtp.fake.received.length >= 20, 60_000, 'some messages to arrive');
    await tool('pg-throwaway.sh', 'down', ownPg!.dir);
    const published = await p.exited;
    await tool('pg-throwaway.sh', 'up', ownPg!.dir);
    expect(published.code, p.stderr()).toBe(3);
    expect(p.stderr().match(/the ledger does not answer \(.+\): waiting up to 2 s for it to come back/g), p.stderr()).toHaveLength(1);
    const last = p.stderr().trim().split('\n').pop()!;
    expect(last).toMatch(/the connection to the ledger postgres:\/\/\S+ failed \(.+\)\. What was not committed is not recorded: run the command again once the server is back\./);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    await allSent(b, 'the daemon and the workers to send the rest after PostgreSQL came back', 150_000);
    for (const x of [d, ...ws]) expect(alive(x), x.stderr()).toBe(true);
    await verified(b, 3 * IN_HAND_MAX);
    await stopAll([...ws, d]);
  }, 240_000);
});
