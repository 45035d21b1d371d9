/**
 * The scale-out path end to end, as a bureau would run it: the ledger in
 * PostgreSQL, the work on BullMQ queues in Redis, `advisory run --workers 0`
 * (the clock, the relay, the listeners) and THREE `advisory worker`
 * processes (the built CLI, real processes) sending a live e-mail campaign to
 * a real SMTP server (test/fakes/smtp.ts). Faults: a worker SIGKILLed
 * mid-send, the queue flushed (FLUSHALL) mid-publish; and the account's rate
 * limit held across the three. Skipped, visibly, unless ADVISORY_TEST_POSTGRES
 * and ADVISORY_TEST_REDIS name servers (.ci/run starts throwaway ones:
 * tools/pg-throwaway.sh, tools/redis-throwaway.sh).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { assertBuilt, startProcess, until, type Proc } from '../daemon-process.js';
import { approve, CAMPAIGN, emailProject, people, smtpEnv, subscribe, useSmtp } from '../../channels/email/harness.js';
import { PG_URL, Schemas } from '../store/postgres-harness.js';
import { openStore, type Delivery, type Store } from '../../../src/delivery/store/index.js';

const REDIS_URL = process.env.ADVISORY_TEST_REDIS?.trim() || undefined;
const SKIPPED = `PostgreSQL + Redis workers: skipped, ${[!PG_URL && 'ADVISORY_TEST_POSTGRES', !REDIS_URL && 'ADVISORY_TEST_REDIS'].filter(Boolean).join(' and ')} not set (tools/pg-throwaway.sh and tools/redis-throwaway.sh start print them)`;
const run = PG_URL && REDIS_URL ? describe : describe.skip;

const MAX_CONNECTIONS = 3;
/** A worker's claims are only those in hand: its concurrency (e-mail's max_connections). */
const IN_HAND_MAX = MAX_CONNECTIONS;
/** How long a silent worker's claim is kept (s): short, so the tests see a dead worker's claim taken over quickly. */
const LEASE_S = 2;

const smtp = useSmtp();
const schemas = new Schemas();
const procs: Proc[] = [];
let redis: Redis | undefined;

beforeAll(() => {
  if (!PG_URL || !REDIS_URL) {
    console.info(SKIPPED);
    return;
  }
  assertBuilt();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await redis?.quit();
});
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await schemas.drop();
  await redis?.flushall();
});

interface Bureau {
  root: string;
  env: Record<string, string>;
  list: Array<{ address: string }>;
  store: Store;
}

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function bureau(n: number, email: Record<string, string | number> = {}): Promise<Bureau> {
  const root = emailProject(smtp.dirs, { max_connections: MAX_CONNECTIONS, rate_per_second: 0, ...email });
  const schema = schemas.fresh();
  const env = smtpEnv(smtp.fake, {
    ADVISORY_STORE: `${PG_URL}${PG_URL!.includes('?') ? '&' : '?'}schema=${schema}`,
    ADVISORY_QUEUE: REDIS_URL!,
    ADVISORY_WORKER_LEASE: String(LEASE_S),
  });
  const list = people(n);
  await subscribe(root, env, list);
  await approve(root, env);
  const store = await openStore({ kind: 'postgres', url: PG_URL!, schema });
  open.push(store);
  return { root, env, list, store };
}

function start(args: string[], env: Record<string, string>): Proc {
  const p = startProcess([...args, '--lang', 'en'], env);
  procs.push(p);
  return p;
}

async function daemon(b: Bureau, inProcess = 0): Promise<Proc> {
  const d = start(['run', '--root', b.root, '--port', String(await freePort()), '--staff-port', '0', ...(inProcess === 1 ? [] : ['--workers', String(inProcess)])], b.env);
  await until(() => d.stderr().includes('serving') || d.child.exitCode !== null, 20_000, 'the daemon to start');
  if (d.child.exitCode !== null) throw new Error(`daemon exited ${d.child.exitCode}\n${d.stderr()}`);
  expect(d.stderr()).toContain(inProcess === 0 ? 'no workers in this process' : `${inProcess} worker(s) in this process`);
  return d;
}

async function workers(b: Bureau, n = 3): Promise<Proc[]> {
  const ws = Array.from({ length: n }, () => start(['worker', '--root', b.root], b.env));
  for (const w of ws) {
    await until(() => /advisory worker \d+: sending/.test(w.stderr()) || w.child.exitCode !== null, 20_000, 'a worker to start');
    if (w.child.exitCode !== null) throw new Error(`worker exited ${w.child.exitCode}\n${w.stderr()}`);
  }
  return ws;
}

