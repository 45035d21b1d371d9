/**
 * A queue worker's e-mail jobs handled as one batch (queue/work-batch.ts
 * handleJobs, queue/gather.ts): on SQLite, and on PostgreSQL too when
 * ADVISORY_TEST_POSTGRES names a server; a test e-mail channel, no Redis.
 * What is pinned: the ledger is asked once per batch (one claim, one read of
 * the recipients, one last look, one `sent` commit), the guarantees of the one
 * by one path hold per delivery (each claim its own fence: a claim taken over
 * before the calls is not sent; a final, not due or claimed key goes
 * sendKey's way), and what a batch can leave behind when its `sent` is never
 * committed (the worker killed, the ledger gone) is its own deliveries only,
 * each reconciled later, none sent twice.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, LockLostError, type Store } from '../../../src/delivery/store/index.js';
import type { SendDeps } from '../../../src/delivery/sender.js';
import { claimFence, gather, handleJobs } from '../../../src/delivery/queue/index.js';
import { parseFailpoints } from '../../../src/delivery/failpoint.js';
import { ChannelError, StateError } from '../../../src/errors.js';
import type { ChannelName } from '../../../src/channels/channel.js';
import { silent, TestChannel, tmpProject } from '../helpers.js';
import { freshSchema, PG_URL, sql } from '../store/postgres-harness.js';

const T0 = new Date('2026-10-01T00:00:00Z');
const LEASE = 10_000;
const C = 5;

/** Calls of the store's methods, by name (the store itself does the work). */
function counted(store: Store, calls: Map<string, number>, before: Partial<Record<keyof Store, () => Promise<void>>> = {}): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
        await before[name as keyof Store]?.();
        return v.apply(target, args);
      };
    },
  });
}

const backends: Array<[string, () => Promise<{ store: Store; drop: () => Promise<void> }>]> = [
  ['SQLite', async () => {
    const dir = tmpProject();
    const store = await openStore({ kind: 'sqlite', varDir: join(dir, 'var') });
    return { store, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }],
  ...(PG_URL ? [['PostgreSQL', async () => {
    const schema = freshSchema();
    const store = await openStore({ kind: 'postgres', url: PG_URL, schema });
    return { store, drop: async () => void (await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)) };
  }] as [string, () => Promise<{ store: Store; drop: () => Promise<void> }>]] : []),
];

