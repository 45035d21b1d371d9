/**
 * The e-mail subscribers in PostgreSQL, with the meaning of SubscriberStore
 * (types.ts) and of sqlite/subscribers.ts. Changes run inside the caller's
 * transaction and lock the row they change (FOR UPDATE), so two processes
 * adding, confirming or bouncing the same subscriber take turns. An import
 * locks the table against other writers of it for its one transaction and
 * writes in bulk: 100,000 addresses are a handful of statements, not 100,000.
 */
import { randomBytes } from 'node:crypto';
import { BOUNCE_LIMIT, normalizeAddress, SUBSCRIBER_STATUSES, type NewSubscriber, type Subscriber, type SubscriberStatus } from '../types.js';
import { newSubscriberId } from '../ids.js';
import { lastBounce, toSubscriber, type SubscriberRow as Row } from '../records.js';
import type { Db, Q } from './sql.js';


type Audit = (c: Q, event: string, detail: Record<string, unknown>, at: Date) => Promise<void>;
const newToken = () => randomBytes(18).toString('base64url');
/** Rows per bulk statement of an import. */
const BATCH = 5000;

export class SubscriberTable {
  constructor(
    private readonly db: Db,
    private readonly audit: Audit,
  ) {}

  private async one(c: Q, where: string, value: string, lock = false): Promise<Subscriber | undefined> {
    const [r] = (await c.query<Row>(`SELECT * FROM subscribers WHERE ${where} = $1${lock ? ' FOR UPDATE' : ''}`, [value])).rows;
    return r && toSubscriber(r);
  }

  /** See SubscriberStore.addSubscriber. */
  async add(c: Q, s: NewSubscriber, at: Date): Promise<Subscriber> {
    const address = normalizeAddress(s.address);
    const when = at.toISOString();
    const status = s.status ?? 'active';
    const name = s.name?.trim() || null;
    let before = await this.one(c, 'address', address, true);
    if (!before) {
      const id = s.id ?? newSubscriberId();
      const r = await c.query(
        `INSERT INTO subscribers (id, address, name, unsubscribe_token, status, source, created_at, updated_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) ON CONFLICT (address) DO NOTHING`,
        [id, address, name, s.unsubscribeToken ?? newToken(), status, s.source ?? 'cli', when, status === 'active' ? when : null],
      );
      if (r.rowCount === 1) {
        await this.audit(c, status === 'pending' ? 'subscriber pending' : 'subscribed', { subscriber: id, source: s.source ?? 'cli' }, at);
        return (await this.one(c, 'id', id))!;
      }
      // Added by another process a moment ago: change that one, as if it had been there.
      before = (await this.one(c, 'address', address, true))!;
    }
    // A sign-up names any address it likes: it changes nothing of an active subscriber.
    if (status === 'pending' && before.status === 'active') return before;
    let next: SubscriberStatus = before.status;
    if (status === 'active') next = 'active';
    else if (before.status === 'unsubscribed' || before.status === 'bounced') next = 'pending';
    await c.query(
      `UPDATE subscribers SET status = $1, name = coalesce($2, name), updated_at = $3,
         confirmed_at = CASE WHEN $1 = 'active' AND status <> 'active' THEN $3 ELSE confirmed_at END,
         bounces = CASE WHEN $1 = 'active' AND status <> 'active' THEN 0 ELSE bounces END
       WHERE id = $4`,
      [next, name, when, before.id],
    );
    if (next !== before.status) await this.audit(c, next === 'pending' ? 'subscriber pending' : 'subscribed', { subscriber: before.id, source: s.source ?? 'cli', was: before.status }, at);
    return (await this.one(c, 'id', before.id))!;
  }

  async list(status?: SubscriberStatus): Promise<Subscriber[]> {
    const rows = status
      ? await this.db.rows<Row>('SELECT * FROM subscribers WHERE status = $1 ORDER BY id', [status])
      : await this.db.rows<Row>('SELECT * FROM subscribers ORDER BY id');
    return rows.map(toSubscriber);
  }

