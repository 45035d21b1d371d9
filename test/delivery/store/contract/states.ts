/** A delivery's states (pending → sending → sent/failed/held/missed, and back), its attempts, what is due, and stale content replaced or released. */
import { expect, it } from 'vitest';
import { AWAITING_APPROVAL } from '../../../../src/delivery/store/index.js';
import type { Harness } from '../contract.js';
import { AT, baseKey, created, delivery, fanOutPlan, instant, later, occurrence, plainPlan, sending, subscribe } from './fixtures.js';

const KEY = 'c/s/wechat/1';
const RECEIPT = { id: '2247483650_1', url: 'https://mp.weixin.qq.com/s/x', at: '2014-09-29T01:00:02Z' };
const BUSY = { failure: 'transient', message: 'system busy', channelCode: '-1' };

export function stateContract(h: Harness): void {
  it('pending → sending (attempt 1, once) → sent with the receipt; each attempt recorded', async () => {
    const s = await h.open();
    await created(s, delivery(KEY));
    expect(await s.markSending(KEY, AT)).toEqual({ attempt: 1 });
    expect(await s.get(KEY)).toMatchObject({ state: 'sending', attempts: 1, tries: 1 });
    expect(await s.markSending(KEY, AT)).toBe(false);
    await s.markSent(KEY, 1, RECEIPT, later(2000));
    const sent = (await s.get(KEY))!;
    expect(sent).toMatchObject({ state: 'sent', receipt: RECEIPT, attempts: 1, nextAttemptAt: null });
    expect(await s.markSending(KEY, later(3000))).toBe(false);
    expect(await s.markSending('c/s/wechat/none', AT)).toBe(false);
    expect(await s.attempts(KEY)).toEqual([{
      n: 1, startedAt: expect.any(String), finishedAt: expect.any(String), outcome: 'sent',
      errorClass: null, errorMessage: null, channelCode: null, receiptId: RECEIPT.id,
    }]);
    expect(instant((await s.attempts(KEY))[0].startedAt)).toBe(AT.getTime());
  });

  it('markSendingMany claims, in one call, each of the keys still pending (its next attempt, counted as a try) and returns them as they now are; the others are left alone', async () => {
    const s = await h.open();
    await created(s, delivery('c/s/email/1/a'), delivery('c/s/email/1/b'), delivery('c/s/email/1/c'), delivery('c/s/email/1/d'));
    await s.markSent('c/s/email/1/c', await sending(s, 'c/s/email/1/c'), RECEIPT, AT);
    await s.markRetry('c/s/email/1/d', await sending(s, 'c/s/email/1/d'), AT, BUSY, AT);
    const claimed = await s.markSendingMany(['c/s/email/1/b', 'c/s/email/1/a', 'c/s/email/1/c', 'c/s/email/1/none', 'c/s/email/1/d'], later(1000));
    expect(claimed.map((d) => [d.key, d.state, d.attempts, d.tries])).toEqual([
      ['c/s/email/1/b', 'sending', 1, 1], ['c/s/email/1/a', 'sending', 1, 1], ['c/s/email/1/d', 'sending', 2, 2],
    ]);
    expect(claimed[0].payload).toEqual((await s.get('c/s/email/1/b'))!.payload);
    expect(await s.get('c/s/email/1/c')).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await s.attempts('c/s/email/1/d')).toMatchObject([{ n: 1, outcome: 'retry' }, { n: 2, outcome: null, finishedAt: null }]);
    // Claimed once: a second claim (or markSending) of the same keys finds nothing pending.
    expect(await s.markSendingMany(['c/s/email/1/a', 'c/s/email/1/b'], later(2000))).toEqual([]);
    expect(await s.markSending('c/s/email/1/a', later(2000))).toBe(false);
    expect(await s.markSendingMany([], AT)).toEqual([]);
  });

  it('markSendingMany and markSentMany audit each claim and each sent in the order given, the key written as JSON whatever it holds', async () => {
    const s = await h.open();
    const odd = 'c/s/email/1/"引号\\\n';
    await created(s, delivery('c/s/email/1/a'), delivery(odd));
    const claimed = await s.markSendingMany([odd, 'c/s/email/1/a'], AT);
    expect(claimed.map((d) => d.key)).toEqual([odd, 'c/s/email/1/a']);
    await s.markSentMany([{ key: 'c/s/email/1/a', attempt: 1, receipt: { id: '<a@x>', at: '2014-09-29T01:00:02Z' } }, { key: odd, attempt: 1, receipt: { id: '<"b"@x>', at: '2014-09-29T01:00:02Z' } }], later(500));
    const log = (await s.auditLog()).filter((e) => e.event.startsWith('attempt-')).map((e) => [e.event, e.key, e.detail]);
    expect(log).toEqual([
      ['attempt-started', odd, { key: odd, attempt: 1 }],
      ['attempt-started', 'c/s/email/1/a', { key: 'c/s/email/1/a', attempt: 1 }],
      ['attempt-sent', 'c/s/email/1/a', { key: 'c/s/email/1/a', attempt: 1, from: 'sending', to: 'sent', receipt: '<a@x>' }],
      ['attempt-sent', odd, { key: odd, attempt: 1, from: 'sending', to: 'sent', receipt: '<"b"@x>' }],
    ]);
  });

  it('markSentMany records each one sent with its receipt in one call, as markSent would; one no longer sending in that attempt is left alone', async () => {
    const s = await h.open();
    await created(s, delivery('c/s/email/1/a'), delivery('c/s/email/1/b'), delivery('c/s/email/1/c'));
    const [a, b, c] = await s.markSendingMany(['c/s/email/1/a', 'c/s/email/1/b', 'c/s/email/1/c'], AT);
    await s.markFinal(c.key, c.attempts, 'failed', 'refused', { failure: 'permanent', message: 'refused' }, AT);
    const r = (id: string) => ({ id, at: '2014-09-29T01:00:02Z' });
    await s.markSentMany([
      { key: a.key, attempt: a.attempts, receipt: r('<a@x>') }, { key: b.key, attempt: b.attempts + 1, receipt: r('<b@x>') },
      { key: c.key, attempt: c.attempts, receipt: r('<c@x>') },
    ], later(500));
    expect(await s.get(a.key)).toMatchObject({ state: 'sent', receipt: r('<a@x>'), nextAttemptAt: null });
    expect(await s.attempts(a.key)).toMatchObject([{ n: 1, outcome: 'sent', receiptId: '<a@x>' }]);
    expect(await s.get(b.key)).toMatchObject({ state: 'sending', receipt: null });
    expect(await s.get(c.key)).toMatchObject({ state: 'failed', receipt: null });
    await s.markSentMany([], AT);
  });

  it('releaseSending gives back claims never sent: pending again, due no earlier than asked, the claim undone (no attempt, no try)', async () => {
    const s = await h.open();
    await created(s, delivery('c/s/email/1/a'), delivery('c/s/email/1/b'), delivery('c/s/email/1/c'));
    const [a, b, c] = await s.markSendingMany(['c/s/email/1/a', 'c/s/email/1/b', 'c/s/email/1/c'], AT);
    await s.markSent(c.key, c.attempts, RECEIPT, AT);
    expect(await s.releaseSending([{ key: a.key, attempt: a.attempts }, { key: b.key, attempt: b.attempts + 1 }, { key: c.key, attempt: c.attempts }], later(1000), later(60_000))).toBe(1);
    expect(await s.get(a.key)).toMatchObject({ state: 'pending', attempts: 0, tries: 0 });
    expect(instant((await s.get(a.key))!.nextAttemptAt)).toBe(later(60_000).getTime());
    expect(await s.attempts(a.key)).toEqual([]);
    expect((await s.auditLog({ key: a.key })).map((e) => e.event)).toContain('attempt-released');
    expect(await s.get(b.key)).toMatchObject({ state: 'sending', attempts: 1 });
    expect(await s.get(c.key)).toMatchObject({ state: 'sent' });
    expect(await s.due(later(59_999), 10)).toEqual([]);
    expect((await s.markSendingMany([a.key], later(60_000)))[0]).toMatchObject({ attempts: 1, tries: 1 });
    expect(await s.releaseSending([], AT)).toBe(0);
  });

  it('a transient failure: sending → pending, due again at the time given, with the error; the next attempt is number 2', async () => {
    const s = await h.open();
    await created(s, delivery(KEY));
    await s.markRetry(KEY, await sending(s, KEY), later(5000), BUSY, later(1000));
    expect(await s.get(KEY)).toMatchObject({ state: 'pending', lastError: 'system busy', attempts: 1, tries: 1 });
    expect(instant((await s.get(KEY))!.nextAttemptAt)).toBe(later(5000).getTime());
    expect(await s.due(later(4999), 10)).toEqual([]);
    expect((await s.due(later(5000), 10)).map((d) => d.key)).toEqual([KEY]);
    expect(await s.markSending(KEY, later(5000))).toEqual({ attempt: 2 });
    expect(await s.get(KEY)).toMatchObject({ state: 'sending', attempts: 2, tries: 2 });
    expect(await s.attempts(KEY)).toMatchObject([
      { n: 1, outcome: 'retry', errorClass: 'transient', errorMessage: 'system busy', channelCode: '-1' },
      { n: 2, outcome: null, finishedAt: null },
    ]);
  });

  it('failed with its reason; retry puts it back with the same payload, the policy\'s tries restarting, the attempts counting on', async () => {
    const s = await h.open();
    const before = await created(s, delivery(KEY));
    await s.markFinal(KEY, await sending(s, KEY), 'failed', 'appkey not bind domain', { failure: 'permanent', message: 'appkey not bind domain', channelCode: '10017' }, AT);
    expect(await s.get(KEY)).toMatchObject({ state: 'failed', reason: 'appkey not bind domain', lastError: 'appkey not bind domain', nextAttemptAt: null });
    expect(await s.due(later(86_400_000), 10)).toEqual([]);
    expect(await s.retry(KEY, later(60_000))).toBe(true);
    const back = (await s.get(KEY))!;
    expect(back).toMatchObject({ state: 'pending', reason: null, tries: 0, attempts: 1, payload: before.payload, payloadSha256: before.payloadSha256 });
    expect(instant(back.nextAttemptAt)).toBe(later(60_000).getTime());
    expect(await s.retry(KEY, later(60_000))).toBe(false);
    expect(await s.markSending(KEY, later(60_000))).toEqual({ attempt: 2 });
    expect(await s.retry('c/s/wechat/none', AT)).toBe(false);
  });

  it('held for a person is retried by hand; held awaiting approval is not (approval releases it); sent and missed never are', async () => {
    const s = await h.open();
    await created(s, delivery(KEY), delivery('c/s/wechat/approval', { state: 'held', reason: `${AWAITING_APPROVAL}0123456789ab` }),
      delivery('c/s/wechat/sent'), delivery('c/s/wechat/missed', { state: 'missed', reason: 'missed: window ended', payload: null }));
    await s.markFinal(KEY, await sending(s, KEY), 'held', 'needs a person: risky IP awaits admin approval', { failure: 'needs-person', message: 'risky IP' }, AT);
    expect(await s.get(KEY)).toMatchObject({ state: 'held', reason: 'needs a person: risky IP awaits admin approval' });
    await s.markSent('c/s/wechat/sent', await sending(s, 'c/s/wechat/sent'), RECEIPT, AT);
    expect(await s.retry('c/s/wechat/approval', AT)).toBe(false);
    expect(await s.retry('c/s/wechat/sent', AT)).toBe(false);
    expect(await s.retry('c/s/wechat/missed', AT)).toBe(false);
    expect(await s.retry(KEY, AT)).toBe(true);
    expect((await s.get(KEY))!.state).toBe('pending');
  });

  it('missed from sending, with its reason, no error needed', async () => {
    const s = await h.open();
    await created(s, delivery(KEY));
    await s.markFinal(KEY, await sending(s, KEY), 'missed', 'missed: window ended 2014-09-29T07:00:00Z', null, AT);
    expect(await s.get(KEY)).toMatchObject({ state: 'missed', reason: 'missed: window ended 2014-09-29T07:00:00Z', nextAttemptAt: null, lastError: null });
    expect(await s.attempts(KEY)).toMatchObject([{ n: 1, outcome: 'missed' }]);
  });

  it('markUnsent after a crash: sending → pending, due at once, the attempt recorded as not sent; anything not sending is left alone', async () => {
    const s = await h.open();
    await created(s, delivery(KEY), delivery('c/s/wechat/2'));
    await sending(s, KEY);
    await s.markUnsent(KEY, later(60_000), 'the channel never saw it');
    const d = (await s.get(KEY))!;
    expect(d).toMatchObject({ state: 'pending', attempts: 1 });
    expect(instant(d.nextAttemptAt)).toBe(later(60_000).getTime());
    expect(await s.attempts(KEY)).toMatchObject([{ n: 1, outcome: 'not-sent', errorMessage: 'the channel never saw it' }]);
    await s.markUnsent('c/s/wechat/2', later(60_000), 'x');
    expect(await s.get('c/s/wechat/2')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await s.attempts('c/s/wechat/2')).toEqual([]);
    expect(await s.markSending(KEY, later(60_000))).toEqual({ attempt: 2 });
  });

  it("postpone: a channel's pending deliveries due before the time wait until it, attempts untouched; other channels, later ones and other states are left alone", async () => {
    const s = await h.open();
    await created(s, delivery('c/s/email/1', { channel: 'email' }), delivery('c/s/email/2', { channel: 'email' }), delivery('c/s/email/3', { channel: 'email' }), delivery(KEY));
    await sending(s, 'c/s/email/3');
    expect(await s.postpone('email', later(60_000), AT)).toBe(2);
    for (const k of ['c/s/email/1', 'c/s/email/2']) {
      const d = (await s.get(k))!;
      expect(d).toMatchObject({ state: 'pending', attempts: 0, tries: 0 });
      expect(instant(d.nextAttemptAt)).toBe(later(60_000).getTime());
    }
    expect((await s.get('c/s/email/3'))!.state).toBe('sending');
    expect(instant((await s.get(KEY))!.nextAttemptAt)).toBeLessThan(later(60_000).getTime());
    expect((await s.due(later(30_000), 10)).map((d) => d.key)).toEqual([KEY]);
    // Never brought forward: a shorter pause leaves the longer one.
    expect(await s.postpone('email', later(10_000), AT)).toBe(0);
    expect(instant((await s.get('c/s/email/1'))!.nextAttemptAt)).toBe(later(60_000).getTime());
  });

  it('due: pending deliveries whose next attempt has come, oldest first, at most `limit`; nextAttemptAt the earliest', async () => {
    const s = await h.open();
    expect(await s.nextAttemptAt()).toBeNull();
    await created(s,
      delivery('c/s/wechat/3', { dueUtc: '2014-09-29T03:00:00Z' }), delivery('c/s/wechat/1', { dueUtc: '2014-09-29T01:00:00Z' }),
      delivery('c/s/wechat/2', { dueUtc: '2014-09-29T02:00:00Z' }), delivery('c/s/wechat/h', { dueUtc: '2014-09-29T00:00:00Z', state: 'held', reason: 'r' }));
    expect(await s.nextAttemptAt()).toEqual(new Date('2014-09-29T01:00:00Z'));
    expect((await s.due(new Date('2014-09-29T02:00:00Z'), 10)).map((d) => d.key)).toEqual(['c/s/wechat/1', 'c/s/wechat/2']);
    expect((await s.due(new Date('2014-09-29T05:00:00Z'), 1)).map((d) => d.key)).toEqual(['c/s/wechat/1']);
    expect(await s.due(new Date('2014-09-29T00:59:59Z'), 10)).toEqual([]);
    await sending(s, 'c/s/wechat/1');
    expect(await s.nextAttemptAt()).toEqual(new Date('2014-09-29T02:00:00Z'));
    expect((await s.due(new Date('2014-09-29T05:00:00Z'), 10)).map((d) => d.key)).toEqual(['c/s/wechat/2', 'c/s/wechat/3']);
  });

  it('due and nextAttemptAt within a scope: only the deliveries of those occurrences', async () => {
    const s = await h.open();
    const a = occurrence('c/bulletin/2014-09-29T01:00:00Z');
    const b = occurrence('c/bulletin/2014-09-29T02:00:00Z', { dueUtc: '2014-09-29T02:00:00Z' });
    await s.recordOccurrence(a, [plainPlan(a.key, 'wechat')], AT);
    await s.recordOccurrence(b, [{ ...plainPlan(b.key, 'weibo'), deliveries: [delivery(baseKey(b.key, 'weibo'), { channel: 'weibo', dueUtc: '2014-09-29T02:00:00Z' })] }], AT);
    await created(s, delivery('c/s/wechat/loose', { dueUtc: '2014-09-29T00:00:00Z' }));
    const noon = new Date('2014-09-29T04:00:00Z');
    expect((await s.due(noon, 10, { occurrences: [b.key] })).map((d) => d.key)).toEqual([baseKey(b.key, 'weibo')]);
    expect((await s.due(noon, 10, { occurrences: [a.key, b.key] })).map((d) => d.key)).toEqual([baseKey(a.key, 'wechat'), baseKey(b.key, 'weibo')]);
    expect(await s.due(noon, 10, { occurrences: [] })).toEqual([]);
    expect(await s.nextAttemptAt({ occurrences: [b.key] })).toEqual(new Date('2014-09-29T02:00:00Z'));
    expect(await s.nextAttemptAt({ occurrences: ['c/bulletin/none'] })).toBeNull();
    expect(await s.nextAttemptAt()).toEqual(new Date('2014-09-29T00:00:00Z'));
    expect(await s.due(noon, 10)).toHaveLength(3);
  });

  it('dueKeys: the keys and channels of what due returns; changedSince: only rows written, or fallen due, since then', async () => {
    const s = await h.open();
    await created(s, delivery('c/s/wechat/early', { dueUtc: '2014-09-29T00:30:00Z' }), delivery('c/s/weibo/late', { channel: 'weibo', dueUtc: '2014-09-29T02:00:00Z' }),
      delivery('c/s/wechat/h', { dueUtc: '2014-09-29T00:00:00Z', state: 'held', reason: 'r' }));
    const three = new Date('2014-09-29T03:00:00Z');
    expect(await s.dueKeys(three, { limit: 10 })).toEqual([{ key: 'c/s/wechat/early', channel: 'wechat' }, { key: 'c/s/weibo/late', channel: 'weibo' }]);
    expect(await s.dueKeys(three, { limit: 1 })).toEqual([{ key: 'c/s/wechat/early', channel: 'wechat' }]);
    // Written at 01:00 and due before: only `late`, which fell due at 02:00, is new since 01:01.
    expect(await s.dueKeys(three, { limit: 10, changedSince: later(60_000) })).toEqual([{ key: 'c/s/weibo/late', channel: 'weibo' }]);
    // A claim given back at 01:02 is written since then.
    const attempt = await sending(s, 'c/s/wechat/early');
    await s.releaseSending([{ key: 'c/s/wechat/early', attempt }], later(120_000));
    expect((await s.dueKeys(three, { limit: 10, changedSince: later(60_000) })).map((d) => d.key)).toEqual(['c/s/wechat/early', 'c/s/weibo/late']);
    expect(await s.dueKeys(three, { limit: 10, changedSince: new Date('2014-09-29T02:30:00Z') })).toEqual([]);
    expect(await s.dueKeys(three, { limit: 10, scope: { occurrences: [] } })).toEqual([]);
  });

  it('dueKeys: the account each payload was recorded for (its id, or sandbox; none for an older payload), read from the ledger for the relay\'s queue', async () => {
    const s = await h.open();
    const payload = (key: string, account?: unknown) => ({ channel: 'wechat' as const, kind: 'test', label: key, body: { key }, ...(account ? { account } : {}) });
    await created(s,
      delivery('c/s/wechat/live', { dueUtc: '2014-09-29T00:10:00Z', payload: payload('live', { mode: 'live', id: '0a1b2c3d4e5f' }) }),
      delivery('c/s/wechat/trial', { dueUtc: '2014-09-29T00:20:00Z', payload: payload('trial', { mode: 'sandbox' }) }),
      delivery('c/s/wechat/old', { dueUtc: '2014-09-29T00:30:00Z', payload: payload('old') }));
    expect(await s.dueKeys(new Date('2014-09-29T03:00:00Z'), { limit: 10 })).toStrictEqual([
      { key: 'c/s/wechat/live', channel: 'wechat', account: '0a1b2c3d4e5f' },
      { key: 'c/s/wechat/trial', channel: 'wechat', account: 'sandbox' },
      { key: 'c/s/wechat/old', channel: 'wechat' },
    ]);
  });

  it('supersede replaces the payload of pending and approval-held deliveries only, audit-logged; a missed change keeps the old payload', async () => {
    const s = await h.open();
    const keys = ['pending', 'approval', 'person', 'sending', 'sent', 'late'].map((k) => `c/s/wechat/${k}`);
    const [pending, approval, person, inFlight, sent, late] = keys;
    await created(s, delivery(pending), delivery(approval, { state: 'held', reason: `${AWAITING_APPROVAL}0123456789ab` }),
      delivery(person, { state: 'held', reason: 'needs a person: x' }), delivery(inFlight), delivery(sent), delivery(late));
    await sending(s, inFlight);
    await s.markSent(sent, await sending(s, sent), RECEIPT, AT);
    const before = new Map(await Promise.all(keys.map(async (k) => [k, (await s.get(k))!] as const)));
    const newer = (k: string) => ({ channel: 'wechat' as const, kind: 'test', label: k, body: { key: k, edited: true } });
    const n = await s.supersede([
      ...[pending, approval, person, inFlight, sent].map((k) => ({ key: k, payload: newer(k), contentHash: 'h2', state: 'pending' as const })),
      { key: late, payload: null, contentHash: 'h2', state: 'missed' as const, reason: 'missed: content h2 was approved after the window ended' },
      { key: 'c/s/wechat/none', payload: newer('none'), contentHash: 'h2', state: 'pending' as const },
    ], later(60_000));
    expect(n).toBe(3);
    for (const k of [pending, approval]) {
      const d = (await s.get(k))!;
      expect(d).toMatchObject({ state: 'pending', reason: null, contentHash: 'h2', payload: newer(k), tries: 0 });
      expect(d.payloadSha256).not.toBe(before.get(k)!.payloadSha256);
      expect(instant(d.nextAttemptAt)).toBe(later(60_000).getTime());
    }
    expect(await s.get(late)).toMatchObject({ state: 'missed', reason: 'missed: content h2 was approved after the window ended', payload: before.get(late)!.payload, contentHash: 'h2', nextAttemptAt: null });
    for (const k of [person, inFlight, sent]) {
      expect(await s.get(k)).toMatchObject({ state: before.get(k)!.state, contentHash: 'h1', payload: before.get(k)!.payload });
    }
    const logged = await s.auditLog({ event: 'superseded' });
    expect(logged.map((e) => e.key).sort()).toEqual([pending, approval, late].sort());
    expect(logged.find((e) => e.key === approval)!.detail).toMatchObject({ from: 'held', to: 'pending', oldContentHash: 'h1', contentHash: 'h2' });
  });

  it('releaseApproved sends on what awaited approval of exactly that content of that campaign', async () => {
    const s = await h.open();
    const awaiting = (hash: string) => ({ state: 'held' as const, reason: `${AWAITING_APPROVAL}${hash.slice(0, 12)}` });
    await created(s,
      delivery('c/s/wechat/1', { contentHash: 'h1', ...awaiting('h1') }), delivery('c/s/website/1', { channel: 'website', contentHash: 'h1', ...awaiting('h1') }),
      delivery('c/s/wechat/2', { contentHash: 'h2', ...awaiting('h2') }), delivery('d/s/wechat/1', { campaign: 'd', contentHash: 'h1', ...awaiting('h1') }),
      delivery('c/s/weibo/1', { channel: 'weibo', contentHash: 'h1', state: 'held', reason: 'needs a person: x' }));
    expect(await s.releaseApproved('c', 'h1', later(60_000))).toBe(2);
    expect((await s.list({ state: 'pending' })).map((d) => d.key).sort()).toEqual(['c/s/website/1', 'c/s/wechat/1']);
    expect(instant((await s.get('c/s/wechat/1'))!.nextAttemptAt)).toBe(later(60_000).getTime());
    expect((await s.get('c/s/wechat/1'))!.reason).toBeNull();
    expect(await s.releaseApproved('c', 'h1', later(60_000))).toBe(0);
    expect(await s.counts()).toMatchObject({ pending: 2, held: 3 });
  });

  it('ending an attempt changes only a delivery sending in that attempt: a late or repeated call cannot undo a state', async () => {
    const s = await h.open();
    await created(s, delivery(KEY));
    const n = await sending(s, KEY);
    await s.markSent(KEY, n, RECEIPT, later(1000));
    await s.markFinal(KEY, n, 'failed', 'late', null, later(2000));
    await s.markRetry(KEY, n, later(3000), BUSY, later(2000));
    await s.markUnsent(KEY, later(2000), 'late');
    expect(await s.get(KEY)).toMatchObject({ state: 'sent', receipt: RECEIPT });
    await created(s, delivery('c/s/wechat/2'));
    await s.markSent('c/s/wechat/2', 1, RECEIPT, AT);
    expect(await s.get('c/s/wechat/2')).toMatchObject({ state: 'pending', receipt: null });
    const m = await sending(s, 'c/s/wechat/2');
    await s.markFinal('c/s/wechat/2', m + 1, 'failed', 'another attempt', null, AT);
    expect(await s.get('c/s/wechat/2')).toMatchObject({ state: 'sending' });
  });

  it('replaceUnsent: the unsent deliveries of one part of an occurrence (and its per-recipient rows) take new content; sent ones and other parts keep theirs', async () => {
    const s = await h.open();
    const occ = occurrence();
    await subscribe(s, 'a@example.org', 'b@example.org');
    await s.recordOccurrence(occ, [plainPlan(occ.key, 'wechat', 2), fanOutPlan(occ.key)], AT);
    const part1 = `${baseKey(occ.key, 'wechat')}#1`;
    const mailBase = baseKey(occ.key, 'email');
    const [firstMail] = await s.list({ occurrence: occ.key, state: 'pending' }).then((ds) => ds.filter((d) => d.channel === 'email'));
    await s.markSent(firstMail.key, await sending(s, firstMail.key), RECEIPT, AT);
    const fresh = { channel: 'email' as const, kind: 'message', label: 'new', body: { html: '<p>new</p>' } };
    expect(await s.replaceUnsent(occ.key, mailBase, fresh, 'h2', later(1000))).toBe(1);
    const mails = (await s.list({ occurrence: occ.key })).filter((d) => d.channel === 'email');
    expect(mails.filter((d) => d.contentHash === 'h2').map((d) => d.payload)).toEqual([fresh]);
    expect(mails.find((d) => d.key === firstMail.key)).toMatchObject({ state: 'sent', contentHash: 'h1' });
    const wechatNew = { channel: 'wechat' as const, kind: 'draft', label: 'new', body: { x: 1 } };
    expect(await s.replaceUnsent(occ.key, part1, wechatNew, 'h2', later(1000))).toBe(1);
    expect(await s.get(`${baseKey(occ.key, 'wechat')}#2`)).toMatchObject({ contentHash: 'h1' });
    expect(await s.replaceUnsent(occ.key, part1, wechatNew, 'h2', later(2000))).toBe(0);
    expect((await s.auditLog({ event: 'superseded' })).length).toBe(2);
  });

  it('a checkpoint is merged while its attempt is sending, kept across attempts, refused once the attempt is over, and dropped when the payload changes', async () => {
    const s = await h.open();
    await created(s, delivery(KEY));
    expect((await s.get(KEY))!.checkpoint).toBeNull();
    const first = await sending(s, KEY);
    await s.checkpoint(KEY, first, { draftMediaId: 'D1' }, later(100));
    await s.checkpoint(KEY, first, { publishId: '2247483650' }, later(200));
    expect((await s.get(KEY))!.checkpoint).toEqual({ draftMediaId: 'D1', publishId: '2247483650' });
    await s.markRetry(KEY, first, later(5000), BUSY, later(300));
    // Not sending any more: a late write from the attempt that ended is refused, and changes nothing.
    await expect(s.checkpoint(KEY, first, { publishId: 'late' }, later(400))).rejects.toMatchObject({ code: 'ELOCKLOST' });
    const second = await sending(s, KEY, later(5000));
    expect((await s.get(KEY))!.checkpoint).toEqual({ draftMediaId: 'D1', publishId: '2247483650' });
    await expect(s.checkpoint(KEY, first, { publishId: 'stale' }, later(5100))).rejects.toMatchObject({ code: 'ELOCKLOST' });
    await s.checkpoint(KEY, second, { draftMediaId: null, done: true }, later(5200));
    expect((await s.get(KEY))!.checkpoint).toEqual({ publishId: '2247483650', done: true });
    await s.markRetry(KEY, second, later(9000), BUSY, later(5300));
    // New content for the same delivery: what was done for the old payload no longer applies.
    const fresh = { ...delivery(KEY).payload!, label: 'new' };
    expect(await s.supersede([{ key: KEY, payload: fresh, contentHash: 'h2', state: 'pending' }], later(6000))).toBe(1);
    expect((await s.get(KEY))!.checkpoint).toBeNull();
  });
}
