/**
 * The SQLite ledger (better-sqlite3, WAL): the embedded `DeliveryStore`.
 * Every state change is one committed transaction that also appends to the
 * audit log, so a crash leaves either the old state or the new one. Once this
 * process holds the dispatcher lock, every such transaction also checks the
 * lock still carries its generation (fencing).
 */
import { prepared } from './prepared.js';
import Database from 'better-sqlite3';
import type { ChannelName, Checkpoint, Payload, Receipt } from '../../../channels/channel.js';
import { SubscriberTable } from './subscribers.js';
import { LockTable } from './locks.js';
import { StaffTable } from './staff.js';
import { RowWriter } from './rows.js';
import { OccurrenceTable } from './occurrences.js';
import { openDatabase } from './open.js';
import { StateError } from '../../../errors.js';
import { storeMessages } from '../../../i18n/messages-store.js';
import { dueKey, PayloadCache, toDelivery, type DeliveryRow as Row } from '../delivery-row.js';
import {
  AWAITING_APPROVAL,
  DELIVERY_STATES,
  LockLostError,
  type AttemptError,
  type AuditEntry,
  type ChannelPlan,
  type Delivery,
  type DeliveryScope,
  type DeliveryState,
  type DueKey,
  type Store,
  type HeldLock,
  type NewDelivery,
  type OccurrenceKind,
  type OccurrenceRecord,
  type SupersedeChange,
  type NewSubscriber,
  type SubscriberStatus,
} from '../types.js';

export { LEDGER_FILE } from './open.js';

/**
 * Opens `<varDir>/advisory.db` and applies migrations. A new ledger is created
 * only where no file exists; an empty file, or one that is not an advisory
 * ledger, is refused (StateError) rather than treated as a new one.
 */
export function openLedger(varDir: string): SqliteStore {
  return new SqliteStore(openDatabase(varDir));
}

/** Deliveries; their payload is stored once, by sha256, and read through SqliteStore.payloadOf. */
const SELECT = 'SELECT d.* FROM deliveries d';
const iso = (d: Date) => d.toISOString();

export class SqliteStore implements Store {
  readonly db: Database.Database;
  readonly file: string;
  private readonly subs: SubscriberTable;
  private readonly locks: LockTable;
  private readonly staff: StaffTable;
  private readonly rows: RowWriter;
  private readonly occs: OccurrenceTable;
  /** The lock this store's writes are fenced by, once acquired. */
  private fence: HeldLock | null = null;

  constructor(opened: { db: Database.Database; file: string }) {
    this.db = opened.db;
    this.file = opened.file;
    this.subs = new SubscriberTable(this.db, (e, d, at) => this.log(e, d, at));
    this.locks = new LockTable(this.db);
    this.staff = new StaffTable(this.db, (e, d, at) => this.log(e, d, at));
    this.rows = new RowWriter(this.db);
    this.occs = new OccurrenceTable(this.db, this.rows, (e, d, at) => this.log(e, d, at));
  }

  private readonly payloads = new PayloadCache();

  /** The payload stored under `sha`, parsed once and shared (frozen: it is what was approved, byte for byte). */
  private readonly payloadOf = (sha: string | null): Payload | null => {
    if (sha === null) return null;
    const hit = this.payloads.get(sha);
    if (hit) return hit;
    const json = prepared(this.db, 'SELECT payload FROM payloads WHERE sha256 = ?').pluck().get(sha) as string | undefined;
    return json === undefined ? null : this.payloads.put(sha, json, this.file);
  };

  /** A write transaction (BEGIN IMMEDIATE) that first checks this store's fence. */
  private write<T>(fn: () => T): T {
    return this.busy(() => this.db.transaction(() => {
      if (this.fence) this.locks.check(this.fence);
      return fn();
    }).immediate());
  }