  async counts(): Promise<Record<SubscriberStatus, number>> {
    const out = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
    for (const r of await this.db.rows<{ status: SubscriberStatus; n: number }>('SELECT status, count(*) AS n FROM subscribers GROUP BY status')) out[r.status] = r.n;
    return out;
  }

  get(id: string) { return this.read('id', id); }

  async byIds(ids: string[]): Promise<Map<string, Subscriber>> {
    const rows = ids.length === 0 ? [] : await this.db.rows<Row>('SELECT * FROM subscribers WHERE id = ANY($1::text[])', [ids], true);
    return new Map(rows.map((r) => [r.id, toSubscriber(r)]));
  }

  byAddress(address: string) { return this.read('address', normalizeAddress(address)); }
  byToken(token: string) { return this.read('unsubscribe_token', token); }

  /** `one` outside a transaction, its failure said as Db.rows says it (a lost server: ELEDGER_UNAVAILABLE, not pg's raw error). */
  private async read(where: string, value: string): Promise<Subscriber | undefined> {
    try {
      return await this.one(this.db.pool, where, value);
    } catch (err) {
      throw this.db.said(err);
    }
  }

  async unsubscribeAddress(c: Q, address: string, at: Date): Promise<boolean> {
    const s = await this.one(c, 'address', normalizeAddress(address));
    return !!s && this.unsubscribeId(c, s.id, at, 'operator');
  }

  async unsubscribe(c: Q, token: string, at: Date): Promise<boolean> {
    const s = await this.one(c, 'unsubscribe_token', token);
    return !!s && this.unsubscribeId(c, s.id, at, 'link');
  }

  async unsubscribeId(c: Q, id: string, at: Date, by: string): Promise<boolean> {
    const when = at.toISOString();
    const r = await c.query(`UPDATE subscribers SET status = 'unsubscribed', updated_at = $1, unsubscribed_at = $1 WHERE id = $2 AND status IN ('active','pending')`, [when, id]);
    if (r.rowCount! > 0) await this.audit(c, 'unsubscribed', { subscriber: id, by }, at);
    return r.rowCount! > 0;
  }