describe.each(backends)('a worker\'s e-mail jobs as one batch (%s)', (_name, open) => {
  let root: string;
  let store: Store;
  let drop: () => Promise<void>;
  let now: Date;
  let channel: TestChannel;
  let calls: Map<string, number>;
  let people: string[];

  beforeEach(async () => {
    root = tmpProject();
    ({ store, drop } = await open());
    now = T0;
    channel = new TestChannel('email', 'sandbox', () => {}, C);
    calls = new Map();
    people = [];
    for (let i = 0; i < 8; i++) people.push((await store.addSubscriber({ address: `p${i}@example.org` }, T0)).id);
  });
  afterEach(async () => {
    await store.close();
    await drop();
    rmSync(root, { recursive: true, force: true });
  });

  const deps = (s: Store = store): SendDeps => ({
    store: s, channels: new Map<ChannelName, TestChannel>([['email', channel]]), log: silent, now: () => now, random: () => 0.5,
    root, varDir: join(root, 'var'), failpoints: parseFailpoints(undefined),
    claims: claimFence(s, () => now, LEASE, () => {}),
  });

  /** `n` e-mail deliveries, one per subscriber, due at `due`. */
  async function add(n: number, due = T0, from = 0): Promise<string[]> {
    const ds = people.slice(from, from + n).map((id, i) => ({
      key: `c/s/email/${due.toISOString()}/${id}`, campaign: 'c', schedule: 's', channel: 'email' as const, recipient: id, dueUtc: due.toISOString(),
      windowEndsUtc: '2099-01-01T00:00:00Z', payload: { channel: 'email' as const, kind: 'test', label: `n${from + i}`, body: { i: from + i } }, contentHash: 'h', state: 'pending' as const,
    }));
    await store.createDeliveries(`m-${due.toISOString()}-${from}-${n}`, ds, T0);
    return ds.map((d) => d.key);
  }

  const outcomes = (rs: Array<PromiseSettledResult<unknown>>) => rs.map((r) => (r.status === 'fulfilled' ? r.value : `error: ${(r.reason as Error).name}`));

  it('asks the ledger once per batch: one look-up, one claim, one read of the recipients, one last look, one `sent` commit; each sent once, in its first attempt', async () => {
    const keys = await add(C);
    const rs = await handleJobs(deps(counted(store, calls)), keys, LEASE);
    expect(outcomes(rs)).toEqual(keys.map(() => 'attempted'));
    expect([...channel.delivered.values()]).toEqual(keys.map(() => 1));
    for (const k of keys) expect(await store.get(k)).toMatchObject({ state: 'sent', attempts: 1, receipt: { id: `r-${k}` } });
    // checkFence is the dispatcher lock's look, which a worker does not hold: no read.
    expect(Object.fromEntries(calls)).toEqual({ list: 2, markSendingMany: 1, subscribersById: 1, markSentMany: 1, checkFence: C });
  });

  it('keys that are not pending and due go the one-by-one way: final and unknown acknowledged (unknown told apart: not in this ledger), not due left for the relay, a live claim left alone; the rest of the batch sent', async () => {
    const [sent, claimedElsewhere, due] = await add(3);
    const [later] = await add(1, new Date(T0.getTime() + 60_000), 3);
    await store.markSent(sent, (await store.markSending(sent, T0) as { attempt: number }).attempt, { id: 'r', at: T0.toISOString() }, T0);
    await store.markSending(claimedElsewhere, T0);
    const rs = await handleJobs(deps(), [sent, 'c/s/email/none', later, claimedElsewhere, due], LEASE);
    expect(outcomes(rs)).toEqual(['final', 'not-in-ledger', 'not-due', 'busy', 'attempted']);
    expect([...channel.delivered.keys()]).toEqual([due]);
    expect(await store.get(claimedElsewhere)).toMatchObject({ state: 'sending', attempts: 1 });
  });

  it('each claim is its own fence: one taken over between the claim and the calls (its worker judged dead) is not sent; the others are', async () => {
    const keys = await add(3);
    // While the batch reads its recipients, another worker judges key 1 abandoned and claims it again.
    const takeover = async () => {
      await store.markUnsent(keys[1], T0, 'judged abandoned');
      await store.markSending(keys[1], T0);
    };
    const rs = await handleJobs(deps(counted(store, calls, { subscribersById: takeover })), keys, LEASE);
    expect(outcomes(rs)).toEqual(['attempted', `error: ${LockLostError.name}`, 'attempted']);
    expect([...channel.delivered.keys()].sort()).toEqual([keys[0], keys[2]].sort());
    // The other worker's claim stands, untouched by this batch's `sent` commit.
    expect(await store.get(keys[1])).toMatchObject({ state: 'sending', attempts: 2, receipt: null });
  });

  it('a failure is recorded at once by the retry policy, a recipient who unsubscribed is missed, the rest are recorded sent together', async () => {
    const keys = await add(4);
    channel = new TestChannel('email', 'sandbox', (key) => {
      if (key === keys[0]) throw new ChannelError('email', 'transient', '421 try later', { channelCode: 421 });
    }, C);
    await store.unsubscribeId(people[1], T0, 'test');
    const rs = await handleJobs(deps(counted(store, calls)), keys, LEASE);
    expect(outcomes(rs)).toEqual(keys.map(() => 'attempted'));
    expect(await store.get(keys[0])).toMatchObject({ state: 'pending', attempts: 1, lastError: '421 try later' });
    expect(await store.get(keys[1])).toMatchObject({ state: 'missed' });
    for (const k of keys.slice(2)) expect(await store.get(k)).toMatchObject({ state: 'sent' });
    expect([...channel.delivered.keys()].sort()).toEqual(keys.slice(2).sort());
    expect(calls.get('markSentMany')).toBe(1);
  });

  it('a `sent` commit that never happens (the ledger gone, the worker killed after its calls) leaves only the batch\'s own deliveries in `sending`; after the lease they are reconciled, none sent twice', async () => {
    const keys = await add(C + 2);
    const batch = keys.slice(0, C);
    const gone = async () => {
      throw new Error('Connection terminated unexpectedly');
    };
    const rs = await handleJobs(deps(counted(store, calls, { markSentMany: gone })), batch, LEASE);
    expect(outcomes(rs)).toEqual(batch.map(() => 'error: Error'));
    // What a kill here can repeat: the batch, at most the worker's concurrency; nothing outside it was touched.
    const sending = (await store.list({ state: 'sending' })).map((d) => d.key);
    expect(sending.sort()).toEqual([...batch].sort());
    expect(sending.length).toBeLessThanOrEqual(C);
    expect((await store.list({ state: 'pending' })).map((d) => d.key).sort()).toEqual(keys.slice(C).sort());
    // Within the lease they are a live worker's; past it, the worker that takes them reconciles each first.
    expect(outcomes(await handleJobs(deps(), batch, LEASE))).toEqual(batch.map(() => 'busy'));
    now = new Date(T0.getTime() + LEASE);
    expect(outcomes(await handleJobs(deps(), keys, LEASE))).toEqual(keys.map((_, i) => (i < C ? 'final' : 'attempted')));
    for (const k of batch) expect(await store.get(k)).toMatchObject({ state: 'sent', receipt: { details: { reconciled: true } } });
    expect([...channel.delivered.values()]).toEqual(keys.map(() => 1));
  });

  it('the ledger\'s server away when the batch is to be recorded `sent` (twice), then back: recorded late, not left to be resent; any other error is not waited on', async () => {
    const keys = await add(C);
    let away = 2;
    const outage = async () => {
      if (away-- > 0) throw new StateError('ELEDGER_UNAVAILABLE', 'the ledger postgres://… cannot be reached (57P01: terminating connection due to administrator command)');
    };
    const rs = await handleJobs(deps(counted(store, calls, { markSentMany: outage })), keys, LEASE);
    expect(outcomes(rs)).toEqual(keys.map(() => 'attempted'));
    expect(calls.get('markSentMany')).toBe(3);
    for (const k of keys) expect(await store.get(k)).toMatchObject({ state: 'sent', attempts: 1 });
    expect([...channel.delivered.values()]).toEqual(keys.map(() => 1));
    // A fault that is not the server gone (here: a damaged row) is thrown at once, after one try.
    const more = await add(2, T0, C);
    calls.clear();
    const damaged = async () => {
      throw new StateError('ELEDGER_DAMAGED', 'the ledger lacks part of its schema');
    };
    const failed = await handleJobs(deps(counted(store, calls, { markSentMany: damaged })), more, LEASE);
    expect(outcomes(failed)).toEqual(more.map(() => 'error: StateError'));
    expect(calls.get('markSentMany')).toBe(1);
  });
});

