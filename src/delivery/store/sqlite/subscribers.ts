/** The e-mail subscriber list in the ledger (the fan-out of the email channel). */
import { prepared } from './prepared.js';
import type { Database } from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { normalizeAddress, type Subscriber } from '../types.js';
import { sha256 } from '../../../hash.js';

interface Row { id: string; address: string; name: string | null; unsubscribe_token: string; status: Subscriber['status'] }
const toSubscriber = (r: Row): Subscriber => ({ id: r.id, address: r.address, name: r.name, unsubscribeToken: r.unsubscribe_token, status: r.status });


export class SubscriberTable {
  constructor(
    private readonly db: Database,
    private readonly audit: (event: string, detail: Record<string, unknown>, at: Date) => void,
  ) {}

  /** Adds (or re-activates) a subscriber. The id defaults to a hash of the address: stable, not the address itself. */
  add(s: { id?: string; address: string; name?: string }, at: Date): Subscriber {
    const address = normalizeAddress(s.address);
    const id = s.id ?? `s-${sha256(address).slice(0, 16)}`;
    const token = randomBytes(18).toString('base64url');
    this.db
      .prepare(
        `INSERT INTO subscribers (id, address, name, unsubscribe_token, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'active', ?, ?)
         ON CONFLICT(address) DO UPDATE SET status = 'active', name = coalesce(excluded.name, name), updated_at = excluded.updated_at`,
      )
      .run(id, address, s.name ?? null, token, at.toISOString(), at.toISOString());
    const row = prepared(this.db, 'SELECT * FROM subscribers WHERE address = ?').get(address) as Row;
    this.audit('subscribed', { subscriber: row.id }, at);
    return toSubscriber(row);
  }

  list(status?: Subscriber['status']): Subscriber[] {
    const rows = status
      ? prepared(this.db, 'SELECT * FROM subscribers WHERE status = ? ORDER BY id').all(status)
      : prepared(this.db, 'SELECT * FROM subscribers ORDER BY id').all();
    return (rows as Row[]).map(toSubscriber);
  }

  counts(): Record<Subscriber['status'], number> {
    const out: Record<Subscriber['status'], number> = { active: 0, unsubscribed: 0 };
    for (const r of prepared(this.db, 'SELECT status, count(*) AS n FROM subscribers GROUP BY status').all() as Array<{ status: Subscriber['status']; n: number }>) out[r.status] = r.n;
    return out;
  }

  get(id: string): Subscriber | undefined {
    const r = prepared(this.db, 'SELECT * FROM subscribers WHERE id = ?').get(id) as Row | undefined;
    return r && toSubscriber(r);
  }

  byAddress(address: string): Subscriber | undefined {
    const r = prepared(this.db, 'SELECT * FROM subscribers WHERE address = ?').get(normalizeAddress(address)) as Row | undefined;
    return r && toSubscriber(r);
  }

  unsubscribeAddress(address: string, at: Date): boolean {
    const s = this.byAddress(address);
    if (!s || s.status !== 'active') return false;
    prepared(this.db, `UPDATE subscribers SET status = 'unsubscribed', updated_at = ? WHERE id = ?`).run(at.toISOString(), s.id);
    this.audit('unsubscribed', { subscriber: s.id, by: 'operator' }, at);
    return true;
  }

  /** Inside the caller's transaction: new addresses added, present ones counted, unsubscribed ones skipped (a bulk import never re-subscribes). */
  importMany(entries: Array<{ address: string; name?: string; line: number }>, at: Date): { added: number; present: number; skipped: Array<{ address: string; line: number }> } {
    let added = 0;
    let present = 0;
    const skipped: Array<{ address: string; line: number }> = [];
    for (const e of entries) {
      const before = this.byAddress(e.address);
      if (before?.status === 'unsubscribed') skipped.push({ address: before.address, line: e.line });
      else if (before) present++;
      else (this.add({ address: e.address, name: e.name }, at), added++);
    }
    return { added, present, skipped };
  }

  unsubscribe(token: string, at: Date): boolean {
    const r = this.db
      .prepare(`UPDATE subscribers SET status = 'unsubscribed', updated_at = ? WHERE unsubscribe_token = ? AND status = 'active'`)
      .run(at.toISOString(), token);
    if (r.changes > 0) this.audit('unsubscribed', { token: token.slice(0, 4) + '…' }, at);
    return r.changes > 0;
  }
}
