/**
 * The SQLite ledger (better-sqlite3, WAL): the embedded `DeliveryStore`.
 * Every state change is one committed transaction that also appends to the
 * audit log, so a crash leaves either the old state or the new one.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Receipt } from '../channels/channel.js';
import { migrate } from './migrations.js';
import { SubscriberTable } from './subscribers.js';
import { LockTable } from './locks.js';
import { sha256 } from '../hash.js';
import {
  AWAITING_APPROVAL,
  DELIVERY_STATES,
  type AttemptError,
  type Delivery,
  type DeliveryState,
  type DeliveryStore,
  type NewDelivery,
  type SupersedeChange,
} from './store.js';

export const LEDGER_FILE = 'advisory.db';


/** Opens (creating if needed) `<varDir>/advisory.db` and applies migrations. */
export function openLedger(varDir: string): SqliteStore {
  return new SqliteStore(join(varDir, LEDGER_FILE));
}

interface Row {
  key: string; campaign: string; schedule: string; channel: string; recipient: string | null;
  due_utc: string; window_ends_utc: string; state: DeliveryState; reason: string | null;
  attempts: number; tries: number; next_attempt_at: string | null; payload: string | null;
  payload_sha256: string | null; content_hash: string; receipt: string | null; last_error: string | null;
  created_at: string; updated_at: string;
}

