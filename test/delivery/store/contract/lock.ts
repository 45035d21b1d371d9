/** The dispatcher lock (one holder, a fencing generation, writes refused once it is lost), named values, the audit log, and the store across instances. */
import { expect, it } from 'vitest';
import { LockLostError, type HeldLock, type Store } from '../../../../src/delivery/store/index.js';
import type { Harness } from '../contract.js';
import { AT, created, delivery, instant, later, subscribe } from './fixtures.js';

const LOCK = 'dispatcher';

async function acquired(s: Store, purpose = 'advisory run', leaseMs = 5_000): Promise<HeldLock> {
  const r = await s.acquireLock(LOCK, purpose, leaseMs);
  if (!('held' in r)) throw new Error(`not acquired: held by ${JSON.stringify(r.holder)}`);
  return r.held;
}

export function lockContract(h: Harness): void {
  it('the lock: taken with a generation and its lease; its holder is alive and heartbeats; nobody holds what nobody took', async () => {
    const s = await h.open();
    expect(await s.lockHolder(LOCK)).toBeNull();
    expect(await s.describeLock(LOCK)).toBeNull();
    const held = await acquired(s, 'advisory run', 5_000);
    expect(held).toEqual({ name: LOCK, generation: expect.any(Number), leaseMs: 5_000 });
    expect(held.generation).toBeGreaterThanOrEqual(1);
    expect(await s.lockHolder(LOCK)).toMatchObject({ purpose: 'advisory run', generation: held.generation, leaseMs: 5_000, state: 'alive' });
    expect(await s.describeLock(LOCK)).toMatchObject({ generation: held.generation, state: 'alive' });
    expect(await s.heartbeat(held)).toBe(true);
    expect(await s.lockHolder('another-lock')).toBeNull();
    await expect(s.checkFence()).resolves.toBeUndefined();
  });

  it('a second acquirer is refused while a live holder has it, and told who holds it', async () => {
    const a = await h.open();
    const held = await acquired(a, 'advisory run');
    const b = await h.reopen(a);
    const r = await b.acquireLock(LOCK, 'advisory publish');
    expect(r).toMatchObject({ holder: { purpose: 'advisory run', generation: held.generation, state: 'alive' } });
    expect(await b.lockHolder(LOCK)).toMatchObject({ purpose: 'advisory run' });
    expect(await a.heartbeat(held)).toBe(true);
  });

  it('released: free for the next, whose generation is higher; the released one\'s heartbeat is refused', async () => {
    const a = await h.open();
    const first = await acquired(a, 'advisory publish');
    await a.releaseLock(first);
    expect(await a.lockHolder(LOCK)).toBeNull();
    expect(await a.describeLock(LOCK)).toMatchObject({ state: 'released', generation: first.generation });
    expect(await a.heartbeat(first)).toBe(false);
    const b = await h.reopen(a);
    const second = await acquired(b, 'advisory run');
    expect(second.generation).toBeGreaterThan(first.generation);
    expect(await a.acquireLock(LOCK, 'advisory publish')).toMatchObject({ holder: { generation: second.generation } });
  });

  it('a holder writes while it holds the lock: its state changes commit', async () => {
    const s = await h.open();
    await created(s, delivery('c/s/wechat/1'));
    await acquired(s);
    expect(await s.markSending('c/s/wechat/1', AT)).toEqual({ attempt: 1 });
    await s.setMeta('planned_up_to', AT.toISOString());
    expect(await s.getMeta('planned_up_to')).toBe(AT.toISOString());
  });

  it('taken over: the old holder\'s heartbeat is refused, its fence and every write throw LockLostError, and nothing of them is committed', async () => {
    const a = await h.open();
    await created(a, delivery('c/s/wechat/1'), delivery('c/s/wechat/2'));
    const held = await acquired(a);
    expect(await a.markSending('c/s/wechat/1', AT)).toEqual({ attempt: 1 });
    await a.setMeta('planned_up_to', 'before');
    await h.takeOver(a, LOCK);
    expect(await a.heartbeat(held)).toBe(false);
    expect((await a.describeLock(LOCK))!.generation).toBeGreaterThan(held.generation);
    await expect(a.checkFence()).rejects.toBeInstanceOf(LockLostError);
    const refused: Array<[string, () => Promise<unknown>]> = [
      ['markSent', () => a.markSent('c/s/wechat/1', 1, { id: 'x', at: AT.toISOString() }, later(1000))],
      ['markSending', () => a.markSending('c/s/wechat/2', later(1000))],
      ['markRetry', () => a.markRetry('c/s/wechat/1', 1, later(5000), { failure: 'transient', message: 'x' }, later(1000))],
      ['setMeta', () => a.setMeta('planned_up_to', 'after')],
      ['recordApproval', () => a.recordApproval('c', 'h1', 'someone', later(1000))],
      ['createDeliveries', () => a.createDeliveries('m-late', [delivery('c/s/wechat/3')], later(1000))],
      ['addSubscriber', () => a.addSubscriber({ address: 'late@example.org' }, later(1000))],
      ['audit', () => a.audit('note', { key: 'c/s/wechat/1' }, later(1000))],
    ];
    for (const [what, write] of refused) await expect(write(), what).rejects.toBeInstanceOf(LockLostError);
    const b = await h.reopen(a);
    expect(await b.get('c/s/wechat/1')).toMatchObject({ state: 'sending', attempts: 1 });
    expect(await b.get('c/s/wechat/2')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await b.get('c/s/wechat/3')).toBeUndefined();
    expect(await b.getMeta('planned_up_to')).toBe('before');
    expect(await b.approval('c', 'h1')).toBeUndefined();
    expect(await b.subscriberByAddress('late@example.org')).toBeUndefined();
    expect(await b.auditLog({ event: 'note' })).toEqual([]);
  });

  it('meta: initMeta sets a value only once (the queue\'s ledger id): of two at once, both get the one kept', async () => {
    const s = await h.open();
    const [x, y] = await Promise.all([s.initMeta('queue_ledger_id', 'aaaaaaaaaaaa'), s.initMeta('queue_ledger_id', 'bbbbbbbbbbbb')]);
    expect(x).toBe(y);
    expect(await s.getMeta('queue_ledger_id')).toBe(x);
    expect(await s.initMeta('queue_ledger_id', 'cccccccccccc')).toBe(x);
  });

  it('meta: named values set, overwritten, read and deleted', async () => {
    const s = await h.open();
    expect(await s.getMeta('planned_up_to')).toBeUndefined();
    await s.setMeta('planned_up_to', '2014-09-29T01:00:00.001Z');
    await s.setMeta('other', 'x');
    await s.setMeta('planned_up_to', '2014-09-29T02:00:00.001Z');
    expect(await s.getMeta('planned_up_to')).toBe('2014-09-29T02:00:00.001Z');
    await s.deleteMeta('planned_up_to');
    expect(await s.getMeta('planned_up_to')).toBeUndefined();
    expect(await s.getMeta('other')).toBe('x');
    await expect(s.deleteMeta('never-set')).resolves.toBeUndefined();
  });

  it('the audit log: entries appended, read back oldest first with their detail, by event, by delivery key, at most `limit`', async () => {
    const s = await h.open();
    expect(await s.auditLog()).toEqual([]);
    await s.audit('note', { key: 'c/s/wechat/1', by: '王警官', nested: { n: 1, list: ['a'] } }, AT);
    await s.audit('note', { text: 'no key' }, later(1000));
    await s.audit('other', { key: 'c/s/wechat/2' }, later(2000));
    const all = await s.auditLog();
    expect(all).toEqual([
      { at: expect.any(String), event: 'note', key: 'c/s/wechat/1', detail: { key: 'c/s/wechat/1', by: '王警官', nested: { n: 1, list: ['a'] } } },
      { at: expect.any(String), event: 'note', key: null, detail: { text: 'no key' } },
      { at: expect.any(String), event: 'other', key: 'c/s/wechat/2', detail: { key: 'c/s/wechat/2' } },
    ]);
    expect(all.map((e) => instant(e.at))).toEqual([AT.getTime(), later(1000).getTime(), later(2000).getTime()]);
    expect((await s.auditLog({ event: 'note' })).map((e) => e.detail)).toEqual([all[0].detail, all[1].detail]);
    expect(await s.auditLog({ key: 'c/s/wechat/2' })).toEqual([all[2]]);
    expect(await s.auditLog({ limit: 2 })).toEqual(all.slice(0, 2));
    expect(await s.auditLog({ event: 'note', key: 'c/s/wechat/2' })).toEqual([]);
  });

  it('every change is in the audit log: approvals, (un)subscribing, a delivery\'s attempts', async () => {
    const s = await h.open();
    await s.recordApproval('c', 'h1', '王警官', AT);
    const [a] = await subscribe(s, 'a@example.org');
    await s.unsubscribe(a.unsubscribeToken, AT);
    await created(s, delivery('c/s/wechat/1'));
    await s.markSending('c/s/wechat/1', AT);
    expect((await s.auditLog({ event: 'approval' })).map((e) => e.detail)).toEqual([expect.objectContaining({ campaign: 'c', contentHash: 'h1', by: '王警官' })]);
    expect((await s.auditLog()).map((e) => e.event).filter((e) => e.endsWith('subscribed'))).toEqual(['subscribed', 'unsubscribed']);
    const ofDelivery = await s.auditLog({ key: 'c/s/wechat/1' });
    expect(ofDelivery.length).toBeGreaterThan(0);
    expect(ofDelivery.every((e) => e.key === 'c/s/wechat/1')).toBe(true);
  });

  it('one store, however many instances: what one commits the other reads, and it outlives closing', async () => {
    const a = await h.open();
    expect(a.location).toEqual(expect.any(String));
    const b = await h.reopen(a);
    expect(b.location).toBe(a.location);
    await created(a, delivery('c/s/wechat/1'));
    await subscribe(a, 'a@example.org');
    await a.recordApproval('c', 'h1', '王警官', AT);
    await a.setMeta('planned_up_to', 'x');
    expect(await b.get('c/s/wechat/1')).toMatchObject({ state: 'pending' });
    await h.close(a);
    const c = await h.reopen(b);
    expect(await c.subscriberCounts()).toEqual({ pending: 0, active: 1, unsubscribed: 0, bounced: 0 });
    expect(await c.latestApproval('c')).toMatchObject({ approvedBy: '王警官' });
    expect(await c.getMeta('planned_up_to')).toBe('x');
    expect((await c.list()).map((d) => d.key)).toEqual(['c/s/wechat/1']);
  });
}
