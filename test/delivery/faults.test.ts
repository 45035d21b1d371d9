/**
 * Fault tests: real SQLite ledger, a fault-injecting Channel, an injected clock
 * (no real waiting). The dispatcher must end with everything sent exactly once,
 * permanent failures failed with their message and never retried, rate limits
 * waited out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/delivery/store/index.js';
import { ManualClock } from '../../src/delivery/clock.js';
import { InFlight, reconcileSending, sendDue, type SendDeps } from '../../src/delivery/sender.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { ChannelError } from '../../src/errors.js';
import type { ChannelName } from '../../src/channels/channel.js';
import { newDelivery, seeded, silent, TestChannel } from './helpers.js';

let dir: string;
let store: Store;
afterEach(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(channel: TestChannel, seed = 1) {
  dir = mkdtempSync(join(tmpdir(), 'advisory-faults-'));
  store = await openStore({ kind: 'sqlite', varDir: join(dir, 'var') });
  const clock = new ManualClock('2014-09-29T01:00:00Z');
  const deps: SendDeps = {
    store, channels: new Map<ChannelName, TestChannel>([[channel.name, channel]]), log: silent, now: () => clock.now(),
    random: seeded(seed), root: dir, varDir: join(dir, 'var'), failpoints: parseFailpoints(undefined),
  };
  return { clock, deps };
}

/** Sends what is due; when nothing is, jumps the clock to the next attempt. */
async function drain(deps: SendDeps, clock: ManualClock, maxRounds = 10_000): Promise<number> {
  const inFlight = new InFlight();
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    await sendDue(deps, inFlight);
    const next = await deps.store.nextAttemptAt();
    if (!next) return rounds;
    if (next > clock.now()) clock.set(next);
  }
  throw new Error('did not settle');
}