function toDelivery(r: Row): Delivery {
  return {
    key: r.key, campaign: r.campaign, schedule: r.schedule, channel: r.channel as Delivery['channel'],
    recipient: r.recipient, dueUtc: r.due_utc, windowEndsUtc: r.window_ends_utc, state: r.state, reason: r.reason,
    attempts: r.attempts, tries: r.tries, nextAttemptAt: r.next_attempt_at,
    payload: r.payload === null ? null : JSON.parse(r.payload), payloadSha256: r.payload_sha256,
    contentHash: r.content_hash, receipt: r.receipt === null ? null : JSON.parse(r.receipt),
    lastError: r.last_error, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

const iso = (d: Date) => d.toISOString();

export class SqliteStore implements DeliveryStore {
  readonly db: Database.Database;
  readonly file: string;
  private readonly subs: SubscriberTable;
  private readonly locks: LockTable;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.file = file;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db, file);
    this.subs = new SubscriberTable(this.db, (e, d, at) => this.audit(e, d, at));
    this.locks = new LockTable(this.db);
  }

  createDeliveries(materializedKey: string, deliveries: NewDelivery[], at: Date): number {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO deliveries (key, campaign, schedule, channel, recipient, due_utc, window_ends_utc, state, reason,
         next_attempt_at, payload, payload_sha256, content_hash, created_at, updated_at)
       VALUES (@key, @campaign, @schedule, @channel, @recipient, @dueUtc, @windowEndsUtc, @state, @reason,
         @nextAttemptAt, @payload, @payloadSha256, @contentHash, @at, @at)`,
    );
    return this.db.transaction(() => {
      const fresh = this.db.prepare('INSERT OR IGNORE INTO materialized (key, created_at) VALUES (?, ?)').run(materializedKey, iso(at));
      if (fresh.changes === 0) return 0;
      let n = 0;
      for (const d of deliveries) {
        const payload = d.payload === null ? null : JSON.stringify(d.payload);
        const r = insert.run({
          ...d, reason: d.reason ?? null, payload, payloadSha256: payload === null ? null : sha256(payload),
          // Normalised to toISOString() form: next_attempt_at is compared as text.
          nextAttemptAt: d.state === 'pending' ? iso(new Date(d.dueUtc)) : null, at: iso(at),
        });
        if (r.changes > 0) {
          n++;
          if (d.state !== 'pending') this.audit(`delivery-${d.state}`, { key: d.key, reason: d.reason }, at);
        }
      }
      this.audit('deliveries-created', { occurrence: materializedKey, created: n }, at);
      return n;
    }).immediate();
  }

  isMaterialized(materializedKey: string): boolean {
    return this.db.prepare('SELECT 1 FROM materialized WHERE key = ?').get(materializedKey) !== undefined;
  }

  get(key: string): Delivery | undefined {
    const r = this.db.prepare('SELECT * FROM deliveries WHERE key = ?').get(key) as Row | undefined;
    return r && toDelivery(r);
  }

  list(filter: { state?: DeliveryState; campaign?: string; keys?: string[]; limit?: number } = {}): Delivery[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state) (where.push('state = ?'), args.push(filter.state));
    if (filter.campaign) (where.push('campaign = ?'), args.push(filter.campaign));
    if (filter.keys) (where.push(`key IN (SELECT value FROM json_each(?))`), args.push(JSON.stringify(filter.keys)));
    const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY due_utc, key LIMIT ?`;
    return (this.db.prepare(sql).all(...args, filter.limit ?? -1) as Row[]).map(toDelivery);
  }

  counts(): Record<DeliveryState, number> {
    const out = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM deliveries GROUP BY state').all() as Array<{ state: DeliveryState; n: number }>) {
      out[r.state] = r.n;
    }
    return out;
  }

  due(now: Date, limit: number): Delivery[] {
    const rows = this.db
      .prepare(`SELECT * FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`)
      .all(iso(now), limit) as Row[];
    return rows.map(toDelivery);
  }

  nextAttemptAt(): Date | null {
    const r = this.db.prepare(`SELECT min(next_attempt_at) AS t FROM deliveries WHERE state = 'pending'`).get() as { t: string | null };
    return r.t ? new Date(r.t) : null;
  }

  markSending(key: string, at: Date): { attempt: number } | false {
    return this.db.transaction(() => {
      const r = this.db.prepare(`SELECT id, attempts FROM deliveries WHERE key = ? AND state = 'pending'`).get(key) as { id: number; attempts: number } | undefined;
      if (!r) return false;
      const attempt = r.attempts + 1;
      this.db.prepare(`UPDATE deliveries SET state = 'sending', attempts = ?, tries = tries + 1, updated_at = ? WHERE id = ?`).run(attempt, iso(at), r.id);
      this.db.prepare('INSERT INTO attempts (delivery, n, started_at) VALUES (?, ?, ?)').run(r.id, attempt, iso(at));
      this.audit('attempt-started', { key, attempt }, at);
      return { attempt };
    }).immediate();
  }

  markSent(key: string, attempt: number, receipt: Receipt, at: Date): void {
    this.finish(key, attempt, at, { state: 'sent', receipt, outcome: 'sent' });
  }

  markRetry(key: string, attempt: number, nextAt: Date, error: AttemptError, at: Date): void {
    this.finish(key, attempt, at, { state: 'pending', nextAt, error, outcome: 'retry' });
  }

  markFinal(key: string, attempt: number, state: 'failed' | 'held' | 'missed', reason: string, error: AttemptError | null, at: Date): void {
    this.finish(key, attempt, at, { state, reason, error: error ?? undefined, outcome: state });
  }

  markUnsent(key: string, at: Date, note: string): void {
    const d = this.get(key);
    if (!d || d.state !== 'sending') return;
    this.finish(key, d.attempts, at, { state: 'pending', nextAt: at, outcome: 'not-sent', error: { failure: 'crash', message: note } });
  }

  private finish(
    key: string, attempt: number, at: Date,
    o: { state: DeliveryState; outcome: string; receipt?: Receipt; nextAt?: Date; reason?: string; error?: AttemptError },
  ): void {
    this.db.transaction(() => {
      const r = this.db.prepare('SELECT id, state FROM deliveries WHERE key = ?').get(key) as { id: number; state: string } | undefined;
      if (!r) return;
      this.db
        .prepare(
          `UPDATE deliveries SET state = ?, reason = ?, next_attempt_at = ?, receipt = coalesce(?, receipt),
             last_error = coalesce(?, last_error), updated_at = ? WHERE id = ?`,
        )
        .run(o.state, o.reason ?? null, o.nextAt ? iso(o.nextAt) : null, o.receipt ? JSON.stringify(o.receipt) : null,
          o.error ? o.error.message : null, iso(at), r.id);
      this.db
        .prepare(
          `UPDATE attempts SET finished_at = ?, outcome = ?, error_class = ?, error_message = ?, channel_code = ?, receipt_id = ?
           WHERE delivery = ? AND n = ?`,
        )
        .run(iso(at), o.outcome, o.error?.failure ?? null, o.error?.message ?? null, o.error?.channelCode ?? null,
          o.receipt?.id ?? null, r.id, attempt);
      this.audit(`attempt-${o.outcome}`, { key, attempt, from: r.state, to: o.state, reason: o.reason, error: o.error, receipt: o.receipt?.id }, at);
    }).immediate();
  }

  retry(key: string, at: Date): boolean {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(`UPDATE deliveries SET state = 'pending', tries = 0, reason = NULL, next_attempt_at = ?, updated_at = ?
                  WHERE key = ? AND payload IS NOT NULL AND (state = 'failed' OR (state = 'held' AND reason NOT LIKE ?))`)
        .run(iso(at), iso(at), key, `${AWAITING_APPROVAL}%`);
      if (r.changes > 0) this.audit('retry', { key }, at);
      return r.changes > 0;
    }).immediate();
  }

  recordApproval(campaign: string, contentHash: string, by: string, at: Date): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO approvals (campaign, content_hash, approved_by, approved_at) VALUES (?, ?, ?, ?)').run(campaign, contentHash, by, iso(at));
      this.audit('approval', { campaign, contentHash, by }, at);
    }).immediate();
  }

  approval(campaign: string, contentHash: string) {
    const r = this.db
      .prepare('SELECT campaign, content_hash, approved_by, approved_at FROM approvals WHERE campaign = ? AND content_hash = ? ORDER BY id DESC LIMIT 1')
      .get(campaign, contentHash) as { campaign: string; content_hash: string; approved_by: string; approved_at: string } | undefined;
    return r && { campaign: r.campaign, contentHash: r.content_hash, approvedBy: r.approved_by, approvedAt: r.approved_at };
  }

  latestApproval(campaign: string) {
    const r = this.db
      .prepare('SELECT campaign, content_hash, approved_by, approved_at FROM approvals WHERE campaign = ? ORDER BY id DESC LIMIT 1')
      .get(campaign) as { campaign: string; content_hash: string; approved_by: string; approved_at: string } | undefined;
    return r && { campaign: r.campaign, contentHash: r.content_hash, approvedBy: r.approved_by, approvedAt: r.approved_at };
  }

  supersede(changes: SupersedeChange[], at: Date): number {
    const update = this.db.prepare(
      `UPDATE deliveries SET state = @state, reason = @reason, payload = coalesce(@payload, payload),
         payload_sha256 = coalesce(@sha, payload_sha256), content_hash = @contentHash, tries = 0,
         next_attempt_at = @nextAt, updated_at = @at
       WHERE key = @key AND (state = 'pending' OR (state = 'held' AND reason LIKE @held))`,
    );
    return this.db.transaction(() => {
      let n = 0;
      for (const c of changes) {
        const before = this.db.prepare('SELECT state, content_hash, payload_sha256 FROM deliveries WHERE key = ?').get(c.key) as
          { state: string; content_hash: string; payload_sha256: string | null } | undefined;
        if (!before) continue;
        const payload = c.payload === null ? null : JSON.stringify(c.payload);
        const sha = payload === null ? null : sha256(payload);
        const r = update.run({
          key: c.key, state: c.state, reason: c.reason ?? null, payload, sha, contentHash: c.contentHash,
          nextAt: c.state === 'pending' ? iso(at) : null, at: iso(at), held: `${AWAITING_APPROVAL}%`,
        });
        if (r.changes === 0) continue;
        n++;
        this.audit('superseded', {
          key: c.key, from: before.state, to: c.state, oldContentHash: before.content_hash, contentHash: c.contentHash,
          oldPayloadSha256: before.payload_sha256, payloadSha256: sha ?? before.payload_sha256, reason: c.reason,
        }, at);
      }
      return n;
    }).immediate();
  }

  releaseApproved(campaign: string, contentHash: string, at: Date): number {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(`UPDATE deliveries SET state = 'pending', reason = NULL, next_attempt_at = ?, updated_at = ?
                  WHERE campaign = ? AND content_hash = ? AND state = 'held' AND reason LIKE ?`)
        .run(iso(at), iso(at), campaign, contentHash, `${AWAITING_APPROVAL}%`);
      if (r.changes > 0) this.audit('released', { campaign, contentHash, deliveries: r.changes }, at);
      return r.changes;
    }).immediate();
  }

  attempts(key: string) {
    return (this.db
      .prepare(`SELECT a.* FROM attempts a JOIN deliveries d ON d.id = a.delivery WHERE d.key = ? ORDER BY a.n`)
      .all(key) as Array<Record<string, unknown>>).map((a) => ({
      n: a.n as number, startedAt: a.started_at as string, finishedAt: a.finished_at as string | null,
      outcome: a.outcome as string | null, errorClass: a.error_class as string | null, errorMessage: a.error_message as string | null,
      channelCode: a.channel_code as string | null, receiptId: a.receipt_id as string | null,
    }));
  }

  audit(event: string, detail: Record<string, unknown>, at: Date): void {
    this.db
      .prepare('INSERT INTO audit_log (at, event, delivery_key, detail) VALUES (?, ?, ?, ?)')
      .run(iso(at), event, typeof detail.key === 'string' ? detail.key : null, JSON.stringify(detail));
  }

  getMeta(name: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE name = ?').get(name) as { value: string } | undefined)?.value;
  }

  setMeta(name: string, value: string): void {
    this.db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  addSubscriber(s: { id?: string; address: string; name?: string }, at: Date) { return this.subs.add(s, at); }
  subscribers(status?: 'active' | 'unsubscribed') { return this.subs.list(status); }
  subscriber(id: string) { return this.subs.get(id); }
  unsubscribe(token: string, at: Date) { return this.subs.unsubscribe(token, at); }
  subscriberByAddress(address: string) { return this.subs.byAddress(address); }
  unsubscribeAddress(address: string, at: Date) { return this.subs.unsubscribeAddress(address, at); }

  acquireLock(name: string, purpose: string) { return this.locks.acquire(name, purpose); }
  heartbeat(name: string) { this.locks.heartbeat(name); }
  releaseLock(name: string) { this.locks.release(name); }
  lockHolder(name: string) { return this.locks.holder(name); }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