  /** SQLITE_BUSY after the busy timeout: another process holds the write lock. Said with this ledger's file. */
  private busy<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      throw new StateError('ELEDGER_BUSY', storeMessages().busy(this.file, `${(err as { code: string }).code}: ${(err as Error).message}`), { cause: err });
    }
  }

  async recordOccurrence(occ: OccurrenceRecord, plans: ChannelPlan[], at: Date, progress: (step: 'occurrence' | 'channel' | 'fanout') => void = () => {}) {
    return this.write(() => this.occs.record(occ, plans, at, progress));
  }

  async completeChannel(occurrence: string, plan: ChannelPlan, at: Date): Promise<number> {
    return this.write(() => {
      if (!this.occs.isWaiting(occurrence, plan.channel)) return 0;
      if (plan.error) {
        this.occs.stillWaiting(occurrence, plan.channel, plan.error, at);
        return 0;
      }
      return this.occs.create(occurrence, plan, at);
    });
  }

  async waitingChannels() { return this.occs.waiting(); }
  async occurrence(key: string) { return this.occs.get(key); }
  async occurrences(filter: { campaign?: string; kind?: OccurrenceKind; contentHash?: string; limit?: number }) { return this.occs.list(filter); }
  async progress(occurrence: string) { return this.occs.progress(occurrence); }
  async occurrenceChannels(occurrence: string) { return this.occs.channelStates(occurrence); }

  async createDeliveries(materializedKey: string, deliveries: NewDelivery[], at: Date): Promise<number> {
    return this.write(() => {
      const fresh = prepared(this.db, 'INSERT OR IGNORE INTO materialized (key, created_at) VALUES (?, ?)').run(materializedKey, iso(at));
      if (fresh.changes === 0) return 0;
      const n = this.rows.rows(deliveries, at);
      for (const d of deliveries) if (d.state !== 'pending') this.log(`delivery-${d.state}`, { key: d.key, reason: d.reason }, at);
      this.log('deliveries-created', { occurrence: materializedKey, created: n }, at);
      return n;
    });
  }

  async knownKeys(keys: string[]): Promise<Set<string>> {
    const rows = prepared(this.db, 'SELECT key FROM deliveries WHERE key IN (SELECT value FROM json_each(?))').all(JSON.stringify(keys)) as Array<{ key: string }>;
    return new Set(rows.map((r) => r.key));
  }

  async isMaterialized(materializedKey: string): Promise<boolean> {
    return prepared(this.db, 'SELECT 1 FROM materialized WHERE key = ?').get(materializedKey) !== undefined;
  }

  async get(key: string): Promise<Delivery | undefined> {
    const r = prepared(this.db, `${SELECT} WHERE d.key = ?`).get(key) as Row | undefined;
    return r && toDelivery(r, this.payloadOf, this.file);
  }

  async list(filter: { state?: DeliveryState; campaign?: string; keys?: string[]; occurrence?: string; limit?: number } = {}): Promise<Delivery[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state) (where.push('d.state = ?'), args.push(filter.state));
    if (filter.campaign) (where.push('d.campaign = ?'), args.push(filter.campaign));
    if (filter.occurrence) (where.push('d.occurrence = ?'), args.push(filter.occurrence));
    if (filter.keys) (where.push(`d.key IN (SELECT value FROM json_each(?))`), args.push(JSON.stringify(filter.keys)));
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.due_utc, d.key LIMIT ?`;
    return (prepared(this.db, sql).all(...args, filter.limit ?? -1) as Row[]).map((r) => toDelivery(r, this.payloadOf, this.file));
  }

  async counts(): Promise<Record<DeliveryState, number>> {
    const out = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for (const r of prepared(this.db, 'SELECT state, count(*) AS n FROM deliveries GROUP BY state').all() as Array<{ state: DeliveryState; n: number }>) {
      out[r.state] = r.n;
    }
    return out;
  }

  async due(now: Date, limit: number, scope?: DeliveryScope): Promise<Delivery[]> {
    const only = scope ? 'AND d.occurrence IN (SELECT value FROM json_each(?))' : '';
    const rows = this.db
      .prepare(`${SELECT} WHERE d.state = 'pending' AND d.next_attempt_at <= ? ${only} ORDER BY d.next_attempt_at, d.id LIMIT ?`)
      .all(...[iso(now), ...(scope ? [JSON.stringify(scope.occurrences)] : []), limit]) as Row[];
    return rows.map((r) => toDelivery(r, this.payloadOf, this.file));
  }

  async dueKeys(now: Date, o: { limit: number; scope?: DeliveryScope; changedSince?: Date }): Promise<DueKey[]> {
    const args: unknown[] = [iso(now)];
    let more = '';
    if (o.scope) (more += ' AND d.occurrence IN (SELECT value FROM json_each(?))'), args.push(JSON.stringify(o.scope.occurrences));
    if (o.changedSince) (more += ' AND (d.updated_at >= ? OR d.next_attempt_at >= ?)'), args.push(iso(o.changedSince), iso(o.changedSince));
    // Only the account is read out of the payload (json_extract, in SQLite), not the payload itself, and once a
    // payload: the due rows first (their LIMIT before anything is parsed), then their few distinct payloads.
    const rows = this.db
      .prepare(`WITH due AS MATERIALIZED (
                  SELECT d.id, d.key, d.channel, d.payload_sha256, d.next_attempt_at FROM deliveries d
                  WHERE d.state = 'pending' AND d.next_attempt_at <= ?${more} ORDER BY d.next_attempt_at, d.id LIMIT ?),
                acc AS MATERIALIZED (
                  SELECT p.sha256, CASE json_extract(p.payload, '$.account.mode') WHEN 'live' THEN json_extract(p.payload, '$.account.id')
                    WHEN 'sandbox' THEN 'sandbox' END AS account
                  FROM payloads p WHERE p.sha256 IN (SELECT payload_sha256 FROM due))
                SELECT due.key, due.channel, acc.account FROM due LEFT JOIN acc ON acc.sha256 = due.payload_sha256
                ORDER BY due.next_attempt_at, due.id`)
      .all(...args, o.limit) as Array<DueKey & { account: string | null }>;
    return rows.map(dueKey);
  }

  async openStates(scope: DeliveryScope): Promise<{ pending: boolean; sending: boolean }> {
    const r = this.db
      .prepare(`SELECT EXISTS (SELECT 1 FROM deliveries WHERE state = 'pending' AND occurrence IN (SELECT value FROM json_each(@occ))) AS pending,
                       EXISTS (SELECT 1 FROM deliveries WHERE state = 'sending' AND occurrence IN (SELECT value FROM json_each(@occ))) AS sending`)
      .get({ occ: JSON.stringify(scope.occurrences) }) as { pending: number; sending: number };
    return { pending: r.pending === 1, sending: r.sending === 1 };
  }

  async nextAttemptAt(scope?: DeliveryScope): Promise<Date | null> {
    const only = scope ? 'AND occurrence IN (SELECT value FROM json_each(?))' : '';
    const r = this.db
      .prepare(`SELECT min(next_attempt_at) AS t FROM deliveries WHERE state = 'pending' ${only}`)
      .get(...(scope ? [JSON.stringify(scope.occurrences)] : [])) as { t: string | null };
    return r.t ? new Date(r.t) : null;
  }

  async markSending(key: string, at: Date): Promise<{ attempt: number } | false> {
    return this.write(() => this.claim(key, at));
  }

  /** pending → sending in its next attempt, inside the caller's transaction; false if it was not pending. */
  private claim(key: string, at: Date): { attempt: number } | false {
    const r = prepared(this.db, `SELECT id, attempts FROM deliveries WHERE key = ? AND state = 'pending'`).get(key) as { id: number; attempts: number } | undefined;
    if (!r) return false;
    const attempt = r.attempts + 1;
    prepared(this.db, `UPDATE deliveries SET state = 'sending', attempts = ?, tries = tries + 1, updated_at = ? WHERE id = ?`).run(attempt, iso(at), r.id);
    prepared(this.db, 'INSERT INTO attempts (delivery, n, started_at) VALUES (?, ?, ?)').run(r.id, attempt, iso(at));
    this.log('attempt-started', { key, attempt }, at);
    return { attempt };
  }

  async markSendingMany(keys: string[], at: Date): Promise<Delivery[]> {
    return this.write(() => {
      const out: Delivery[] = [];
      for (const key of keys) {
        if (!this.claim(key, at)) continue;
        const row = prepared(this.db, `${SELECT} WHERE d.key = ?`).get(key) as Row;
        out.push(toDelivery(row, this.payloadOf, this.file));
      }
      return out;
    });
  }

  async markSentMany(sent: Array<{ key: string; attempt: number; receipt: Receipt }>, at: Date): Promise<void> {
    if (sent.length === 0) return;
    this.write(() => {
      for (const x of sent) this.finishIn(x.key, x.attempt, at, { state: 'sent', receipt: x.receipt, outcome: 'sent' });
    });
  }

  async releaseSending(claims: Array<{ key: string; attempt: number }>, at: Date, nextAt?: Date): Promise<number> {
    if (claims.length === 0) return 0;
    return this.write(() => {
      let n = 0;
      for (const { key, attempt } of claims) {
        const r = prepared(this.db, `SELECT id FROM deliveries WHERE key = ? AND state = 'sending' AND attempts = ?`).get(key, attempt) as { id: number } | undefined;
        if (!r) continue;
        // Undone, not ended: the claim never reached the channel, so it is no attempt (the audit log keeps both steps).
        prepared(this.db, `UPDATE deliveries SET state = 'pending', attempts = attempts - 1, tries = max(tries - 1, 0),
            next_attempt_at = max(coalesce(next_attempt_at, ?), ?), updated_at = ? WHERE id = ?`)
          .run(iso(at), iso(nextAt ?? at), iso(at), r.id);
        prepared(this.db, 'DELETE FROM attempts WHERE delivery = ? AND n = ?').run(r.id, attempt);
        this.log('attempt-released', { key, attempt, from: 'sending', to: 'pending', why: 'claimed, then given back unsent: the run stopped first' }, at);
        n++;
      }
      return n;
    });
  }

  async checkpoint(key: string, attempt: number, details: Checkpoint, at: Date): Promise<void> {
    this.write(() => {
      const r = prepared(this.db, `UPDATE deliveries SET checkpoint = json_patch(coalesce(checkpoint, '{}'), ?), updated_at = ?
        WHERE key = ? AND state = 'sending' AND attempts = ?`).run(JSON.stringify(details), iso(at), key, attempt);
      if (r.changes === 0) throw new LockLostError(storeMessages().attemptTaken(key, attempt));
      this.log('checkpoint', { key, attempt, details }, at);
    });
  }

  async markSent(key: string, attempt: number, receipt: Receipt, at: Date): Promise<void> {
    this.finish(key, attempt, at, { state: 'sent', receipt, outcome: 'sent' });
  }

  async markRetry(key: string, attempt: number, nextAt: Date, error: AttemptError, at: Date): Promise<void> {
    this.finish(key, attempt, at, { state: 'pending', nextAt, error, outcome: 'retry' });
  }

  async markFinal(key: string, attempt: number, state: 'failed' | 'held' | 'missed', reason: string, error: AttemptError | null, at: Date): Promise<void> {
    this.finish(key, attempt, at, { state, reason, error: error ?? undefined, outcome: state });
  }

  async markUnsent(key: string, at: Date, note: string): Promise<void> {
    this.finish(key, null, at, { state: 'pending', nextAt: at, outcome: 'not-sent', error: { failure: 'crash', message: note } });
  }

  async postpone(channel: ChannelName, until: Date, at: Date): Promise<number> {
    return this.write(() => {
      const r = prepared(this.db, `UPDATE deliveries SET next_attempt_at = ?, updated_at = ? WHERE state = 'pending' AND channel = ? AND next_attempt_at < ?`)
        .run(iso(until), iso(at), channel, iso(until));
      if (r.changes > 0) this.log('postponed', { channel, until: iso(until), deliveries: r.changes }, at);
      return r.changes;
    });
  }

  /**
   * Ends an attempt: only a delivery in `sending`, in that attempt (`null`: its
   * current one), changes; anything else (already finished, a newer attempt,
   * never started) is left as it is, so a late or repeated call cannot undo a
   * state, e.g. fail a delivery that was sent.
   */
  private finish(
    key: string, expected: number | null, at: Date,
    o: { state: DeliveryState; outcome: string; receipt?: Receipt; nextAt?: Date; reason?: string; error?: AttemptError },
  ): void {
    this.write(() => this.finishIn(key, expected, at, o));
  }

  /** finish, inside the caller's transaction. */
  private finishIn(
    key: string, expected: number | null, at: Date,
    o: { state: DeliveryState; outcome: string; receipt?: Receipt; nextAt?: Date; reason?: string; error?: AttemptError },
  ): void {
    {
      const r = prepared(this.db, 'SELECT id, state, attempts FROM deliveries WHERE key = ?').get(key) as { id: number; state: string; attempts: number } | undefined;
      if (!r || r.state !== 'sending' || (expected !== null && r.attempts !== expected)) return;
      const attempt = r.attempts;
      prepared(
        this.db,
        `UPDATE deliveries SET state = ?, reason = ?, next_attempt_at = ?, receipt = coalesce(?, receipt),
           last_error = coalesce(?, last_error), updated_at = ? WHERE id = ?`,
      )
        .run(o.state, o.reason ?? null, o.nextAt ? iso(o.nextAt) : null, o.receipt ? JSON.stringify(o.receipt) : null,
          o.error ? o.error.message : null, iso(at), r.id);
      prepared(
        this.db,
        `UPDATE attempts SET finished_at = ?, outcome = ?, error_class = ?, error_message = ?, channel_code = ?, receipt_id = ?
           WHERE delivery = ? AND n = ?`,
      )
        .run(iso(at), o.outcome, o.error?.failure ?? null, o.error?.message ?? null, o.error?.channelCode ?? null,
          o.receipt?.id ?? null, r.id, attempt);
      this.log(`attempt-${o.outcome}`, { key, attempt, from: r.state, to: o.state, reason: o.reason, error: o.error, receipt: o.receipt?.id }, at);
    }
  }

  async retry(key: string, at: Date): Promise<boolean> {
    return this.write(() => {
      const r = this.db
        .prepare(`UPDATE deliveries SET state = 'pending', tries = 0, reason = NULL, next_attempt_at = ?, updated_at = ?
                  WHERE key = ? AND payload_sha256 IS NOT NULL AND (state = 'failed' OR (state = 'held' AND reason NOT LIKE ?))`)
        .run(iso(at), iso(at), key, `${AWAITING_APPROVAL}%`);
      if (r.changes > 0) this.log('retry', { key }, at);
      return r.changes > 0;
    });
  }

  async recordApproval(campaign: string, contentHash: string, by: string, at: Date): Promise<void> {
    this.write(() => {
      prepared(this.db, 'INSERT INTO approvals (campaign, content_hash, approved_by, approved_at) VALUES (?, ?, ?, ?)').run(campaign, contentHash, by, iso(at));
      this.log('approval', { campaign, contentHash, by }, at);
    });
  }

  async approval(campaign: string, contentHash: string) {
    const r = prepared(this.db, 'SELECT campaign, content_hash, approved_by, approved_at FROM approvals WHERE campaign = ? AND content_hash = ? ORDER BY id DESC LIMIT 1')
      .get(campaign, contentHash) as { campaign: string; content_hash: string; approved_by: string; approved_at: string } | undefined;
    return r && { campaign: r.campaign, contentHash: r.content_hash, approvedBy: r.approved_by, approvedAt: r.approved_at };
  }

  async latestApproval(campaign: string) {
    const r = prepared(this.db, 'SELECT campaign, content_hash, approved_by, approved_at FROM approvals WHERE campaign = ? ORDER BY id DESC LIMIT 1')
      .get(campaign) as { campaign: string; content_hash: string; approved_by: string; approved_at: string } | undefined;
    return r && { campaign: r.campaign, contentHash: r.content_hash, approvedBy: r.approved_by, approvedAt: r.approved_at };
  }

  async supersede(changes: SupersedeChange[], at: Date): Promise<number> {
    const update = prepared(this.db, 
      `UPDATE deliveries SET state = @state, reason = @reason,
         checkpoint = CASE WHEN @sha IS NULL OR @sha IS payload_sha256 THEN checkpoint END,
         payload_sha256 = coalesce(@sha, payload_sha256), content_hash = @contentHash, tries = 0,
         next_attempt_at = @nextAt, updated_at = @at
       WHERE key = @key AND (state = 'pending' OR (state = 'held' AND reason LIKE @held))`,
    );
    return this.write(() => {
      let n = 0;
      for (const c of changes) {
        const before = prepared(this.db, 'SELECT state, content_hash, payload_sha256 FROM deliveries WHERE key = ?').get(c.key) as
          { state: string; content_hash: string; payload_sha256: string | null } | undefined;
        if (!before) continue;
        const sha = this.rows.payload(c.payload);
        const r = update.run({
          key: c.key, state: c.state, reason: c.reason ?? null, sha, contentHash: c.contentHash,
          nextAt: c.state === 'pending' ? iso(at) : null, at: iso(at), held: `${AWAITING_APPROVAL}%`,
        });
        if (r.changes === 0) continue;
        n++;
        this.log('superseded', {
          key: c.key, from: before.state, to: c.state, oldContentHash: before.content_hash, contentHash: c.contentHash,
          oldPayloadSha256: before.payload_sha256, payloadSha256: sha ?? before.payload_sha256, reason: c.reason,
        }, at);
      }
      return n;
    });
  }

  async replaceUnsent(occurrence: string, partKey: string, payload: Payload, contentHash: string, at: Date): Promise<number> {
    return this.write(() => {
      const sha = this.rows.payload(payload);
      const r = this.db
        .prepare(
          `UPDATE deliveries SET payload_sha256 = @sha, content_hash = @contentHash, tries = 0, checkpoint = NULL, updated_at = @at
           WHERE occurrence = @occurrence AND (key = @part OR substr(key, 1, length(@part) + 1) = @part || '/')
             AND (state = 'pending' OR (state = 'held' AND reason LIKE @held)) AND payload_sha256 IS NOT @sha`,
        )
        .run({ sha, contentHash, at: iso(at), occurrence, part: partKey, held: `${AWAITING_APPROVAL}%` });
      if (r.changes > 0) this.log('superseded', { occurrence, part: partKey, contentHash, payloadSha256: sha, deliveries: r.changes, why: 'the content changed before an interrupted publish was finished' }, at);
      return r.changes;
    });
  }

  async releaseApproved(campaign: string, contentHash: string, at: Date): Promise<number> {
    return this.write(() => {
      const r = this.db
        .prepare(`UPDATE deliveries SET state = 'pending', reason = NULL, next_attempt_at = ?, updated_at = ?
                  WHERE campaign = ? AND content_hash = ? AND state = 'held' AND reason LIKE ?`)
        .run(iso(at), iso(at), campaign, contentHash, `${AWAITING_APPROVAL}%`);
      if (r.changes > 0) this.log('released', { campaign, contentHash, deliveries: r.changes }, at);
      return r.changes;
    });
  }

  async attempts(key: string) {
    return (this.db
      .prepare(`SELECT a.* FROM attempts a JOIN deliveries d ON d.id = a.delivery WHERE d.key = ? ORDER BY a.n`)
      .all(key) as Array<Record<string, unknown>>).map((a) => ({
      n: a.n as number, startedAt: a.started_at as string, finishedAt: a.finished_at as string | null,
      outcome: a.outcome as string | null, errorClass: a.error_class as string | null, errorMessage: a.error_message as string | null,
      channelCode: a.channel_code as string | null, receiptId: a.receipt_id as string | null,
    }));
  }

  private log(event: string, detail: Record<string, unknown>, at: Date): void {
    // Every state change writes one: compiled once (prepared.ts), not once a call.
    prepared(this.db, 'INSERT INTO audit_log (at, event, delivery_key, detail) VALUES (?, ?, ?, ?)')
      .run(iso(at), event, typeof detail.key === 'string' ? detail.key : null, JSON.stringify(detail));
  }

  async getMeta(name: string): Promise<string | undefined> {
    return (prepared(this.db, 'SELECT value FROM meta WHERE name = ?').get(name) as { value: string } | undefined)?.value;
  }

  async setMeta(name: string, value: string): Promise<void> {
    this.write(() => prepared(this.db, 'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value));
  }

  async initMeta(name: string, value: string): Promise<string> {
    this.write(() => prepared(this.db, 'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(name, value));
    return (await this.getMeta(name)) ?? value;
  }

  async deleteMeta(name: string): Promise<void> {
    this.write(() => prepared(this.db, 'DELETE FROM meta WHERE name = ?').run(name));
  }

  async addSubscriber(s: NewSubscriber, at: Date) { return this.write(() => this.subs.add(s, at)); }
  async subscribers(status?: SubscriberStatus) { return this.subs.list(status); }
  async subscriberCounts() { return this.subs.counts(); }
  async subscriber(id: string) { return this.subs.get(id); }
  async subscribersById(ids: string[]) { return this.subs.byIds(ids); }
  async unsubscribe(token: string, at: Date) { return this.write(() => this.subs.unsubscribe(token, at)); }
  async subscriberByAddress(address: string) { return this.subs.byAddress(address); }
  async subscriberByToken(token: string) { return this.subs.byToken(token); }
  async unsubscribeAddress(address: string, at: Date) { return this.write(() => this.subs.unsubscribeAddress(address, at)); }
  async unsubscribeId(id: string, at: Date, by: string) { return this.write(() => this.subs.unsubscribeId(id, at, by)); }
  async confirmSubscriber(id: string, at: Date) { return this.write(() => this.subs.confirm(id, at)); }
  async recordBounce(id: string, at: Date, detail: { code?: string; message: string; key?: string }) { return this.write(() => this.subs.bounce(id, at, detail)); }

  async addStaff(name: string, passwordHash: string, at: Date) { return this.write(() => this.staff.add(name, passwordHash, at)); }
  async staffAccount(name: string) { return this.staff.get(name); }
  async staffAccounts() { return this.staff.list(); }
  async setStaffPassword(name: string, passwordHash: string, at: Date) { return this.write(() => this.staff.setPassword(name, passwordHash, at)); }
  async removeStaff(name: string, at: Date) { return this.write(() => this.staff.remove(name, at)); }

  async acquireLock(name: string, purpose: string, leaseMs?: number, options: { fence?: boolean } = {}) {
    const r = this.busy(() => this.locks.acquire(name, purpose, leaseMs));
    if ('held' in r && options.fence !== false) this.fence = r.held;
    return r;
  }
  async heartbeat(lock: HeldLock) { return this.locks.heartbeat(lock); }
  async checkFence() { if (this.fence) this.locks.check(this.fence); }
  async releaseLock(lock: HeldLock) {
    this.locks.release(lock);
    if (this.fence?.generation === lock.generation && this.fence.name === lock.name) this.fence = null;
  }
  async lockHolder(name: string) { return this.locks.holder(name); }
  async describeLock(name: string) { return this.locks.describe(name); }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  get location(): string {
    return this.file;
  }

  async audit(event: string, detail: Record<string, unknown>, at: Date): Promise<void> {
    this.write(() => this.log(event, detail, at));
  }

  async auditLog(filter: { event?: string; key?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.event) (where.push('event = ?'), args.push(filter.event));
    if (filter.key) (where.push('delivery_key = ?'), args.push(filter.key));
    const rows = this.db
      .prepare(`SELECT at, event, delivery_key, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`)
      .all(...args, filter.limit ?? -1) as Array<{ at: string; event: string; delivery_key: string | null; detail: string }>;
    return rows.map((r) => ({ at: r.at, event: r.event, key: r.delivery_key, detail: JSON.parse(r.detail) }));
  }

  async importSubscribers(entries: Array<{ address: string; name?: string; line: number; id?: string; unsubscribeToken?: string }>, at: Date, source?: string) {
    return this.write(() => this.subs.importMany(entries, at, source));
  }
}
