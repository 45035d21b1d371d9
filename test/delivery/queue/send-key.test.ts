/**
 * What a queue worker does with a job (sender.ts sendKey, queue/work.ts),
 * and what the relay offers (queue/relay.ts), on the SQLite store with a
 * test channel and a recording queue: no Redis needed. The ledger decides:
 * a final delivery is acknowledged without sending; one not yet due is left
 * for the relay; two workers handed one key send it once; a claim in hand is
 * left alone until it is older than the lease, then reconciled before any
 * resend; a claim taken over stops its old holder before the channel call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, LockLostError, type Store } from '../../../src/delivery/store/index.js';
import { sendKey, type SendDeps } from '../../../src/delivery/sender.js';
import { claimFence, createRelay, relay, type JobRef, type WorkQueue } from '../../../src/delivery/queue/index.js';
import { accountId, deliveryQueue } from '../../../src/delivery/queue/accounts.js';
import { loadChannelConfig } from '../../../src/config/channels.js';
import { parseFailpoints } from '../../../src/delivery/failpoint.js';
import type { ChannelName } from '../../../src/channels/channel.js';
import { newDelivery, silent, TestChannel, tmpProject } from '../helpers.js';

const T0 = new Date('2026-10-01T00:00:00Z');
const LEASE = 10_000;
let root: string;
let store: Store;
let now: Date;
let channel: TestChannel;
let deps: SendDeps;

beforeEach(async () => {
  root = tmpProject();
  store = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
  now = T0;
  channel = new TestChannel('weibo', 'sandbox');
  deps = {
    store, channels: new Map<ChannelName, TestChannel>([['weibo', channel]]), log: silent, now: () => now, random: () => 0.5,
    root, varDir: join(root, 'var'), failpoints: parseFailpoints(undefined),
    claims: claimFence(store, () => now, LEASE, () => {}),
  };
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

async function add(n: number, due = T0): Promise<string[]> {
  const ds = Array.from({ length: n }, (_, i) => newDelivery('weibo', i, due.toISOString()));
  await store.createDeliveries(`m-${due.toISOString()}-${n}`, ds, T0);
  return ds.map((d) => d.key);
}

describe('a queue worker handed a key', () => {
  it('sends a pending, due delivery once; the same job again (offered twice) is acknowledged without sending', async () => {
    const [k] = await add(1);
    expect(await sendKey(deps, k, LEASE)).toBe('attempted');
    expect(await sendKey(deps, k, LEASE)).toBe('final');
    expect(channel.delivered.get(k)).toBe(1);
    expect((await store.get(k))!.state).toBe('sent');
  });

  it('leaves one not due yet (a retry\'s backoff) for the relay to offer when it is', async () => {
    const [k] = await add(1, new Date(T0.getTime() + 60_000));
    expect(await sendKey(deps, k, LEASE)).toBe('not-due');
    expect(channel.calls).toEqual([]);
  });

  it('two workers handed the same key at once: the claim (one conditional update) lets one send', async () => {
    const [k] = await add(1);
    const outcomes = await Promise.all([sendKey(deps, k, LEASE), sendKey(deps, k, LEASE)]);
    expect(channel.delivered.get(k)).toBe(1);
    expect(outcomes.filter((o) => o === 'attempted').length).toBeGreaterThanOrEqual(1);
  });

  it('a claim younger than the lease belongs to a live worker: left alone; older, its worker died: reconciled (it went out: sent, not resent)', async () => {
    const [k] = await add(1);
    await store.markSending(k, T0);
    expect(await sendKey(deps, k, LEASE)).toBe('busy');
    channel.delivered.set(k, 1); // the dead worker's call had gone out
    now = new Date(T0.getTime() + LEASE);
    expect(await sendKey(deps, k, LEASE)).toBe('final');
    const d = (await store.get(k))!;
    expect([d.state, d.receipt?.details?.reconciled]).toEqual(['sent', true]);
    expect(channel.calls).toEqual([]);
  });

  it('an abandoned claim that had not gone out is sent again, by the worker that judged it', async () => {
    const [k] = await add(1);
    await store.markSending(k, T0);
    now = new Date(T0.getTime() + LEASE + 1);
    expect(await sendKey(deps, k, LEASE)).toBe('attempted');
    expect(channel.delivered.get(k)).toBe(1);
    expect((await store.get(k))!.attempts).toBe(2);
  });

  it('a claim taken over (no longer sending in that attempt) fails the fence before the channel is called', async () => {
    const [k] = await add(1);
    const { attempt } = (await store.markSending(k, T0)) as { attempt: number };
    await deps.claims!.check(k, attempt);
    await store.markUnsent(k, T0, 'judged abandoned');
    await store.markSending(k, T0);
    await expect(deps.claims!.check(k, attempt)).rejects.toBeInstanceOf(LockLostError);
  });
});

describe('the relay', () => {
  class RecordingQueue implements WorkQueue {
    readonly location = 'test';
    readonly offered: JobRef[] = [];
    async enqueue(jobs: JobRef[]) {
      this.offered.push(...jobs);
    }
    async ready() {}
    async served() {
      return [];
    }
    work(): never {
      throw new Error('not used');
    }
    async close() {}
  }

  it('offers every pending due delivery and every claim older than the lease, on its account\'s queue; nothing else', async () => {
    const [a, b, c] = await add(3);
    const [later] = await add(1, new Date(T0.getTime() + 3_600_000));
    await store.markSending(b, T0);
    await store.markSending(c, new Date(T0.getTime() + 5_000));
    now = new Date(T0.getTime() + LEASE);
    const queue = new RecordingQueue();
    const n = await relay({ store, queue, ledger: 'L1', channels: deps.channels, now: () => now, leaseMs: LEASE });
    expect(n).toBe(2);
    expect(queue.offered.map((j) => j.key).sort()).toEqual([a, b].sort());
    expect(new Set(queue.offered.map((j) => j.queue))).toEqual(new Set(['L1.weibo.sandbox']));
    expect(queue.offered.map((j) => j.key)).not.toContain(later);
  });

  it('scoped to occurrences (publish --now relaying its own, no daemon running): offers only theirs, due or abandoned', async () => {
    const ofOccurrence = async (occurrence: string, due: Date) => {
      const ds = [0, 1].map((i) => ({ ...newDelivery('weibo', i, due.toISOString()), occurrence }));
      await store.createDeliveries(`m-${occurrence}`, ds, T0);
      return ds.map((d) => d.key);
    };
    const [a, b] = await ofOccurrence('mine', T0);
    const [other, otherClaimed] = await ofOccurrence('another', new Date(T0.getTime() - 60_000));
    await store.markSending(b, T0);
    await store.markSending(otherClaimed, T0);
    now = new Date(T0.getTime() + LEASE);
    const queue = new RecordingQueue();
    const scope = { occurrences: ['mine'] };
    expect(await relay({ store, queue, ledger: 'L1', channels: deps.channels, now: () => now, leaseMs: LEASE, scope })).toBe(2);
    expect(queue.offered.map((j) => j.key).sort()).toEqual([a, b].sort());
    // Unscoped (the daemon's relay), the other occurrence's are offered too.
    const all = new RecordingQueue();
    expect(await relay({ store, queue: all, ledger: 'L1', channels: deps.channels, now: () => now, leaseMs: LEASE })).toBe(4);
    expect(all.offered.map((j) => j.key).sort()).toEqual([a, b, other, otherClaimed].sort());
  });

  it('a relay offers a key again only after reofferMs (the queue has it meanwhile; a flushed queue is refilled then)', async () => {
    const [a] = await add(1);
    const queue = new RecordingQueue();
    const pass = createRelay({ store, queue, ledger: 'L1', channels: deps.channels, now: () => now, leaseMs: LEASE, reofferMs: 3000 });
    expect(await pass()).toBe(1);
    now = new Date(T0.getTime() + 2999);
    expect(await pass()).toBe(0);
    now = new Date(T0.getTime() + 3000);
    expect(await pass()).toBe(1);
    expect(queue.offered.map((j) => j.key)).toEqual([a, a]);
  });

  it('between its full looks a pass reads only what may have become due since its last look (new rows, a next attempt come), not every due row again', async () => {
    const read: number[] = [];
    const counting = new Proxy(store, {
      get(target, p) {
        if (p === 'dueKeys') return async (...a: Parameters<Store['dueKeys']>) => {
          const rows = await target.dueKeys(...a);
          read.push(rows.length);
          return rows;
        };
        const v = Reflect.get(target, p);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const at = (ms: number) => new Date(T0.getTime() + ms);
    const old = await add(3);
    const [retry] = await add(1, at(30_000));
    const queue = new RecordingQueue();
    const pass = createRelay({ store: counting, queue, ledger: 'L1', channels: deps.channels, now: () => now, leaseMs: LEASE, reofferMs: 60_000 });
    expect(await pass()).toBe(3);
    // Within SETTLE_MS of their writing the rows are read again (a long transaction may commit late), not offered again.
    now = at(1_000);
    expect(await pass()).toBe(0);
    now = at(12_000);
    expect(await pass()).toBe(0);
    now = at(22_000);
    expect(await pass()).toBe(0);
    const fresh = { ...newDelivery('weibo', 9, at(22_000).toISOString()) };
    await store.createDeliveries('m-fresh', [fresh], at(22_000));
    now = at(31_000);
    expect(await pass()).toBe(2);
    expect(queue.offered.map((j) => j.key)).toEqual([...old, fresh.key, retry]);
    expect(read).toEqual([3, 3, 3, 0, 2]);
    // The next full look (reofferMs after the first) reads every due row and offers those not offered within it.
    now = at(60_000);
    expect(await pass()).toBe(3);
    expect(read.at(-1)).toBe(5);
  });

  it('a delivery recorded for a live account goes to that account\'s queue though this relay has no credentials (sandbox), due or abandoned; a sandbox trial to the sandbox queue; one recorded before accounts were, by the relay\'s own settings', async () => {
    const recorded = async (i: number, account?: { mode: 'live'; id: string } | { mode: 'sandbox' }) => {
      const d = newDelivery('weibo', i, T0.toISOString());
      if (account) d.payload = { ...d.payload!, account };
      await store.createDeliveries(`m-${i}`, [d], T0);
      return d.key;
    };
    const live = await recorded(1, { mode: 'live', id: '0a1b2c3d4e5f' });
    const trial = await recorded(2, { mode: 'sandbox' });
    const old = await recorded(3);
    const claimed = await recorded(4, { mode: 'live', id: '0a1b2c3d4e5f' });
    await store.markSending(claimed, T0);
    now = new Date(T0.getTime() + LEASE);
    const queue = new RecordingQueue();
    // The relay's weibo is a sandbox (no WEIBO_* in this process).
    expect(await relay({ store, queue, ledger: 'L1', channels: deps.channels, now: () => now, leaseMs: LEASE })).toBe(4);
    expect(Object.fromEntries(queue.offered.map((j) => [j.key, j.queue]))).toEqual({
      [live]: 'L1.weibo.0a1b2c3d4e5f', [claimed]: 'L1.weibo.0a1b2c3d4e5f', [trial]: 'L1.weibo.sandbox', [old]: 'L1.weibo.sandbox',
    });
  });
});

describe('the queue a delivery goes to (deliveryQueue)', () => {
  const REPO = join(__dirname, '../../..');
  const wechat = loadChannelConfig(REPO, 'wechat', { WECHAT_APPID: 'wx-now', WECHAT_SECRET: 's' });
  const weibo = loadChannelConfig(REPO, 'weibo', { WEIBO_ACCESS_TOKEN: '2.00re-authorized' });
  const weiboSandbox = loadChannelConfig(REPO, 'weibo', {});
  it('a WeChat post recorded for another app id stays on that account\'s queue (another official account)', () => {
    expect(deliveryQueue('L1', wechat, 'a1a1a1a1a1a1')).toBe('L1.wechat.a1a1a1a1a1a1');
  });
  it('a Weibo post recorded under an expired token goes to the relay\'s re-authorized account, whose workers serve it', () => {
    expect(deliveryQueue('L1', weibo, 'a1a1a1a1a1a1')).toBe(`L1.weibo.${accountId(weibo)}`);
    // No credentials here: the recorded account's queue, for a worker that has them.
    expect(deliveryQueue('L1', weiboSandbox, 'a1a1a1a1a1a1')).toBe('L1.weibo.a1a1a1a1a1a1');
  });
  it('a sandbox trial stays on the sandbox queue; nothing recorded: the relay\'s own account', () => {
    expect(deliveryQueue('L1', weibo, 'sandbox')).toBe('L1.weibo.sandbox');
    expect(deliveryQueue('L1', weibo, undefined)).toBe(`L1.weibo.${accountId(weibo)}`);
  });
});