describe('delivery under faults', () => {
  it('ends with everything sent exactly once when 30% of calls fail transiently', async () => {
    const random = seeded(42);
    const channel = new TestChannel('wechat', 'sandbox', () => {
      if (random() < 0.3) throw new ChannelError('wechat', 'transient', 'system busy', { channelCode: -1 });
    }, 3);
    const { clock, deps } = await setup(channel);
    await store.createDeliveries('occ', Array.from({ length: 200 }, (_, i) => newDelivery('wechat', i, '2014-09-29T01:00:00Z')), clock.now());
    await drain(deps, clock);
    expect(await store.counts()).toMatchObject({ sent: 200, pending: 0, sending: 0, failed: 0 });
    expect([...channel.delivered.values()].every((n) => n === 1)).toBe(true);
    expect(channel.delivered.size).toBe(200);
    const failedCalls = channel.calls.filter((c) => !c.ok).length;
    expect(failedCalls).toBeGreaterThan(30);
    // Every failed call is recorded as an attempt with its class, and the backoff moved the clock forward.
    let attempts = 0;
    for (const d of await store.list()) attempts += (await store.attempts(d.key)).length;
    expect(attempts).toBe(channel.calls.length);
    expect(clock.now().getTime()).toBeGreaterThan(Date.parse('2014-09-29T01:00:00Z'));
  });

  it('fails a permanent error with the channel message and never retries it', async () => {
    const channel = new TestChannel('weibo', 'sandbox', () => {
      throw new ChannelError('weibo', 'permanent', 'appkey not bind domain', { channelCode: 10017 });
    });
    const { clock, deps } = await setup(channel);
    const [d] = [newDelivery('weibo', 1, '2014-10-01T00:00:00Z')];
    await store.createDeliveries('occ', [d], clock.now());
    clock.set('2014-10-01T00:00:00Z');
    await drain(deps, clock);
    const got = (await store.get(d.key))!;
    expect(got.state).toBe('failed');
    expect(got.reason).toBe('appkey not bind domain');
    expect(channel.calls).toHaveLength(1);
    expect(await store.attempts(d.key)).toMatchObject([{ n: 1, outcome: 'failed', errorClass: 'permanent', channelCode: '10017' }]);
    clock.advance(86_400_000);
    await drain(deps, clock);
    expect(channel.calls).toHaveLength(1);
  });

  it('waits out a rate limit for exactly the time the channel names', async () => {
    const channel = new TestChannel('weibo', 'sandbox', (_k, n) => {
      if (n === 1) throw new ChannelError('weibo', 'rate-limited', 'posting too often', { retryAfterMs: 3_600_000, channelCode: 20016 });
    });
    const { clock, deps } = await setup(channel);
    const d = newDelivery('weibo', 1, '2014-09-29T01:00:00Z');
    await store.createDeliveries('occ', [d], clock.now());
    const inFlight = new InFlight();
    await sendDue(deps, inFlight);
    expect(await store.get(d.key)).toMatchObject({ state: 'pending', nextAttemptAt: '2014-09-29T02:00:00.000Z', lastError: 'posting too often' });
    clock.set('2014-09-29T01:59:59Z');
    await sendDue(deps, inFlight);
    expect(channel.calls).toHaveLength(1);
    clock.set('2014-09-29T02:00:00Z');
    await sendDue(deps, inFlight);
    expect((await store.get(d.key))!.state).toBe('sent');
    expect(channel.calls).toHaveLength(2);
  });

  it('gives up on endless transient failures after the maximum attempts, with the backoff between them', async () => {
    const channel = new TestChannel('wechat', 'sandbox', () => {
      throw new Error('ECONNRESET');
    });
    const { clock, deps } = await setup(channel);
    const d = newDelivery('wechat', 1, '2014-09-29T01:00:00Z');
    await store.createDeliveries('occ', [d], clock.now());
    await drain(deps, clock);
    expect(await store.get(d.key)).toMatchObject({ state: 'failed', attempts: 8 });
    expect((await store.get(d.key))!.reason).toMatch(/gave up after 8 attempts: Error: ECONNRESET/);
    const starts = (await store.attempts(d.key)).map((a) => Date.parse(a.startedAt));
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeLessThanOrEqual(Math.min(900_000, 5_000 * 2 ** (i - 1)));
  });

  it('holds a needs-person failure, and retry puts it back with the same payload', async () => {
    let blocked = true;
    const channel = new TestChannel('wechat', 'sandbox', () => {
      if (blocked) throw new ChannelError('wechat', 'needs-person', 'risky IP awaits admin approval', { channelCode: 89503 });
    });
    const { clock, deps } = await setup(channel);
    const d = newDelivery('wechat', 1, '2014-09-29T01:00:00Z');
    await store.createDeliveries('occ', [d], clock.now());
    await drain(deps, clock);
    expect(await store.get(d.key)).toMatchObject({ state: 'held', reason: 'needs a person: risky IP awaits admin approval' });
    blocked = false;
    const sha = (await store.get(d.key))!.payloadSha256;
    expect(await store.retry(d.key, clock.now())).toBe(true);
    await drain(deps, clock);
    expect(await store.get(d.key)).toMatchObject({ state: 'sent', payloadSha256: sha });
  });

  it('reconciles a delivery left in sending before resending it', async () => {
    const channel = new TestChannel('wechat', 'sandbox');
    const { clock, deps } = await setup(channel);
    const [a, b] = [newDelivery('wechat', 1, '2014-09-29T01:00:00Z'), newDelivery('wechat', 2, '2014-09-29T01:00:00Z')];
    await store.createDeliveries('occ', [a, b], clock.now());
    // As if a crash happened: both committed as sending; only `a` reached the channel.
    await store.markSending(a.key, clock.now());
    await store.markSending(b.key, clock.now());
    channel.delivered.set(a.key, 1);
    const r = await reconcileSending(deps, new InFlight());
    expect(r).toEqual({ sent: 1, resend: 1, held: 0, unknown: 0 });
    await drain(deps, clock);
    expect(channel.delivered.get(a.key)).toBe(1);
    expect(channel.delivered.get(b.key)).toBe(1);
    expect((await store.get(b.key))!.attempts).toBe(2);
  });
});
