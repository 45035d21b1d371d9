/**
 * Told to stop while Redis is away: `advisory run` (with its own queue worker),
 * `advisory worker` and `publish --now` through the queue let the sends in
 * hand finish and record them in the ledger, say in one line that the queue
 * does not answer, and exit without waiting for Redis to come back (they used
 * to wait for the reconnect, or for ever: BullMQ's graceful close waits for
 * Redis). Nothing is lost: with Redis back, a daemon and a worker send the
 * rest, and each subscriber is mailed exactly once.
 *
 * Real processes of the built CLI, PostgreSQL (ADVISORY_TEST_POSTGRES) and a
 * Redis of this file's own, stopped and started again with
 * tools/redis-throwaway.sh `down` / `up`; skipped, visibly, unless
 * ADVISORY_TEST_POSTGRES and ADVISORY_TEST_REDIS are set. The bounds are wide
 * (a loaded machine): each process must exit within EXIT_BOUND_MS of its
 * SIGTERM, while Redis stays down for REDIS_DOWN_MS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { until, type Proc } from '../daemon-process.js';
import { REPO } from '../helpers.js';
import { PG_URL, SERVERS, SKIPPED, useQueueCluster, type Bureau, type Servers } from './harness.js';

const run = SERVERS ? describe : describe.skip;
const exec = promisify(execFile);

/** A process told to stop must be gone this soon after SIGTERM, Redis away (it stays away longer: REDIS_DOWN_MS). */
const EXIT_BOUND_MS = 20_000;
/** Redis is kept down at least this long after the SIGTERM, unless every process has exited before. */
const REDIS_DOWN_MS = 60_000;
/** The one line a process says when it stops without waiting for Redis. */
const AWAY = /the queue redis:\/\/\S+ does not answer: stopping without waiting for it/g;

async function tool(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('bash', [join(REPO, 'tools', script), ...args], { timeout: 120_000 });
  return stdout.trim();
}

let own: { dir: string; url: string } | undefined;
beforeAll(async () => {
  if (!SERVERS) return;
  const dir = mkdtempSync(join(tmpdir(), 'advisory-redis-'));
  own = { dir, url: await tool('redis-throwaway.sh', 'start', dir) };
}, 120_000);
afterAll(async () => {
  if (own) await tool('redis-throwaway.sh', 'stop', own.dir);
});

const servers = (): Servers => ({ pg: PG_URL!, redis: own!.url });
const { smtp, bureau, daemon, workers, publish, emailDeliveries, allSent, stopAll, verified } = useQueueCluster(servers);

/** SIGTERM each process and wait (Redis away) for them to exit: how long each took, with its exit. */
async function terminate(ps: Proc[]): Promise<Array<{ ms: number; code: number | null; signal: NodeJS.Signals | null }>> {
  const t = Date.now();
  for (const p of ps) p.child.kill('SIGTERM');
  return Promise.all(ps.map(async (p) => {
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), REDIS_DOWN_MS).unref());
    const r = await Promise.race([p.exited, timeout]);
    return r ? { ms: Date.now() - t, ...r } : { ms: Infinity, code: null, signal: null };
  }));
}

/** What the ledger says of the campaign's e-mail: the states, and no claim left in `sending`. */
async function states(b: Bureau): Promise<Record<string, number>> {
  const n: Record<string, number> = {};
  for (const d of await emailDeliveries(b)) n[d.state] = (n[d.state] ?? 0) + 1;
  return n;
}

const all = (p: Proc) => p.stdout() + p.stderr();