describe('gather: the jobs in hand as one batch', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a batch as soon as `size` items wait, each answered with its own result or error', async () => {
    const runs: number[][] = [];
    const g = gather<number, number>({ size: 3, waitMs: 60_000 }, async (xs) => {
      runs.push(xs);
      return xs.map((x) => (x === 2 ? { status: 'rejected', reason: new Error('two') } : { status: 'fulfilled', value: x * 10 }));
    });
    const rs = await Promise.allSettled([g(1), g(2), g(3)]);
    expect(runs).toEqual([[1, 2, 3]]);
    expect(rs.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 'two', 30]);
  });

  it('runs a smaller batch `waitMs` after its first item; a batch that fails fails each of its items', async () => {
    vi.useFakeTimers();
    const runs: number[][] = [];
    const g = gather<number, number>({ size: 5, waitMs: 5 }, async (xs) => {
      runs.push(xs);
      if (xs.includes(4)) throw new Error('ledger gone');
      return xs.map((x) => ({ status: 'fulfilled', value: x }));
    });
    const first = Promise.all([g(1), g(2)]);
    await vi.advanceTimersByTimeAsync(4);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await first).toEqual([1, 2]);
    const second = Promise.allSettled([g(3), g(4)]);
    await vi.advanceTimersByTimeAsync(5);
    expect((await second).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toEqual([[1, 2], [3, 4]]);
  });
});
