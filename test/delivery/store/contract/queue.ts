/** Recorded occurrences (intent and deliveries at once), the e-mail fan-out, waiting channels, and reading deliveries back. */
import { expect, it } from 'vitest';
import type { Harness } from '../contract.js';
import { AT, DUE, baseKey, created, delivery, fanOutPlan, instant, later, occurrence, plainPlan, sending, subscribe } from './fixtures.js';

export function queueContract(h: Harness): void {
  const OCC = occurrence().key;

  it('records an occurrence with every channel\'s deliveries in one call; the same occurrence again is left alone', async () => {
    const s = await h.open();
    const occ = occurrence(OCC, { kind: 'manual', requestedBy: '王警官', contentHash: 'h2' });
    const r = await s.recordOccurrence(occ, [plainPlan(OCC, 'wechat'), plainPlan(OCC, 'weibo', 2)], AT);
    expect(r).toEqual({ recorded: true, created: 3 });
    expect(await s.occurrence(OCC)).toMatchObject({
      key: OCC, campaign: 'c', schedule: 'bulletin', kind: 'manual', contentHash: 'h2', requestedBy: '王警官',
      channels: occ.channels, detail: { advisories: ['01-burglary'] },
    });
    const rows = await s.list({ occurrence: OCC });
    expect(rows.map((d) => d.key).sort()).toEqual([baseKey(OCC, 'wechat'), `${baseKey(OCC, 'weibo')}#1`, `${baseKey(OCC, 'weibo')}#2`]);
    expect(rows.every((d) => d.occurrence === OCC && d.state === 'pending')).toBe(true);
    expect((await s.occurrenceChannels(OCC)).map((c) => `${c.channel} ${c.state}`).sort()).toEqual(['wechat created', 'weibo created']);
    expect(await s.isMaterialized(baseKey(OCC, 'wechat'))).toBe(true);
    expect(await s.recordOccurrence(occ, [plainPlan(OCC, 'wechat'), plainPlan(OCC, 'website')], later(60_000))).toEqual({ recorded: false, created: 0 });
    expect(await s.list()).toHaveLength(3);
  });

  for (const step of ['occurrence', 'channel', 'fanout'] as const) {
    it(`is all or nothing: a throw from the progress callback (at "${step}", mid fan-out included) leaves nothing recorded`, async () => {
      const s = await h.open();
      await subscribe(s, 'a@example.org', 'b@example.org');
      const plans = [plainPlan(OCC, 'wechat'), fanOutPlan(OCC), { channel: 'weibo' as const, baseKey: baseKey(OCC, 'weibo'), error: 'broken' }];
      await expect(s.recordOccurrence(occurrence(), plans, AT, (at) => {
        if (at === step) throw new Error('killed');
      })).rejects.toThrow('killed');
      expect(await s.occurrence(OCC)).toBeUndefined();
      expect(await s.occurrences({})).toEqual([]);
      expect(await s.list()).toEqual([]);
      expect(await s.waitingChannels()).toEqual([]);
      expect(await s.isMaterialized(baseKey(OCC, 'wechat'))).toBe(false);
      // Nothing half-done stands in the way of recording it again.
      expect(await s.recordOccurrence(occurrence(), plans, AT)).toEqual({ recorded: true, created: 3 });
    });
  }

  it('reports its progress: the occurrence first, then each channel, and the fan-out as it goes', async () => {
    const s = await h.open();
    await subscribe(s, 'a@example.org');
    const steps: string[] = [];
    await s.recordOccurrence(occurrence(), [plainPlan(OCC, 'wechat'), fanOutPlan(OCC)], AT, (step) => steps.push(step));
    expect(steps[0]).toBe('occurrence');
    expect(steps.filter((x) => x === 'channel')).toHaveLength(2);
    expect(steps).toContain('fanout');
  });

  it('fans a per-recipient channel out to each active subscriber, each row freezing that subscriber\'s address, name and token', async () => {
    const s = await h.open();
    const [ann, bo] = await subscribe(s, { address: 'ann@example.org', name: '安' }, 'bo@example.org', 'gone@example.org');
    await s.unsubscribeAddress('gone@example.org', AT);
    const plan = fanOutPlan(OCC, 2);
    expect(await s.recordOccurrence(occurrence(), [plan], AT)).toEqual({ recorded: true, created: 4 });
    const rows = await s.list({ occurrence: OCC });
    expect(rows.map((d) => d.key).sort()).toEqual(
      [`${plan.fanOut![0].key}/${ann.id}`, `${plan.fanOut![0].key}/${bo.id}`, `${plan.fanOut![1].key}/${ann.id}`, `${plan.fanOut![1].key}/${bo.id}`].sort(),
    );
    const toAnn = (await s.get(`${plan.fanOut![0].key}/${ann.id}`))!;
    expect(toAnn).toMatchObject({ channel: 'email', recipient: ann.id, occurrence: OCC, state: 'pending', payload: plan.fanOut![0].payload });
    expect(toAnn.recipientData).toEqual({ address: 'ann@example.org', name: '安', unsubscribeToken: ann.unsubscribeToken });
    expect((await s.get(`${plan.fanOut![0].key}/${bo.id}`))!.recipientData).toEqual({ address: 'bo@example.org', name: null, unsubscribeToken: bo.unsubscribeToken });
    // Frozen: what happens to the subscriber afterwards does not change what was recorded.
    await s.addSubscriber({ address: 'ann@example.org', name: '安娜' }, later(1000));
    await s.unsubscribe(bo.unsubscribeToken, later(1000));
    expect((await s.get(toAnn.key))!.recipientData).toEqual(toAnn.recipientData);
    expect((await s.get(`${plan.fanOut![0].key}/${bo.id}`))!.recipientData).toMatchObject({ address: 'bo@example.org' });
  });

  it('a fan-out with nobody subscribed creates nothing and records the channel skipped, not waiting', async () => {
    const s = await h.open();
    expect(await s.recordOccurrence(occurrence(), [plainPlan(OCC, 'wechat'), fanOutPlan(OCC)], AT)).toEqual({ recorded: true, created: 1 });
    const email = (await s.occurrenceChannels(OCC)).find((c) => c.channel === 'email');
    expect(email).toMatchObject({ state: 'skipped', error: expect.any(String) });
    expect(await s.waitingChannels()).toEqual([]);
  });

  it('a channel that did not render waits with why; completeChannel keeps the newer why, then creates it once', async () => {
    const s = await h.open();
    await subscribe(s, 'a@example.org');
    const broken = { channel: 'email' as const, baseKey: baseKey(OCC, 'email'), error: 'templates/email/message.hbs:44:3: Parse error' };
    expect(await s.recordOccurrence(occurrence(), [plainPlan(OCC, 'wechat'), broken], AT)).toEqual({ recorded: true, created: 1 });
    expect(await s.waitingChannels()).toMatchObject([{ channel: 'email', baseKey: broken.baseKey, error: broken.error, occurrence: { key: OCC, campaign: 'c' } }]);
    expect(await s.occurrenceChannels(OCC)).toContainEqual({ channel: 'email', state: 'waiting', error: broken.error });
    expect(await s.completeChannel(OCC, { ...broken, error: 'still broken' }, later(60_000))).toBe(0);
    expect((await s.waitingChannels())[0].error).toBe('still broken');
    expect(await s.completeChannel(OCC, fanOutPlan(OCC), later(120_000))).toBe(1);
    expect(await s.waitingChannels()).toEqual([]);
    expect((await s.list({ occurrence: OCC })).filter((d) => d.channel === 'email')).toHaveLength(1);
    expect(await s.completeChannel(OCC, fanOutPlan(OCC), later(180_000))).toBe(0);
    expect(await s.completeChannel('c/bulletin/no-such-occurrence', fanOutPlan(OCC), AT)).toBe(0);
  });

  it('lists occurrences newest first, by campaign, kind and content hash; counts each one\'s deliveries by channel and state', async () => {
    const s = await h.open();
    const first = occurrence('c/bulletin/2014-09-29T01:00:00Z');
    const second = occurrence('c/manual/2014-09-30T01:00:00Z', { kind: 'manual', contentHash: 'h2', createdAt: later(3_600_000).toISOString() });
    await s.recordOccurrence(first, [plainPlan(first.key, 'wechat')], AT);
    await s.recordOccurrence(second, [plainPlan(second.key, 'wechat'), plainPlan(second.key, 'weibo')], later(3_600_000));
    await s.recordOccurrence(occurrence('other/bulletin/x', { campaign: 'other' }), [], later(7_200_000));
    expect((await s.occurrences({ campaign: 'c' })).map((o) => o.key)).toEqual([second.key, first.key]);
    expect((await s.occurrences({ campaign: 'c', limit: 1 })).map((o) => o.key)).toEqual([second.key]);
    expect((await s.occurrences({ kind: 'manual' })).map((o) => o.key)).toEqual([second.key]);
    expect((await s.occurrences({ campaign: 'c', contentHash: 'h1' })).map((o) => o.key)).toEqual([first.key]);
    await s.markSent(baseKey(second.key, 'weibo'), await sending(s, baseKey(second.key, 'weibo')), { id: 'w1', at: DUE }, AT);
    expect([...(await s.progress(second.key))].sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'wechat', state: 'pending', n: 1 },
      { channel: 'weibo', state: 'sent', n: 1 },
    ]);
    expect(await s.progress('c/bulletin/no-such-occurrence')).toEqual([]);
  });

  it('openStates says whether occurrences still have a delivery pending and one sending, theirs only', async () => {
    const s = await h.open();
    const first = occurrence('c/bulletin/2014-09-29T01:00:00Z');
    const second = occurrence('c/manual/2014-09-30T01:00:00Z', { kind: 'manual', contentHash: 'h2' });
    await s.recordOccurrence(first, [plainPlan(first.key, 'wechat'), plainPlan(first.key, 'weibo')], AT);
    await s.recordOccurrence(second, [plainPlan(second.key, 'wechat')], AT);
    const of = (...occurrences: string[]) => s.openStates({ occurrences });
    expect(await of(first.key)).toEqual({ pending: true, sending: false });
    const wechat = await sending(s, baseKey(first.key, 'wechat'));
    expect(await of(first.key)).toEqual({ pending: true, sending: true });
    await s.markSent(baseKey(first.key, 'weibo'), await sending(s, baseKey(first.key, 'weibo')), { id: 'w1', at: DUE }, AT);
    expect(await of(first.key)).toEqual({ pending: false, sending: true });
    await s.markFinal(baseKey(first.key, 'wechat'), wechat, 'failed', 'refused', { failure: 'permanent', message: 'refused' }, AT);
    expect(await of(first.key)).toEqual({ pending: false, sending: false });
    // The other occurrence's pending delivery is its own: named with it, it counts.
    expect(await of(second.key)).toEqual({ pending: true, sending: false });
    expect(await of(first.key, second.key)).toEqual({ pending: true, sending: false });
    expect(await of('c/bulletin/no-such-occurrence')).toEqual({ pending: false, sending: false });
  });

  it('createDeliveries creates once per materialized key, and never replaces a delivery that exists', async () => {
    const s = await h.open();
    const ds = [delivery('c/s/wechat/1'), delivery('c/s/wechat/2')];
    expect(await s.isMaterialized('m1')).toBe(false);
    expect(await s.createDeliveries('m1', ds, AT)).toBe(2);
    expect(await s.isMaterialized('m1')).toBe(true);
    expect(await s.createDeliveries('m1', [delivery('c/s/wechat/3')], AT)).toBe(0);
    expect(await s.createDeliveries('m2', [delivery('c/s/wechat/1', { contentHash: 'other' }), delivery('c/s/wechat/3')], AT)).toBe(1);
    expect((await s.get('c/s/wechat/1'))!.contentHash).toBe('h1');
    expect((await s.list()).map((d) => d.key)).toEqual(['c/s/wechat/1', 'c/s/wechat/2', 'c/s/wechat/3']);
  });

  it('keeps a created delivery as given: the payload frozen, pending due at its due time, held and missed with their reason', async () => {
    const s = await h.open();
    const p = delivery('c/s/wechat/p');
    const got = await created(s, p, delivery('c/s/wechat/h', { state: 'held', reason: 'needs a person: x' }), delivery('c/s/wechat/m', { state: 'missed', reason: 'missed: due …', payload: null }));
    expect(got).toMatchObject({
      key: p.key, campaign: 'c', schedule: 'bulletin', channel: 'wechat', recipient: null, recipientData: null, occurrence: null,
      dueUtc: DUE, windowEndsUtc: p.windowEndsUtc, state: 'pending', reason: null, payload: p.payload, contentHash: 'h1',
      attempts: 0, tries: 0, receipt: null, lastError: null,
    });
    expect(got.payloadSha256).toEqual(expect.any(String));
    expect(instant(got.nextAttemptAt)).toBe(Date.parse(DUE));
    expect(await s.get('c/s/wechat/h')).toMatchObject({ state: 'held', reason: 'needs a person: x', nextAttemptAt: null });
    expect(await s.get('c/s/wechat/m')).toMatchObject({ state: 'missed', reason: 'missed: due …', payload: null, payloadSha256: null, nextAttemptAt: null });
    expect(await s.get('c/s/wechat/none')).toBeUndefined();
  });

  it('lists by state, campaign, keys and occurrence, in due order, and counts every state', async () => {
    const s = await h.open();
    expect(await s.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, held: 0, missed: 0 });
    await created(s,
      delivery('c/s/wechat/b', { dueUtc: '2014-09-29T03:00:00Z' }), delivery('c/s/wechat/a', { dueUtc: '2014-09-29T03:00:00Z' }),
      delivery('c/s/wechat/z', { dueUtc: '2014-09-29T02:00:00Z' }), delivery('d/s/wechat/x', { campaign: 'd', state: 'held', reason: 'r' }));
    await s.recordOccurrence(occurrence(), [plainPlan(OCC, 'weibo')], AT);
    expect((await s.list()).map((d) => d.key)).toEqual([baseKey(OCC, 'weibo'), 'd/s/wechat/x', 'c/s/wechat/z', 'c/s/wechat/a', 'c/s/wechat/b']);
    expect((await s.list({ state: 'held' })).map((d) => d.key)).toEqual(['d/s/wechat/x']);
    expect((await s.list({ campaign: 'c', limit: 2 })).map((d) => d.key)).toEqual([baseKey(OCC, 'weibo'), 'c/s/wechat/z']);
    expect((await s.list({ keys: ['c/s/wechat/a', 'nope'] })).map((d) => d.key)).toEqual(['c/s/wechat/a']);
    expect((await s.list({ occurrence: OCC })).map((d) => d.key)).toEqual([baseKey(OCC, 'weibo')]);
    expect(await s.counts()).toEqual({ pending: 4, sending: 0, sent: 0, failed: 0, held: 1, missed: 0 });
  });

  it('knownKeys says which of many keys it has, in any state, and nothing of the rest', async () => {
    const s = await h.open();
    await created(s, delivery('c/s/wechat/1'), delivery('c/s/wechat/2', { state: 'missed', payload: null, reason: 'missed' }));
    expect(await s.knownKeys(['c/s/wechat/1', 'c/s/wechat/2', 'c/s/wechat/3', 'x'])).toEqual(new Set(['c/s/wechat/1', 'c/s/wechat/2']));
    expect(await s.knownKeys([])).toEqual(new Set());
  });
}