  /** Inside the caller's transaction: see SubscriberStore.importSubscribers. One audit entry for the whole import. */
  async importMany(
    c: Q,
    entries: Array<{ address: string; name?: string; line: number; id?: string; unsubscribeToken?: string }>,
    at: Date,
    source = 'import',
  ): Promise<{ added: number; present: number; skipped: Array<{ address: string; line: number; status: SubscriberStatus }> }> {
    if (entries.length === 0) return { added: 0, present: 0, skipped: [] };
    const when = at.toISOString();
    // Other writers of the list wait for this import; readers (and the fan-out) do not.
    await c.query('LOCK TABLE subscribers IN SHARE ROW EXCLUSIVE MODE');
    const addresses = [...new Set(entries.map((e) => normalizeAddress(e.address)))];
    const known = new Map<string, { id: string; status: SubscriberStatus; name: string | null }>();
    for (let i = 0; i < addresses.length; i += BATCH) {
      const r = await c.query<{ id: string; address: string; status: SubscriberStatus; name: string | null }>(
        'SELECT id, address, status, name FROM subscribers WHERE address = ANY($1::text[])', [addresses.slice(i, i + BATCH)]);
      for (const row of r.rows) known.set(row.address, row);
    }
    // Each entry as the one before it left the list (a repeated address is present the second time).
    const fresh = new Map<string, { id: string; address: string; name: string | null; token: string }>();
    const touched = new Map<string, { id: string; name: string | null; confirm: boolean }>();
    let present = 0;
    let confirmed = 0;
    const skipped: Array<{ address: string; line: number; status: SubscriberStatus }> = [];
    for (const e of entries) {
      const address = normalizeAddress(e.address);
      const name = e.name?.trim() || null;
      const added = fresh.get(address);
      const before = known.get(address);
      if (added) {
        present++;
        added.name ??= name;
      } else if (!before) {
        fresh.set(address, { id: e.id ?? newSubscriberId(), address, name, token: e.unsubscribeToken ?? newToken() });
      } else if (before.status === 'unsubscribed' || before.status === 'bounced') {
        skipped.push({ address, line: e.line, status: before.status });
      } else {
        present++;
        const wasPending = before.status === 'pending';
        if (wasPending) confirmed++;
        if (wasPending || (name && !before.name)) {
          const t = touched.get(address) ?? { id: before.id, name: null, confirm: false };
          touched.set(address, { id: before.id, name: t.name ?? name, confirm: t.confirm || wasPending });
          before.status = 'active';
          before.name ??= name;
        }
      }
    }
    const rows = [...fresh.values()];
    for (let i = 0; i < rows.length; i += BATCH) {
      const b = rows.slice(i, i + BATCH);
      await c.query(
        `INSERT INTO subscribers (id, address, name, unsubscribe_token, status, source, created_at, updated_at, confirmed_at)
         SELECT id, address, name, token, 'active', $5, $6, $6, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, address, name, token)`,
        [b.map((r) => r.id), b.map((r) => r.address), b.map((r) => r.name), b.map((r) => r.token), source, when],
      );
    }
    const changes = [...touched.values()];
    for (let i = 0; i < changes.length; i += BATCH) {
      const b = changes.slice(i, i + BATCH);
      await c.query(
        `UPDATE subscribers s SET status = 'active', name = coalesce(s.name, t.name), updated_at = $4,
           confirmed_at = CASE WHEN t.confirm THEN $4 ELSE s.confirmed_at END
         FROM unnest($1::text[], $2::text[], $3::boolean[]) AS t(id, name, confirm) WHERE s.id = t.id`,
        [b.map((r) => r.id), b.map((r) => r.name), b.map((r) => r.confirm), when],
      );
    }
    if (rows.length + confirmed > 0) await this.audit(c, 'subscribers imported', { source, added: rows.length, activated: confirmed, present, skipped: skipped.length }, at);
    return { added: rows.length, present, skipped };
  }

  async confirm(c: Q, id: string, at: Date): Promise<'confirmed' | 'already' | 'unknown'> {
    const s = await this.one(c, 'id', id, true);
    if (!s) return 'unknown';
    if (s.status === 'active') return 'already';
    if (s.status !== 'pending') return 'unknown';
    const when = at.toISOString();
    await c.query(`UPDATE subscribers SET status = 'active', confirmed_at = $1, updated_at = $1, bounces = 0 WHERE id = $2`, [when, id]);
    await this.audit(c, 'subscribed', { subscriber: id, source: s.source, confirmed: true }, at);
    return 'confirmed';
  }

  async bounce(c: Q, id: string, at: Date, detail: { code?: string; message: string; key?: string }): Promise<{ bounces: number; status: SubscriberStatus } | undefined> {
    const s = await this.one(c, 'id', id, true);
    if (!s) return undefined;
    const when = at.toISOString();
    const bounces = s.bounces + 1;
    const status: SubscriberStatus = bounces >= BOUNCE_LIMIT && (s.status === 'active' || s.status === 'pending') ? 'bounced' : s.status;
    const last = lastBounce(when, detail);
    await c.query('UPDATE subscribers SET bounces = $1, last_bounce = $2, status = $3, updated_at = $4 WHERE id = $5', [bounces, last, status, when, id]);
    await this.audit(c, 'bounce', { subscriber: id, bounces, ...(detail.code ? { code: detail.code } : {}), ...(detail.key ? { key: detail.key } : {}) }, at);
    if (status !== s.status) await this.audit(c, 'bounced', { subscriber: id, bounces }, at);
    return { bounces, status };
  }
}