/** `advisory publish --now`: handed to the running daemon, which relays it to the queue. */
function publish(b: Bureau): Proc {
  return start(['publish', CAMPAIGN, '--now', '--channel', 'email', '--root', b.root], b.env);
}

const emailDeliveries = async (b: Bureau): Promise<Delivery[]> => (await b.store.list({ campaign: CAMPAIGN })).filter((d) => d.channel === 'email');

async function allSent(b: Bureau, what: string, timeoutMs = 90_000): Promise<void> {
  await until(async () => {
    const ds = await emailDeliveries(b);
    return ds.length === b.list.length && ds.every((d) => d.state === 'sent');
  }, timeoutMs, what, 200);
}

/** SIGTERM each: it finishes the jobs in hand and exits 0, saying how many it handled. */
async function stopAll(ps: Proc[]): Promise<number[]> {
  for (const p of ps) p.child.kill('SIGTERM');
  const handled: number[] = [];
  for (const p of ps) {
    const r = await p.exited;
    expect(r.code, p.stderr()).toBe(0);
    const m = /stopped after (\d+) job/.exec(p.stderr());
    if (m) handled.push(Number(m[1]));
  }
  return handled;
}

/**
 * Everyone got it; the copies beyond one are of deliveries the ledger marks resentAfterCrash, at most
 * `duplicatesMax` of them. Returns the counts.
 */
async function verified(b: Bureau, duplicatesMax: number): Promise<{ flagged: number; duplicates: number }> {
  const ds = await emailDeliveries(b);
  expect(ds).toHaveLength(b.list.length);
  expect(ds.filter((d) => d.state !== 'sent').map((d) => `${d.key}: ${d.state} ${d.reason}`)).toEqual([]);
  expect([...new Set(smtp.fake.recipients())].sort()).toEqual(b.list.map((p) => p.address).sort());
  const flagged = ds.filter((d) => d.receipt?.details?.resentAfterCrash === true);
  const flaggedIds = new Set(flagged.map((d) => d.receipt!.id));
  const duplicated = [...smtp.fake.copies()].filter(([, n]) => n > 1);
  for (const [id, n] of duplicated) {
    expect(flaggedIds.has(id), `${id} arrived ${n} times but its receipt does not say resentAfterCrash`).toBe(true);
    expect(n).toBe(2);
  }
  expect(duplicated.length).toBeLessThanOrEqual(duplicatesMax);
  expect(smtp.fake.received).toHaveLength(b.list.length + duplicated.length);
  return { flagged: flagged.length, duplicates: duplicated.length };
}

