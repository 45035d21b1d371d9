/**
 * PostgreSQL stopped under a foreground `publish --now` that is sending (no
 * daemon, `queue: local`), and under `advisory run` sending: real processes of
 * the built CLI, live e-mail to a real SMTP server on 127.0.0.1
 * (test/fakes/smtp.ts), a PostgreSQL server of this file's own, stopped as an
 * operator stops it (`pg_ctl stop -m fast`: every session ended) and started
 * again on the same data and port (tools/pg-throwaway.sh `down` / `up`).
 *
 * Where the outage falls is placed with a failpoint: the publish freezes
 * itself (SIGSTOP) right after the 40th message was accepted by the server and
 * before its `sent` is recorded; the server is stopped, then the publish is
 * let go. So at least one message is always sent and not yet recorded when the
 * ledger goes away: the case that would be sent twice if it were forgotten.
 *
 * Skipped, visibly, unless ADVISORY_TEST_POSTGRES is set (the machine has
 * PostgreSQL's binaries; this file starts a server of its own with them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertBuilt, startProcess, until, type Proc } from './daemon-process.js';
import { REPO } from './helpers.js';
import { approve, CAMPAIGN, emailProject, people, smtpEnv, subscribe, useSmtp } from '../channels/email/harness.js';
import { freshSchema, PG_SKIPPED, PG_URL } from './store/postgres-harness.js';
import { freePort } from './queue/harness.js';
import { openStore, type Delivery, type Store } from '../../src/delivery/store/index.js';
import { UNRECORDED_FILE } from '../../src/app/unrecorded-sends.js';

const run = PG_URL ? describe : describe.skip;
const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SUBSCRIBERS = 120;
/** The publish freezes itself right after this message was accepted, before its `sent` is recorded. */
const FROZEN_AT = 40;

async function tool(...args: string[]): Promise<string> {
  const { stdout } = await exec('bash', [join(REPO, 'tools/pg-throwaway.sh'), ...args], { timeout: 120_000 });
  return stdout.trim();
}

let own: { dir: string; url: string } | undefined;
beforeAll(async () => {
  if (!PG_URL) {
    console.info(PG_SKIPPED);
    return;
  }
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'advisory-pg-outage-'));
  own = { dir, url: await tool('start', dir) };
}, 120_000);
afterAll(async () => {
  if (own) await tool('stop', own.dir);
});

const smtp = useSmtp();
const procs: Proc[] = [];
const stores: Store[] = [];
afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  for (const s of stores) await s.close().catch(() => {});
});

interface Bureau {
  root: string;
  env: Record<string, string>;
  store: Store;
}

async function bureau(): Promise<Bureau> {
  const schema = freshSchema();
  const root = emailProject(smtp.dirs, { max_connections: 3, rate_per_second: 0 });
  const env = smtpEnv(smtp.fake, { ADVISORY_STORE: `${own!.url}?schema=${schema}` });
  await subscribe(root, env, people(SUBSCRIBERS));
  await approve(root, env);
  const store = await openStore({ kind: 'postgres', url: own!.url, schema });
  stores.push(store);
  return { root, env, store };
}

function start(args: string[], env: Record<string, string>): Proc {
  const p = startProcess([...args, '--lang', 'en'], env);
  procs.push(p);
  return p;
}

const publish = (b: Bureau, env: Record<string, string> = {}) => start(['publish', CAMPAIGN, '--now', '--channel', 'email', '--root', b.root], { ...b.env, ...env });

