/** The e-mail subscriber list in the ledger (the fan-out of the email channel). */
import { prepared } from './prepared.js';
import type { Database } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { BOUNCE_LIMIT, normalizeAddress, SUBSCRIBER_STATUSES, type NewSubscriber, type Subscriber, type SubscriberStatus } from '../types.js';
import { newSubscriberId } from '../ids.js';
import { lastBounce, toSubscriber, type SubscriberRow as Row } from '../records.js';


export class SubscriberTable {
  constructor(
    private readonly db: Database,
    private readonly audit: (event: string, detail: Record<string, unknown>, at: Date) => void,
  ) {}

  /** See SubscriberStore.addSubscriber. */
  add(s: NewSubscriber, at: Date): Subscriber {
    const address = normalizeAddress(s.address);
    const when = at.toISOString();
    const status = s.status ?? 'active';
    const name = s.name?.trim() || null;
    const before = this.byAddress(address);
    if (!before) {
      const id = s.id ?? newSubscriberId();
      prepared(
        this.db,
        `INSERT INTO subscribers (id, address, name, unsubscribe_token, status, source, created_at, updated_at, confirmed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, address, name, s.unsubscribeToken ?? randomBytes(18).toString('base64url'), status, s.source ?? 'cli', when, when, status === 'active' ? when : null);
      this.audit(status === 'pending' ? 'subscriber pending' : 'subscribed', { subscriber: id, source: s.source ?? 'cli' }, at);
      return this.get(id)!;
    }
    // A sign-up names any address it likes: it changes nothing of an active subscriber.
    if (status === 'pending' && before.status === 'active') return before;
    let next: SubscriberStatus = before.status;
    if (status === 'active') next = 'active';
    else if (before.status === 'unsubscribed' || before.status === 'bounced') next = 'pending';
    prepared(
      this.db,
      `UPDATE subscribers SET status = ?, name = coalesce(?, name), updated_at = ?,
         confirmed_at = CASE WHEN ? = 'active' AND status <> 'active' THEN ? ELSE confirmed_at END,
         bounces = CASE WHEN ? = 'active' AND status <> 'active' THEN 0 ELSE bounces END
       WHERE id = ?`,
    ).run(next, name, when, next, when, next, before.id);
    if (next !== before.status) this.audit(next === 'pending' ? 'subscriber pending' : 'subscribed', { subscriber: before.id, source: s.source ?? 'cli', was: before.status }, at);
    return this.get(before.id)!;
  }

  list(status?: SubscriberStatus): Subscriber[] {
    const rows = status
      ? prepared(this.db, 'SELECT * FROM subscribers WHERE status = ? ORDER BY id').all(status)
      : prepared(this.db, 'SELECT * FROM subscribers ORDER BY id').all();
    return (rows as Row[]).map(toSubscriber);
  }

  counts(): Record<SubscriberStatus, number> {
    const out = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
    for (const r of prepared(this.db, 'SELECT status, count(*) AS n FROM subscribers GROUP BY status').all() as Array<{ status: SubscriberStatus; n: number }>) out[r.status] = r.n;
    return out;
  }

  get(id: string): Subscriber | undefined {
    const r = prepared(this.db, 'SELECT * FROM subscribers WHERE id = ?').get(id) as Row | undefined;
    return r && toSubscriber(r);
  }

  byIds(ids: string[]): Map<string, Subscriber> {
    const rows = ids.length === 0 ? [] : prepared(this.db, 'SELECT * FROM subscribers WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[];
    return new Map(rows.map((r) => [r.id, toSubscriber(r)]));
  }

  byAddress(address: string): Subscriber | undefined {
    const r = prepared(this.db, 'SELECT * FROM subscribers WHERE address = ?').get(normalizeAddress(address)) as Row | undefined;
    return r && toSubscriber(r);
  }

  byToken(token: string): Subscriber | undefined {
    const r = prepared(this.db, 'SELECT * FROM subscribers WHERE unsubscribe_token = ?').get(token) as Row | undefined;
    return r && toSubscriber(r);
  }

  unsubscribeAddress(address: string, at: Date): boolean {
    const s = this.byAddress(address);
    return !!s && this.unsubscribeId(s.id, at, 'operator');
  }

  unsubscribeId(id: string, at: Date, by: string): boolean {
    const when = at.toISOString();
    const r = prepared(this.db, `UPDATE subscribers SET status = 'unsubscribed', updated_at = ?, unsubscribed_at = ? WHERE id = ? AND status IN ('active','pending')`).run(when, when, id);
    if (r.changes > 0) this.audit('unsubscribed', { subscriber: id, by }, at);
    return r.changes > 0;
  }

  /**
   * Inside the caller's transaction: see SubscriberStore.importSubscribers.
   * One audit entry for the whole import (who came is in each row's source
   * and created_at): 100,000 rows are one statement each, not four.
   */
  importMany(
    entries: Array<{ address: string; name?: string; line: number; id?: string; unsubscribeToken?: string }>,
    at: Date,
    source = 'import',
  ): { added: number; present: number; skipped: Array<{ address: string; line: number; status: SubscriberStatus }> } {
    const when = at.toISOString();
    const find = prepared(this.db, 'SELECT id, status, name FROM subscribers WHERE address = ?');
    const insert = prepared(
      this.db,
      `INSERT INTO subscribers (id, address, name, unsubscribe_token, status, source, created_at, updated_at, confirmed_at)
       VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
    );
    const touch = prepared(
      this.db,
      `UPDATE subscribers SET status = 'active', name = coalesce(name, ?), updated_at = ?,
         confirmed_at = CASE WHEN status = 'pending' THEN ? ELSE confirmed_at END
       WHERE id = ?`,
    );
    let added = 0;
    let present = 0;
    let confirmed = 0;
    const skipped: Array<{ address: string; line: number; status: SubscriberStatus }> = [];
    for (const e of entries) {
      const address = normalizeAddress(e.address);
      const name = e.name?.trim() || null;
      const before = find.get(address) as { id: string; status: SubscriberStatus; name: string | null } | undefined;
      if (!before) {
        insert.run(e.id ?? newSubscriberId(), address, name, e.unsubscribeToken ?? randomBytes(18).toString('base64url'), source, when, when, when);
        added++;
      } else if (before.status === 'unsubscribed' || before.status === 'bounced') {
        skipped.push({ address, line: e.line, status: before.status });
      } else {
        present++;
        if (before.status === 'pending') confirmed++;
        if (before.status === 'pending' || (name && !before.name)) touch.run(name, when, when, before.id);
      }
    }
    if (added + confirmed > 0) this.audit('subscribers imported', { source, added, activated: confirmed, present, skipped: skipped.length }, at);
    return { added, present, skipped };
  }

  unsubscribe(token: string, at: Date): boolean {
    const s = this.byToken(token);
    return !!s && this.unsubscribeId(s.id, at, 'link');
  }

  confirm(id: string, at: Date): 'confirmed' | 'already' | 'unknown' {
    const s = this.get(id);
    if (!s) return 'unknown';
    if (s.status === 'active') return 'already';
    if (s.status !== 'pending') return 'unknown';
    const when = at.toISOString();
    prepared(this.db, `UPDATE subscribers SET status = 'active', confirmed_at = ?, updated_at = ?, bounces = 0 WHERE id = ?`).run(when, when, id);
    this.audit('subscribed', { subscriber: id, source: s.source, confirmed: true }, at);
    return 'confirmed';
  }

  bounce(id: string, at: Date, detail: { code?: string; message: string; key?: string }): { bounces: number; status: SubscriberStatus } | undefined {
    const s = this.get(id);
    if (!s) return undefined;
    const when = at.toISOString();
    const bounces = s.bounces + 1;
    const status: SubscriberStatus = bounces >= BOUNCE_LIMIT && (s.status === 'active' || s.status === 'pending') ? 'bounced' : s.status;
    const last = lastBounce(when, detail);
    prepared(this.db, 'UPDATE subscribers SET bounces = ?, last_bounce = ?, status = ?, updated_at = ? WHERE id = ?').run(bounces, last, status, when, id);
    this.audit('bounce', { subscriber: id, bounces, ...(detail.code ? { code: detail.code } : {}), ...(detail.key ? { key: detail.key } : {}) }, at);
    if (status !== s.status) this.audit('bounced', { subscriber: id, bounces }, at);
    return { bounces, status };
  }
}
