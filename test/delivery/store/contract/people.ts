/** Who approved which content (the latest wins), and the e-mail subscribers (one per mailbox; an import never re-subscribes). */
import { expect, it } from 'vitest';
import type { Harness } from '../contract.js';
import { AT, instant, later, subscribe } from './fixtures.js';

export function peopleContract(h: Harness): void {
  it('approvals: each recorded with who and when; the latest of a campaign is what may be sent, the latest of a hash says who', async () => {
    const s = await h.open();
    expect(await s.latestApproval('c')).toBeUndefined();
    expect(await s.approval('c', 'h1')).toBeUndefined();
    await s.recordApproval('c', 'h1', '王警官', AT);
    const first = (await s.approval('c', 'h1'))!;
    expect(first).toMatchObject({ campaign: 'c', contentHash: 'h1', approvedBy: '王警官' });
    expect(instant(first.approvedAt)).toBe(AT.getTime());
    await s.recordApproval('c', 'h2', '李科长', later(60_000));
    expect(await s.latestApproval('c')).toMatchObject({ contentHash: 'h2', approvedBy: '李科长' });
    expect(await s.approval('c', 'h1')).toMatchObject({ approvedBy: '王警官' });
    // Back to the first content: approved again, it is the latest again.
    await s.recordApproval('c', 'h1', '张所长', later(120_000));
    expect(await s.latestApproval('c')).toMatchObject({ contentHash: 'h1', approvedBy: '张所长' });
    expect(await s.approval('c', 'h1')).toMatchObject({ approvedBy: '张所长' });
    expect(await s.latestApproval('d')).toBeUndefined();
    expect(await s.approval('d', 'h1')).toBeUndefined();
  });

  it('a subscriber: the address trimmed and lower-cased, a stable id, an unsubscribe token; found by id and by address', async () => {
    const s = await h.open();
    const a = await s.addSubscriber({ address: '  Wang.Li@Example.ORG ', name: '王丽' }, AT);
    expect(a).toMatchObject({ address: 'wang.li@example.org', name: '王丽', status: 'active', id: expect.any(String), unsubscribeToken: expect.any(String) });
    expect(a.unsubscribeToken.length).toBeGreaterThanOrEqual(16);
    expect(a.id).toMatch(/^s-[0-9a-f]{16}$/);
    expect(a).toMatchObject({ source: 'cli', bounces: 0, lastBounce: null, confirmedAt: expect.any(String), unsubscribedAt: null });
    expect(await s.subscriber(a.id)).toEqual(a);
    expect(await s.subscriberByAddress('WANG.LI@example.org')).toEqual(a);
    expect(await s.subscriber('nobody')).toBeUndefined();
    expect(await s.subscriberByAddress('nobody@example.org')).toBeUndefined();
    // The same mailbox again: the same subscriber; without a name it keeps the one it has.
    expect(await s.addSubscriber({ address: 'wang.li@example.org' }, later(1000))).toMatchObject({ id: a.id, name: '王丽', status: 'active' });
    const [b] = await subscribe(s, 'zhao@example.org');
    expect(b.id).not.toBe(a.id);
    expect(b.unsubscribeToken).not.toBe(a.unsubscribeToken);
  });

  it('unsubscribe by token: once; the record stays, unsubscribed; adding the address again subscribes it again', async () => {
    const s = await h.open();
    const [a, b] = await subscribe(s, 'a@example.org', 'b@example.org');
    expect(await s.subscriberByToken(a.unsubscribeToken)).toEqual(a);
    expect(await s.subscriberByToken('no-such-token')).toBeUndefined();
    expect(await s.unsubscribe(a.unsubscribeToken, later(1000))).toBe(true);
    expect((await s.subscriberByToken(a.unsubscribeToken))!.status).toBe('unsubscribed');
    expect(await s.unsubscribe(a.unsubscribeToken, later(2000))).toBe(false);
    expect(await s.unsubscribe('no-such-token', later(2000))).toBe(false);
    expect(await s.subscriber(a.id)).toMatchObject({ status: 'unsubscribed', address: 'a@example.org' });
    expect((await s.subscribers('active')).map((x) => x.id)).toEqual([b.id]);
    expect((await s.subscribers('unsubscribed')).map((x) => x.id)).toEqual([a.id]);
    expect(await s.addSubscriber({ address: 'a@example.org' }, later(3000))).toMatchObject({ id: a.id, status: 'active' });
    expect(await s.subscriberCounts()).toEqual({ pending: 0, active: 2, unsubscribed: 0, bounced: 0 });
  });

  it('subscribersById: those of the ids it has, by id, each as subscriber(id) reads it, in any state; unknown ids and none asked give none', async () => {
    const s = await h.open();
    const [a, b, c] = await subscribe(s, 'a@example.org', 'b@example.org', 'c@example.org');
    await s.unsubscribe(b.unsubscribeToken, later(1000));
    const found = await s.subscribersById([c.id, 'nobody', b.id, a.id, a.id]);
    expect([...found.keys()].sort()).toEqual([a.id, b.id, c.id].sort());
    for (const id of [a.id, b.id, c.id]) expect(found.get(id)).toEqual(await s.subscriber(id));
    expect(found.get(b.id)!.status).toBe('unsubscribed');
    expect((await s.subscribersById([])).size).toBe(0);
    expect((await s.subscribersById(['nobody'])).size).toBe(0);
  });

  it('unsubscribe by address (the operator): any case; false when unknown or already unsubscribed', async () => {
    const s = await h.open();
    const [a] = await subscribe(s, 'a@example.org');
    expect(await s.unsubscribeAddress('A@Example.org', AT)).toBe(true);
    expect(await s.unsubscribeAddress('a@example.org', AT)).toBe(false);
    expect(await s.unsubscribeAddress('nobody@example.org', AT)).toBe(false);
    expect((await s.subscriber(a.id))!.status).toBe('unsubscribed');
  });

  it('importSubscribers adds the new, counts the present, skips the unsubscribed with their line: an import never re-subscribes', async () => {
    const s = await h.open();
    await subscribe(s, 'old@example.org', 'gone@example.org');
    await s.unsubscribeAddress('gone@example.org', AT);
    const entries = [
      { address: 'new1@example.org', name: '张三', line: 2 },
      { address: 'New2@Example.org', line: 3 },
      { address: 'old@example.org', line: 5 },
      { address: 'gone@example.org', line: 7 },
      { address: 'NEW1@example.org', line: 8 },
    ];
    expect(await s.importSubscribers(entries, later(1000))).toEqual({ added: 2, present: 2, skipped: [{ address: 'gone@example.org', line: 7, status: 'unsubscribed' }] });
    expect((await s.subscriberByAddress('gone@example.org'))!.status).toBe('unsubscribed');
    expect(await s.subscriberByAddress('new1@example.org')).toMatchObject({ name: '张三', status: 'active' });
    expect((await s.subscribers('active')).map((x) => x.address).sort()).toEqual(['new1@example.org', 'new2@example.org', 'old@example.org']);
    expect(await s.importSubscribers(entries, later(2000))).toEqual({ added: 0, present: 4, skipped: [{ address: 'gone@example.org', line: 7, status: 'unsubscribed' }] });
    expect(await s.importSubscribers([], later(3000))).toEqual({ added: 0, present: 0, skipped: [] });
  });

  it('subscriber counts and lists, with nobody and with some', async () => {
    const s = await h.open();
    expect(await s.subscriberCounts()).toEqual({ pending: 0, active: 0, unsubscribed: 0, bounced: 0 });
    expect(await s.subscribers()).toEqual([]);
    const [a, b, c] = await subscribe(s, 'a@example.org', 'b@example.org', 'c@example.org');
    await s.unsubscribe(b.unsubscribeToken, AT);
    expect(await s.subscriberCounts()).toEqual({ pending: 0, active: 2, unsubscribed: 1, bounced: 0 });
    expect((await s.subscribers()).map((x) => x.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect((await s.subscribers('active')).map((x) => x.id).sort()).toEqual([a.id, c.id].sort());
  });

  it('ids are random, not derived from the address: the same address in two stores gets two ids', async () => {
    const [x] = await subscribe(await h.open(), 'same@example.org');
    const [y] = await subscribe(await h.open(), 'same@example.org');
    expect(x.id).not.toBe(y.id);
  });

  it('a given id, token and source are kept', async () => {
    const s = await h.open();
    const a = await s.addSubscriber({ address: 'a@example.org', id: 's-00112233445566ff', unsubscribeToken: 'u.s-00112233445566ff.sig', source: 'web', status: 'pending' }, AT);
    expect(a).toMatchObject({ id: 's-00112233445566ff', unsubscribeToken: 'u.s-00112233445566ff.sig', source: 'web', status: 'pending', confirmedAt: null });
  });

  it('double opt-in: a sign-up is pending (not mailed), confirmed once; a sign-up cannot touch an active subscriber; unsubscribed ones sign up again as pending', async () => {
    const s = await h.open();
    const p = await s.addSubscriber({ address: 'p@example.org', name: '张', status: 'pending', source: 'web' }, AT);
    expect(p.status).toBe('pending');
    expect((await s.subscribers('active')).length).toBe(0);
    expect(await s.subscriberCounts()).toEqual({ pending: 1, active: 0, unsubscribed: 0, bounced: 0 });
    expect(await s.confirmSubscriber(p.id, later(1000))).toBe('confirmed');
    expect(await s.subscriber(p.id)).toMatchObject({ status: 'active', confirmedAt: expect.any(String) });
    expect(await s.confirmSubscriber(p.id, later(2000))).toBe('already');
    expect(await s.confirmSubscriber('s-0000000000000000', later(2000))).toBe('unknown');
    // Somebody signs the active address up again under another name: nothing changes.
    expect(await s.addSubscriber({ address: 'p@example.org', name: '冒名', status: 'pending', source: 'web' }, later(3000))).toMatchObject({ status: 'active', name: '张' });
    expect(await s.unsubscribeId(p.id, later(4000), 'link')).toBe(true);
    expect(await s.unsubscribeId(p.id, later(4000), 'link')).toBe(false);
    expect(await s.subscriber(p.id)).toMatchObject({ status: 'unsubscribed', unsubscribedAt: expect.any(String) });
    expect(await s.confirmSubscriber(p.id, later(5000))).toBe('unknown');
    expect(await s.addSubscriber({ address: 'p@example.org', status: 'pending', source: 'web' }, later(6000))).toMatchObject({ id: p.id, status: 'pending' });
    // A pending sign-up can be unsubscribed too (the link in its confirmation mail).
    expect(await s.unsubscribe(p.unsubscribeToken, later(7000))).toBe(true);
  });

  it('hard bounces are counted; at the third the subscriber is bounced, skipped by an import, and only an operator\'s add brings it back', async () => {
    const s = await h.open();
    const [a] = await subscribe(s, 'a@example.org');
    expect(await s.recordBounce(a.id, later(1), { code: '550', message: 'mailbox unavailable', key: 'k/1' })).toEqual({ bounces: 1, status: 'active' });
    expect(await s.recordBounce(a.id, later(2), { code: '550', message: 'mailbox unavailable' })).toEqual({ bounces: 2, status: 'active' });
    expect(await s.recordBounce(a.id, later(3), { code: '551', message: 'no such user' })).toEqual({ bounces: 3, status: 'bounced' });
    expect(await s.subscriber(a.id)).toMatchObject({ status: 'bounced', bounces: 3, lastBounce: expect.stringContaining('551 no such user') });
    expect(await s.recordBounce('s-0000000000000000', later(4), { message: 'x' })).toBeUndefined();
    expect((await s.subscribers('active')).length).toBe(0);
    expect(await s.importSubscribers([{ address: 'a@example.org', line: 1 }], later(5))).toEqual({ added: 0, present: 0, skipped: [{ address: 'a@example.org', line: 1, status: 'bounced' }] });
    expect(await s.unsubscribeId(a.id, later(6), 'operator')).toBe(false);
    expect(await s.addSubscriber({ address: 'a@example.org' }, later(7))).toMatchObject({ id: a.id, status: 'active', bounces: 0 });
  });

  it('an import activates a pending sign-up (the bureau vouches for its list) and records its source', async () => {
    const s = await h.open();
    const p = await s.addSubscriber({ address: 'p@example.org', status: 'pending', source: 'web' }, AT);
    expect(await s.importSubscribers([{ address: 'p@example.org', line: 2 }, { address: 'n@example.org', line: 3 }], later(1), 'import:list.csv')).toMatchObject({ added: 1, present: 1 });
    expect((await s.subscriber(p.id))!.status).toBe('active');
    expect((await s.subscriberByAddress('n@example.org'))!.source).toBe('import:list.csv');
  });
}