/** Whether the process is stopped (SIGSTOP: state T in /proc). */
function frozen(p: Proc): boolean {
  try {
    return /^\d+ \(.*\) T /.test(readFileSync(`/proc/${p.child.pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function freezeThenStopServer(p: Proc): Promise<void> {
  await until(() => frozen(p) || p.child.exitCode !== null, 60_000, `the publish to freeze after message ${FROZEN_AT}`);
  expect(p.child.exitCode, p.stderr()).toBeNull();
  await tool('down', own!.dir);
  p.child.kill('SIGCONT');
}

const emailRows = async (b: Bureau): Promise<Delivery[]> => (await b.store.list({ campaign: CAMPAIGN })).filter((d) => d.channel === 'email');

/** Each subscriber mailed exactly once, every delivery sent, none marked a possible duplicate. */
async function eachMailedOnce(b: Bureau): Promise<void> {
  const rows = await emailRows(b);
  expect(rows).toHaveLength(SUBSCRIBERS);
  expect(rows.filter((d) => d.state !== 'sent').map((d) => `${d.key}: ${d.state} ${d.reason}`)).toEqual([]);
  expect(rows.filter((d) => d.receipt?.details?.resentAfterCrash === true).map((d) => d.key)).toEqual([]);
  expect(smtp.fake.duplicates()).toEqual([]);
  expect(smtp.fake.received).toHaveLength(SUBSCRIBERS);
  expect([...new Set(smtp.fake.recipients())].sort()).toEqual(people(SUBSCRIBERS).map((p) => p.address).sort());
}

const AWAY = /the ledger does not answer \(.+\): sending paused, waiting up to (\d+) s for it to come back/g;
const BACK = /the ledger answers again \(after \d+ s\); sending/g;

run(PG_URL ? 'PostgreSQL stopped while publish --now sends in the foreground (queue: local, no daemon)' : PG_SKIPPED, () => {
  it(`down a few seconds after message ${FROZEN_AT} was accepted and before it was recorded: it says so once each way, finishes, exit 0; each subscriber mailed exactly once, nothing left pending or sending`, async () => {
    const b = await bureau();
    const p = publish(b, { ADVISORY_FAILPOINT: `after-publish:${FROZEN_AT}:stop` });
    await freezeThenStopServer(p);
    await until(() => (p.stderr().match(AWAY)?.length ?? 0) > 0 || p.child.exitCode !== null, 30_000, 'the publish to say the ledger does not answer');
    const heldAt = smtp.fake.received.length;
    await sleep(3000);
    // Nothing more is sent while the ledger cannot record it (the runners in flight at the stop excepted: at most 3).
    expect(smtp.fake.received.length).toBe(heldAt);
    expect(heldAt).toBeLessThan(FROZEN_AT + 3);
    await tool('up', own!.dir);
    const r = await p.exited;
    expect(r.code, p.stderr()).toBe(0);
    expect(p.stdout()).toContain(`${CAMPAIGN}: ${SUBSCRIBERS} sent, 0 failed, 0 held, 0 missed`);
    expect(p.stderr().match(AWAY), p.stderr()).toHaveLength(1);
    expect(p.stderr().match(AWAY)![0]).toContain('waiting up to 300 s');
    expect(p.stderr().match(BACK), p.stderr()).toHaveLength(1);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    await eachMailedOnce(b);
    expect(existsSync(join(b.root, 'var', UNRECORDED_FILE))).toBe(false);
  }, 180_000);

  it('down longer than ADVISORY_LEDGER_OUTAGE=2: said once, then one line, exit 3; what it had sent is kept, and the same command run again records it and sends the rest: each mailed exactly once', async () => {
    const b = await bureau();
    const p = publish(b, { ADVISORY_FAILPOINT: `after-publish:${FROZEN_AT}:stop`, ADVISORY_LEDGER_OUTAGE: '2' });
    await freezeThenStopServer(p);
    const r = await p.exited;
    await tool('up', own!.dir);
    expect(r.code, p.stderr()).toBe(3);
    expect(p.stderr().match(AWAY), p.stderr()).toHaveLength(1);
    expect(p.stderr().match(AWAY)![0]).toContain('waiting up to 2 s');
    expect(p.stderr()).not.toMatch(BACK);
    const last = p.stderr().trim().split('\n').pop()!;
    expect(last).toMatch(/the connection to the ledger postgres:\/\/\S+ failed \(.+\)\. What was not committed is not recorded: run the command again once the server is back\./);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    // What it had sent and could not record (at least the message it froze after), and what it had claimed and not sent.
    const kept = readFileSync(join(b.root, 'var', UNRECORDED_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { receipt?: unknown; unsent?: true });
    const keptSent = kept.filter((e) => e.receipt).length;
    expect(keptSent).toBeGreaterThanOrEqual(1);
    const sentBefore = smtp.fake.received.length;
    expect(sentBefore).toBeLessThan(SUBSCRIBERS);

    const again = publish(b);
    const r2 = await again.exited;
    expect(r2.code, again.stderr()).toBe(0);
    expect(again.stderr()).toMatch(new RegExp(`recorded ${keptSent} deliver(y|ies) an earlier run had sent while the ledger did not answer`));
    expect(again.stdout()).toMatch(/^resumed: \d+ finished/m);
    await eachMailedOnce(b);
    expect(existsSync(join(b.root, 'var', UNRECORDED_FILE))).toBe(false);
    console.info(`past the bound: ${sentBefore} of ${SUBSCRIBERS} mailed, ${keptSent} of them kept as sent and unrecorded, ${kept.length - keptSent} claims kept as never sent; the rerun recorded them and sent the rest, each once`);
  }, 180_000);
});

run(PG_URL ? 'PostgreSQL stopped while advisory run sends (queue: local)' : PG_SKIPPED, () => {
  it(`down a few seconds after message ${FROZEN_AT} was accepted and before it was recorded: the daemon rides it out and sends the rest; each subscriber mailed exactly once; publish --now waiting for it exits 0`, async () => {
    const b = await bureau();
    const d = start(['run', '--root', b.root, '--port', String(await freePort()), '--staff-port', '0'], { ...b.env, ADVISORY_FAILPOINT: `after-publish:${FROZEN_AT}:stop` });
    await until(() => d.stderr().includes('serving') || d.child.exitCode !== null, 20_000, 'the daemon to start');
    const p = publish(b);
    await freezeThenStopServer(d);
    await sleep(3000);
    await tool('up', own!.dir);
    const r = await p.exited;
    expect(r.code, `${p.stderr()}\n--- daemon:\n${d.stderr()}`).toBe(0);
    expect(p.stdout()).toContain(`${CAMPAIGN}: ${SUBSCRIBERS} sent, 0 failed, 0 held, 0 missed`);
    expect(d.child.exitCode, d.stderr()).toBeNull();
    // The daemon's log says it once each way; the publish waiting for it rode the outage out as ever.
    expect(d.stdout().match(AWAY), d.stdout()).toHaveLength(1);
    expect(d.stdout().match(BACK), d.stdout()).toHaveLength(1);
    expect(p.stderr().match(/the ledger does not answer \(.+\): waiting up to 300 s/g), p.stderr()).toHaveLength(1);
    d.child.kill('SIGTERM');
    expect((await d.exited).code, d.stderr()).toBe(0);
    await eachMailedOnce(b);
  }, 180_000);

  it('told to stop (SIGTERM) while the ledger is away: it stops waiting for it, exit 3 with one line (its lock cannot be released), keeping what it sent; the publish waiting for it finishes in the foreground once the server is back and records those: each mailed exactly once', async () => {
    const b = await bureau();
    const d = start(['run', '--root', b.root, '--port', String(await freePort()), '--staff-port', '0'], { ...b.env, ADVISORY_FAILPOINT: `after-publish:${FROZEN_AT}:stop` });
    await until(() => d.stderr().includes('serving') || d.child.exitCode !== null, 20_000, 'the daemon to start');
    const p = publish(b);
    await freezeThenStopServer(d);
    await until(() => (d.stdout().match(AWAY)?.length ?? 0) > 0 || d.child.exitCode !== null, 30_000, 'the daemon to say the ledger does not answer');
    d.child.kill('SIGTERM');
    const stopped = await d.exited;
    await tool('up', own!.dir);
    expect(stopped.code, d.stderr()).toBe(3);
    expect(d.stderr().trim().split('\n').pop()).toMatch(/^advisory run: the connection to the ledger postgres:\/\/\S+ failed \(.+\)\. What was not committed is not recorded/);
    expect(d.stderr()).not.toMatch(/\n\s+at /);
    const r = await p.exited;
    expect(r.code, p.stderr()).toBe(0);
    expect(p.stderr()).toMatch(/stopped before finishing; finishing in the foreground/);
    expect(p.stderr()).toMatch(/recorded \d+ deliver(y|ies) an earlier run had sent while the ledger did not answer/);
    const rows = await emailRows(b);
    expect(rows.filter((x) => x.state !== 'sent')).toEqual([]);
    // What the daemon had claimed and not yet handed to the server is checked as after a crash: sent now, counted.
    const flagged = rows.filter((x) => x.receipt?.details?.resentAfterCrash === true).length;
    expect(flagged).toBeLessThanOrEqual(2 * 3);
    expect(smtp.fake.duplicates()).toEqual([]);
    expect(smtp.fake.received).toHaveLength(SUBSCRIBERS);
    expect([...new Set(smtp.fake.recipients())]).toHaveLength(SUBSCRIBERS);
    console.info(`daemon stopped during the outage: the publish recorded its kept sends; ${flagged} claims checked as after a crash and sent, none twice`);
  }, 180_000);
});