run(SERVERS ? 'PostgreSQL + BullMQ: told to stop while Redis is away' : SKIPPED, () => {
  it('advisory run (its own worker) and advisory worker, SIGTERM while Redis is down mid-send: the sends in hand finish and are recorded, one line says the queue does not answer, each exits 0 within the bound with Redis still down; Redis back, a daemon and a worker send the rest, each mailed once', async () => {
    const b = await bureau(60);
    // Slow answers (4 s a message): the workers' jobs (3 each) are in hand when Redis goes and when they are told to stop.
    smtp.fake.slowData(4000);
    const d = await daemon(b, 1);
    const [w] = await workers(b, 1);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 6, 90_000, 'some messages to arrive');
    // Handed over, it only waits; once the daemon stops it would take over through the queue (and, Redis away, stop
    // with exit 3): not this test's subject, so it goes.
    p.child.kill('SIGKILL');
    // A batch just begun: its sends are in hand for the next 4 s.
    const before = smtp.fake.received.length;
    await until(() => smtp.fake.received.length > before, 60_000, 'a batch to end');
    await until(async () => ((await states(b)).sending ?? 0) >= 2, 30_000, 'the next sends in hand');
    await tool('redis-throwaway.sh', 'down', own!.dir);
    const inHand = (await emailDeliveries(b)).filter((x) => x.state === 'sending').map((x) => x.key);
    const receivedAtTerm = smtp.fake.received.length;
    const [daemonExit, workerExit] = await terminate([d, w]);
    // Still down: what follows was done without Redis.
    const atExit = await states(b);
    const stateAtExit = new Map((await emailDeliveries(b)).map((x) => [x.key, x.state]));
    const receivedAtExit = smtp.fake.received.length;
    await tool('redis-throwaway.sh', 'up', own!.dir);

    for (const [who, x, exit] of [['advisory run', d, daemonExit], ['advisory worker', w, workerExit]] as const) {
      expect(exit.ms, `${who} exited ${(exit.ms / 1000).toFixed(1)} s after SIGTERM\n${all(x)}`).toBeLessThan(EXIT_BOUND_MS);
      expect(exit.code, all(x)).toBe(0);
      expect(all(x).match(AWAY), all(x)).toHaveLength(1);
      expect(x.stderr()).not.toMatch(/\n\s+at /);
    }
    expect(d.stderr()).toContain('advisory run: SIGTERM: finishing in-flight sends and stopping');
    expect(w.stderr()).toMatch(/SIGTERM: finishing the jobs in hand, then stopping\.[\s\S]*does not answer: stopping without waiting for it[\s\S]*stopped after \d+ job\(s\)\./);
    // The sends in hand finished and were recorded: nothing left `sending`, and the ledger's `sent` is what arrived.
    expect(inHand.filter((key) => stateAtExit.get(key) !== 'sent')).toEqual([]);
    expect(atExit.sending ?? 0, JSON.stringify(atExit)).toBe(0);
    expect(atExit.sent, JSON.stringify(atExit)).toBe(receivedAtExit);
    expect(receivedAtExit, 'Redis went before the campaign was through').toBeLessThan(b.list.length);

    // Redis back (empty): a daemon and a worker send the rest from the ledger.
    smtp.fake.slowData(20);
    const d2 = await daemon(b, 1);
    const ws = await workers(b, 1);
    await allSent(b, 'the rest to be sent once Redis is back', 120_000);
    await verified(b, 0);
    await stopAll([...ws, d2]);
    // Stopped with Redis up: their jobs acknowledged there, nothing said of it.
    for (const x of [...ws, d2]) expect(all(x)).not.toMatch(AWAY);
    console.info(`SIGTERM with Redis down (${inHand.length} in sending then, ${receivedAtExit - receivedAtTerm} of them arrived after the SIGTERM; ${receivedAtExit} of ${b.list.length} sent at the exits): advisory run exited ${daemonExit.code} after ${(daemonExit.ms / 1000).toFixed(1)} s, advisory worker ${workerExit.code} after ${(workerExit.ms / 1000).toFixed(1)} s; the rest sent after Redis came back, each mailed once`);
  }, 300_000);

  it('advisory run started while Redis is already down (never connected), then SIGTERM: it exits 0 within the bound, saying the queue does not answer', async () => {
    const b = await bureau(3);
    await tool('redis-throwaway.sh', 'down', own!.dir);
    try {
      const d = await daemon(b, 1);
      const [exit] = await terminate([d]);
      expect(exit.ms, `advisory run exited ${(exit.ms / 1000).toFixed(1)} s after SIGTERM\n${all(d)}`).toBeLessThan(EXIT_BOUND_MS);
      expect(exit.code, all(d)).toBe(0);
      expect(all(d).match(AWAY), all(d)).toHaveLength(1);
      console.info(`advisory run started with Redis down, SIGTERM: exit ${exit.code} after ${(exit.ms / 1000).toFixed(1)} s`);
    } finally {
      await tool('redis-throwaway.sh', 'up', own!.dir);
    }
  }, 120_000);

  it('publish --now through the queue (no daemon) whose last sends finish while Redis is down: it records them, says so in one line and exits 0 without waiting for Redis', async () => {
    const b = await bureau(3);
    // Its three deliveries all in hand at once (max_connections 3), each answered after 3 s.
    smtp.fake.slowData(3000);
    const p = publish(b);
    await until(async () => ((await states(b)).sending ?? 0) === 3, 60_000, 'the three sends in hand');
    await tool('redis-throwaway.sh', 'down', own!.dir);
    const t = Date.now();
    try {
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), REDIS_DOWN_MS).unref());
      const r = await Promise.race([p.exited, timeout]);
      const ms = Date.now() - t;
      expect(r, `publish --now still running ${REDIS_DOWN_MS / 1000} s after Redis went\n${all(p)}`).not.toBeNull();
      expect(ms).toBeLessThan(EXIT_BOUND_MS);
      expect(r!.code, all(p)).toBe(0);
      expect(p.stdout()).toContain('2014-national-day: 3 sent, 0 failed, 0 held, 0 missed');
      expect(all(p).match(AWAY), all(p)).toHaveLength(1);
      expect(p.stderr()).not.toMatch(/\n\s+at /);
      expect(await states(b)).toEqual({ sent: 3 });
      console.info(`publish --now through the queue, Redis down under its last three sends: exit ${r!.code} ${(ms / 1000).toFixed(1)} s after Redis went`);
    } finally {
      await tool('redis-throwaway.sh', 'up', own!.dir);
    }
    await verified(b, 0);
  }, 120_000);
});