run(PG_URL && REDIS_URL ? 'PostgreSQL + BullMQ, three worker processes' : SKIPPED, () => {
  it('a campaign to 300 subscribers: each mailed once, the work spread over the three workers, which drain and exit 0 on SIGTERM', async () => {
    const b = await bureau(300);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await allSent(b, 'all 300 to be sent');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const handled = await stopAll(ws);
    expect(handled).toHaveLength(3);
    for (const n of handled) expect(n).toBeGreaterThan(0);
    const { duplicates, flagged } = await verified(b, 0);
    expect([duplicates, flagged]).toEqual([0, 0]);
    await stopAll([d]);
    console.info(`three workers: 300 sent once; jobs handled per worker ${handled.join(', ')}`);
  }, 120_000);

  it('a worker whose Redis does not answer refuses to start: exit 3, one line naming the queue', async () => {
    const b = await bureau(1);
    const port = await freePort();
    const w = start(['worker', '--root', b.root], { ...b.env, ADVISORY_QUEUE: `redis://:hunter2@127.0.0.1:${port}/0` });
    const r = await w.exited;
    expect(r.code, w.stderr()).toBe(3);
    expect(w.stderr()).toContain(`cannot reach the queue redis://:***@127.0.0.1:${port}/0:`);
    expect(w.stderr()).not.toContain('hunter2');
  }, 60_000);

  it('switched by configuration alone: `advisory run` with its default in-process worker sends the campaign, each once', async () => {
    const b = await bureau(50);
    const d = await daemon(b, 1);
    const p = publish(b);
    await allSent(b, 'all 50 to be sent by the daemon\'s own worker');
    expect((await p.exited).code, p.stderr()).toBe(0);
    await verified(b, 0);
    await stopAll([d]);
  }, 120_000);

  it('a worker SIGKILLed mid-send: its claims are taken over after the lease and reconciled; each mailed once bar those it had in hand (counted), nothing stuck', async () => {
    const b = await bureau(200);
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 50, 60_000, 'some messages to arrive');
    ws[0].child.kill('SIGKILL');
    expect((await ws[0].exited).signal).toBe('SIGKILL');
    const inHand = (await emailDeliveries(b)).filter((x) => x.state === 'sending').length;
    await allSent(b, 'the other two to send the rest, the dead one\'s claims included');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const { flagged, duplicates } = await verified(b, IN_HAND_MAX);
    // Only what the dead worker had in hand is resent (and counted); the live ones' claims were never touched.
    expect(flagged).toBeLessThanOrEqual(IN_HAND_MAX);
    expect(duplicates).toBeLessThanOrEqual(flagged);
    await stopAll([...ws.slice(1), d]);
    console.info(`worker SIGKILLed: in sending at the kill ${inHand} (all workers); resent and counted ${flagged}; arrived twice ${duplicates} (at most ${IN_HAND_MAX})`);
  }, 120_000);

  it('a worker frozen (SIGSTOP) past its lease: the others take over its claims (reconciled, resent, counted); resumed, it cannot record over them; each mailed, copies only of those it had in hand', async () => {
    const b = await bureau(150);
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 40, 60_000, 'some messages to arrive');
    ws[0].child.kill('SIGSTOP');
    // Past the lease (and BullMQ's job lock, the same): the other two judge its claims abandoned.
    await new Promise((r) => setTimeout(r, (LEASE_S + 2) * 1000));
    ws[0].child.kill('SIGCONT');
    await allSent(b, 'the others to take over and send the rest');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const handled = await stopAll(ws);
    const { flagged, duplicates } = await verified(b, IN_HAND_MAX);
    expect(flagged).toBeLessThanOrEqual(IN_HAND_MAX);
    await stopAll([d]);
    console.info(`worker frozen past its lease: resent and counted ${flagged}; arrived twice ${duplicates} (at most ${IN_HAND_MAX}); jobs per worker ${handled.join(', ')}`);
  }, 120_000);

  it('a worker stopped with SIGTERM mid-send drains: its jobs in hand finish and are recorded, it exits 0, the others send the rest; each mailed exactly once', async () => {
    const b = await bureau(150);
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 40, 60_000, 'some messages to arrive');
    const [handled] = await stopAll([ws[0]]);
    expect(handled).toBeGreaterThan(0);
    await allSent(b, 'the other two to send the rest');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const { flagged, duplicates } = await verified(b, 0);
    expect([flagged, duplicates]).toEqual([0, 0]);
    await stopAll([...ws.slice(1), d]);
  }, 120_000);

  it('the queue flushed (FLUSHALL) mid-publish: the relay offers again what the ledger still owes; each mailed exactly once', async () => {
    const b = await bureau(200);
    smtp.fake.slowData(20);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 50, 60_000, 'some messages to arrive');
    await redis!.flushall();
    const atFlush = smtp.fake.received.length;
    expect(atFlush).toBeLessThan(200);
    await allSent(b, 'the relay to re-enqueue and the workers to send the rest');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const { flagged, duplicates } = await verified(b, 0);
    expect([flagged, duplicates]).toEqual([0, 0]);
    await stopAll([...ws, d]);
    console.info(`queue flushed after ${atFlush} of 200: all 200 sent exactly once`);
  }, 120_000);

  it('the account\'s rate limit holds across the three workers (rate_per_second 10: 60 messages take 5 s or more, never 30 in a second as three separate limits would allow)', async () => {
    const b = await bureau(60, { rate_per_second: 10 });
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await allSent(b, 'all 60 to be sent');
    expect((await p.exited).code, p.stderr()).toBe(0);
    await verified(b, 0);
    const times = smtp.fake.received.map((r) => r.at.getTime()).sort((x, y) => x - y);
    const elapsed = times[times.length - 1] - times[0];
    // The most that arrived within any one second: BullMQ counts per fixed window, so up to 2 × 10 can straddle
    // one second (and an arrival lags its job's start by a little); three separate limits would allow 30 and more.
    let peak = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    const handled = await stopAll([...ws, d]);
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    expect(peak).toBeLessThanOrEqual(22);
    console.info(`rate limit across three workers: 60 messages in ${elapsed} ms, at most ${peak} in any second (limit 10/s); jobs per worker ${handled.slice(0, 3).join(', ')}`);
  }, 120_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
