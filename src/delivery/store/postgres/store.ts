/**
 * The PostgreSQL ledger: the same `Store` as the SQLite one (the same contract
 * suite passes on both), for a bureau that outgrows one machine. Every state
 * change is one transaction that also appends to the audit log; once this
 * instance holds the dispatcher lock, each such transaction first checks the
 * lock still carries its generation (locks.ts). Where SQLite's one writer at a
 * time made a read-then-write safe, the row is locked (FOR UPDATE), or the
 * change is one conditional UPDATE, so any number of processes may share the
 * ledger.
 */
import type { ChannelName, Checkpoint, Payload, Receipt } from '../../../channels/channel.js';
import { storeMessages } from '../../../i18n/messages-store.js';
import { dueKey, parseJson, PayloadCache, toDelivery, type DeliveryRow } from '../delivery-row.js';
import {
  AWAITING_APPROVAL, DELIVERY_STATES, LockLostError,
  type AttemptError, type AuditEntry, type ChannelPlan, type Delivery, type DeliveryScope, type DeliveryState, type DueKey, type HeldLock,
  type NewDelivery, type NewSubscriber, type OccurrenceKind, type OccurrenceRecord, type Store, type SubscriberStatus, type SupersedeChange,
} from '../types.js';
import type { ProcessIdentity } from '../lock-holder.js';
import { LockTable } from './locks.js';
import { OccurrenceTable } from './occurrences.js';
import { insertRows, storePayload } from './rows.js';
import { StaffTable } from './staff.js';
import { SubscriberTable } from './subscribers.js';
import type pg from 'pg';
import type { Db, Q } from './sql.js';

const SELECT = 'SELECT d.* FROM deliveries d';
const iso = (d: Date) => d.toISOString();
const HELD_FOR_APPROVAL = `${AWAITING_APPROVAL}%`;

type Ending = { state: DeliveryState; outcome: string; receipt?: Receipt; nextAt?: Date; reason?: string; error?: AttemptError };

/** RFC 7396 JSON merge patch (what SQLite's json_patch does): a null removes a key. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export interface PostgresStoreOptions {
  /** Who this process is for the dispatcher lock (tests act as another host). */
  identity?: ProcessIdentity;
  /** The wall clock lock liveness is judged by. */
  wall?: () => Date;
}

export class PostgresStore implements Store {
  private readonly locks: LockTable;
  private readonly subs: SubscriberTable;
  private readonly staff: StaffTable;
  private readonly occs: OccurrenceTable;
  private readonly payloads = new PayloadCache();
  /** The lock this store's writes are fenced by, once acquired. */
  private fence: HeldLock | null = null;
  private closed = false;

  constructor(
    readonly db: Db,
    options: PostgresStoreOptions = {},
  ) {
    const log = (c: Q, e: string, d: Record<string, unknown>, at: Date) => this.log(c, e, d, at);
    this.locks = new LockTable(db, options.identity, options.wall);
    this.subs = new SubscriberTable(db, log);
    this.staff = new StaffTable(db, log);
    this.occs = new OccurrenceTable(db, log);
  }

  get location(): string {
    return this.db.location;
  }

  /** A write transaction that first checks this store's fence (when it holds the lock). */
  private write<T>(work: (c: Q) => Promise<T>): Promise<T> {
    const fence = this.fence;
    return this.db.tx(work, fence ? (c) => this.locks.check(c, fence) : undefined);
  }

  /**
   * A write that is one statement: fenced, inside the fence's transaction; otherwise (a queue worker holds no
   * lock) on its own, which is as atomic, in one round trip instead of three.
   */
  private async writeOne<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    if (this.fence) return this.write(async (c) => (await c.query<R>(sql, params)).rows);
    return this.db.statement<R>(sql, params, true);
  }

  private async log(c: Q, event: string, detail: Record<string, unknown>, at: Date): Promise<void> {
    await c.query('INSERT INTO audit_log (at, event, delivery_key, detail) VALUES ($1, $2, $3, $4)',
      [iso(at), event, typeof detail.key === 'string' ? detail.key : null, JSON.stringify(detail)]);
  }

  /** Payloads of these rows, parsed once each (frozen: what was approved, byte for byte). */
  private async deliveries(rows: DeliveryRow[]): Promise<Delivery[]> {
    const missing = [...new Set(rows.map((r) => r.payload_sha256).filter((s): s is string => s !== null && !this.payloads.get(s)))];
    const found = new Map<string, Payload>();
    if (missing.length > 0) {
      for (const p of await this.db.rows<{ sha256: string; payload: string }>('SELECT sha256, payload FROM payloads WHERE sha256 = ANY($1::text[])', [missing])) {
        found.set(p.sha256, this.payloads.put(p.sha256, p.payload, this.db.location));
      }
    }
    return rows.map((r) => toDelivery(r, (sha) => (sha === null ? null : (this.payloads.get(sha) ?? found.get(sha) ?? null)), this.db.location));
  }

  // --- occurrences -------------------------------------------------------------------------------------------------

  async recordOccurrence(occ: OccurrenceRecord, plans: ChannelPlan[], at: Date, progress: (step: 'occurrence' | 'channel' | 'fanout') => void = () => {}) {
    return this.write((c) => this.occs.record(c, occ, plans, at, progress));
  }

  async completeChannel(occurrence: string, plan: ChannelPlan, at: Date): Promise<number> {
    return this.write(async (c) => {
      if (!(await this.occs.isWaiting(c, occurrence, plan.channel))) return 0;
      if (plan.error) {
        await this.occs.stillWaiting(c, occurrence, plan.channel, plan.error, at);
        return 0;
      }
      return this.occs.create(c, occurrence, plan, at);
    });
  }

  async waitingChannels() { return this.occs.waiting(); }
  async occurrence(key: string) { return this.occs.get(key); }
  async occurrences(filter: { campaign?: string; kind?: OccurrenceKind; contentHash?: string; limit?: number }) { return this.occs.list(filter); }
  async progress(occurrence: string) { return this.occs.progress(occurrence); }
  async occurrenceChannels(occurrence: string) { return this.occs.channelStates(occurrence); }

  async createDeliveries(materializedKey: string, deliveries: NewDelivery[], at: Date): Promise<number> {
    return this.write(async (c) => {
      const fresh = await c.query('INSERT INTO materialized (key, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [materializedKey, iso(at)]);
      if (fresh.rowCount === 0) return 0;
      const n = await insertRows(c, deliveries, at);
      for (const d of deliveries) if (d.state !== 'pending') await this.log(c, `delivery-${d.state}`, { key: d.key, reason: d.reason }, at);
      await this.log(c, 'deliveries-created', { occurrence: materializedKey, created: n }, at);
      return n;
    });
  }

  async isMaterialized(materializedKey: string): Promise<boolean> {
    return (await this.db.rows('SELECT 1 FROM materialized WHERE key = $1', [materializedKey])).length > 0;
  }

  // --- reading deliveries ------------------------------------------------------------------------------------------

  async get(key: string): Promise<Delivery | undefined> {
    const [d] = await this.deliveries(await this.db.rows<DeliveryRow>(`${SELECT} WHERE d.key = $1`, [key]));
    return d;
  }

  async knownKeys(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    return new Set((await this.db.rows<{ key: string }>('SELECT key FROM deliveries WHERE key = ANY($1::text[])', [keys])).map((r) => r.key));
  }

  async list(filter: { state?: DeliveryState; campaign?: string; keys?: string[]; occurrence?: string; limit?: number } = {}): Promise<Delivery[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => (args.push(v), where.push(sql.replace('?', `$${args.length}`)));
    if (filter.state) add('d.state = ?', filter.state);
    if (filter.campaign) add('d.campaign = ?', filter.campaign);
    if (filter.occurrence) add('d.occurrence = ?', filter.occurrence);
    if (filter.keys) add('d.key = ANY(?::text[])', filter.keys);
    args.push(filter.limit ?? null);
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.due_utc, d.key LIMIT $${args.length}`;
    return this.deliveries(await this.db.rows<DeliveryRow>(sql, args, true));
  }

  async counts(): Promise<Record<DeliveryState, number>> {
    const out = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for (const r of await this.db.rows<{ state: DeliveryState; n: number }>('SELECT state, count(*) AS n FROM deliveries GROUP BY state')) out[r.state] = r.n;
    return out;
  }

  async due(now: Date, limit: number, scope?: DeliveryScope): Promise<Delivery[]> {
    const only = scope ? 'AND d.occurrence = ANY($3::text[])' : '';
    const rows = await this.db.rows<DeliveryRow>(
      `${SELECT} WHERE d.state = 'pending' AND d.next_attempt_at <= $1 ${only} ORDER BY d.next_attempt_at, d.id LIMIT $2`,
      [iso(now), limit, ...(scope ? [scope.occurrences] : [])],
    );
    return this.deliveries(rows);
  }

  async dueKeys(now: Date, o: { limit: number; scope?: DeliveryScope; changedSince?: Date }): Promise<DueKey[]> {
    const args: unknown[] = [iso(now), o.limit];
    let more = '';
    if (o.scope) more += ` AND d.occurrence = ANY($${args.push(o.scope.occurrences)}::text[])`;
    if (o.changedSince) more += ` AND (d.updated_at >= $${args.push(iso(o.changedSince))} OR d.next_attempt_at >= $${args.length})`;
    // Only the account is read out of the payload (in PostgreSQL), not the payload itself, and once a payload: the
    // due rows first (MATERIALIZED: their LIMIT applies before anything is parsed), then their few distinct payloads.
    // Parsed per row, a campaign's 27 kB payload cost 1.3 s a look at 5,000 due e-mails (and every pending row's
    // worth before the LIMIT: a minute at 200,000).
    const rows = await this.db.rows<DueKey & { account: string | null }>(
      `WITH due AS MATERIALIZED (
         SELECT d.id, d.key, d.channel, d.payload_sha256, d.next_attempt_at FROM deliveries d
         WHERE d.state = 'pending' AND d.next_attempt_at <= $1${more} ORDER BY d.next_attempt_at, d.id LIMIT $2),
       acc AS MATERIALIZED (
         SELECT p.sha256, CASE p.payload::json->'account'->>'mode' WHEN 'live' THEN p.payload::json->'account'->>'id'
           WHEN 'sandbox' THEN 'sandbox' END AS account
         FROM payloads p WHERE p.sha256 IN (SELECT payload_sha256 FROM due))
       SELECT due.key, due.channel, acc.account FROM due LEFT JOIN acc ON acc.sha256 = due.payload_sha256
       ORDER BY due.next_attempt_at, due.id`,
      args,
    );
    return rows.map(dueKey);
  }

  async nextAttemptAt(scope?: DeliveryScope): Promise<Date | null> {
    const only = scope ? 'AND occurrence = ANY($1::text[])' : '';
    const [r] = await this.db.rows<{ t: string | null }>(`SELECT min(next_attempt_at) AS t FROM deliveries WHERE state = 'pending' ${only}`, scope ? [scope.occurrences] : []);
    return r.t ? new Date(r.t) : null;
  }

  async openStates(scope: DeliveryScope): Promise<{ pending: boolean; sending: boolean }> {
    const [r] = await this.db.rows<{ pending: boolean; sending: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM deliveries WHERE state = 'pending' AND occurrence = ANY($1::text[])) AS pending,
              EXISTS (SELECT 1 FROM deliveries WHERE state = 'sending' AND occurrence = ANY($1::text[])) AS sending`,
      [scope.occurrences],
    );
    return { pending: r.pending, sending: r.sending };
  }

  async attempts(key: string) {
    const rows = await this.db.rows<Record<string, unknown>>('SELECT a.* FROM attempts a JOIN deliveries d ON d.id = a.delivery WHERE d.key = $1 ORDER BY a.n', [key]);
    return rows.map((a) => ({
      n: a.n as number, startedAt: a.started_at as string, finishedAt: a.finished_at as string | null,
      outcome: a.outcome as string | null, errorClass: a.error_class as string | null, errorMessage: a.error_message as string | null,
      channelCode: a.channel_code as string | null, receiptId: a.receipt_id as string | null,
    }));
  }

  // --- the state machine -------------------------------------------------------------------------------------------

  async markSending(key: string, at: Date): Promise<{ attempt: number } | false> {
    const [claimed] = await this.writeOne<DeliveryRow>(PostgresStore.CLAIM, [[key], iso(at)]);
    return claimed ? { attempt: claimed.attempts } : false;
  }

  /**
   * pending → sending in each one's next attempt, the attempt begun and the audit line written, in ONE statement
   * (writable CTEs: atomic, whether inside the caller's transaction or on its own): of two processes claiming the
   * same row one gets it. Rows are locked in key order (the index), so two claims of overlapping batches wait for
   * each other instead of deadlocking. Returned, and audited, in the order of `keys`.
   */
  private static readonly CLAIM = `
    WITH k AS (SELECT key, min(i) AS i FROM unnest($1::text[]) WITH ORDINALITY AS t(key, i) GROUP BY key),
    u AS (
      UPDATE deliveries SET state = 'sending', attempts = attempts + 1, tries = tries + 1, updated_at = $2
      WHERE key = ANY($1::text[]) AND state = 'pending' RETURNING *),
    a AS (INSERT INTO attempts (delivery, n, started_at) SELECT id, attempts, $2 FROM u),
    l AS (
      INSERT INTO audit_log (at, event, delivery_key, detail)
      SELECT $2, 'attempt-started', u.key, '{"key":' || to_json(u.key)::text || ',"attempt":' || u.attempts || '}'
      FROM u JOIN k ON k.key = u.key ORDER BY k.i)
    SELECT u.* FROM u JOIN k ON k.key = u.key ORDER BY k.i`;

  async markSendingMany(keys: string[], at: Date): Promise<Delivery[]> {
    if (keys.length === 0) return [];
    return this.deliveries(await this.writeOne<DeliveryRow>(PostgresStore.CLAIM, [keys, iso(at)]));
  }

  async markSent(key: string, attempt: number, receipt: Receipt, at: Date): Promise<void> {
    await this.write((c) => this.finish(c, key, attempt, at, { state: 'sent', receipt, outcome: 'sent' }));
  }

  /**
   * As `finish` would record each, in ONE statement for the whole group (writable CTEs) instead of four per delivery
   * (a queue worker records a batch's `sent` together): the conditional UPDATE is the same fence, row by row.
   */
  async markSentMany(sent: Array<{ key: string; attempt: number; receipt: Receipt }>, at: Date): Promise<void> {
    if (sent.length === 0) return;
    // The first of each key: a second one would find it `sent` already and be left alone, as with markSent.
    const first = new Map<string, { key: string; attempt: number; receipt: Receipt }>();
    for (const x of sent) if (!first.has(x.key)) first.set(x.key, x);
    const list = [...first.values()];
    await this.writeOne(
      `WITH done AS (
         UPDATE deliveries d SET state = 'sent', reason = NULL, next_attempt_at = NULL, receipt = s.receipt, updated_at = $4
         FROM unnest($1::text[], $2::integer[], $3::text[], $5::text[]) WITH ORDINALITY AS s(key, attempt, receipt, receipt_id, i)
         WHERE d.key = s.key AND d.state = 'sending' AND d.attempts = s.attempt
         RETURNING d.id, d.key, d.attempts, s.receipt_id, s.i),
       a AS (
         UPDATE attempts a SET finished_at = $4, outcome = 'sent', error_class = NULL, error_message = NULL, channel_code = NULL,
           receipt_id = done.receipt_id
         FROM done WHERE a.delivery = done.id AND a.n = done.attempts)
       INSERT INTO audit_log (at, event, delivery_key, detail)
       SELECT $4, 'attempt-sent', done.key, '{"key":' || to_json(done.key)::text || ',"attempt":' || done.attempts
         || ',"from":"sending","to":"sent"' || coalesce(',"receipt":' || to_json(done.receipt_id)::text, '') || '}'
       FROM done ORDER BY done.i`,
      [list.map((x) => x.key), list.map((x) => x.attempt), list.map((x) => JSON.stringify(x.receipt)), iso(at), list.map((x) => x.receipt.id ?? null)],
    );
  }

  async markRetry(key: string, attempt: number, nextAt: Date, error: AttemptError, at: Date): Promise<void> {
    await this.write((c) => this.finish(c, key, attempt, at, { state: 'pending', nextAt, error, outcome: 'retry' }));
  }

  async markFinal(key: string, attempt: number, state: 'failed' | 'held' | 'missed', reason: string, error: AttemptError | null, at: Date): Promise<void> {
    await this.write((c) => this.finish(c, key, attempt, at, { state, reason, error: error ?? undefined, outcome: state }));
  }

  async markUnsent(key: string, at: Date, note: string): Promise<void> {
    await this.write((c) => this.finish(c, key, null, at, { state: 'pending', nextAt: at, outcome: 'not-sent', error: { failure: 'crash', message: note } }));
  }

  /**
   * Ends an attempt, inside the caller's transaction: only a delivery in
   * `sending`, in that attempt (`null`: its current one), changes; anything
   * else is left as it is, so a late or repeated call cannot undo a state.
   */
  private async finish(c: Q, key: string, expected: number | null, at: Date, o: Ending): Promise<void> {
    const [r] = (await c.query<{ id: number; state: string; attempts: number }>('SELECT id, state, attempts FROM deliveries WHERE key = $1 FOR UPDATE', [key])).rows;
    if (!r || r.state !== 'sending' || (expected !== null && r.attempts !== expected)) return;
    await c.query(
      `UPDATE deliveries SET state = $1, reason = $2, next_attempt_at = $3, receipt = coalesce($4, receipt),
         last_error = coalesce($5, last_error), updated_at = $6 WHERE id = $7`,
      [o.state, o.reason ?? null, o.nextAt ? iso(o.nextAt) : null, o.receipt ? JSON.stringify(o.receipt) : null, o.error ? o.error.message : null, iso(at), r.id],
    );
    await c.query(
      `UPDATE attempts SET finished_at = $1, outcome = $2, error_class = $3, error_message = $4, channel_code = $5, receipt_id = $6
       WHERE delivery = $7 AND n = $8`,
      [iso(at), o.outcome, o.error?.failure ?? null, o.error?.message ?? null, o.error?.channelCode ?? null, o.receipt?.id ?? null, r.id, r.attempts],
    );
    await this.log(c, `attempt-${o.outcome}`, { key, attempt: r.attempts, from: r.state, to: o.state, reason: o.reason, error: o.error, receipt: o.receipt?.id }, at);
  }

  async releaseSending(claims: Array<{ key: string; attempt: number }>, at: Date, nextAt?: Date): Promise<number> {
    if (claims.length === 0) return 0;
    return this.write(async (c) => {
      let n = 0;
      for (const { key, attempt } of claims) {
        // Undone, not ended: the claim never reached the channel, so it is no attempt (the audit log keeps both steps).
        const r = await c.query<{ id: number }>(
          `UPDATE deliveries SET state = 'pending', attempts = attempts - 1, tries = greatest(tries - 1, 0),
             next_attempt_at = greatest(coalesce(next_attempt_at, $1), $2), updated_at = $1
           WHERE key = $3 AND state = 'sending' AND attempts = $4 RETURNING id`,
          [iso(at), iso(nextAt ?? at), key, attempt],
        );
        if (r.rowCount === 0) continue;
        await c.query('DELETE FROM attempts WHERE delivery = $1 AND n = $2', [r.rows[0].id, attempt]);
        await this.log(c, 'attempt-released', { key, attempt, from: 'sending', to: 'pending', why: 'claimed, then given back unsent: the run stopped first' }, at);
        n++;
      }
      return n;
    });
  }

  async checkpoint(key: string, attempt: number, details: Checkpoint, at: Date): Promise<void> {
    await this.write(async (c) => {
      const [r] = (await c.query<{ checkpoint: string | null }>(`SELECT checkpoint FROM deliveries WHERE key = $1 AND state = 'sending' AND attempts = $2 FOR UPDATE`, [key, attempt])).rows;
      if (!r) throw new LockLostError(storeMessages().attemptTaken(key, attempt));
      const merged = mergePatch(r.checkpoint === null ? {} : parseJson(r.checkpoint, this.db.location, `deliveries.checkpoint of ${key}`), details);
      await c.query('UPDATE deliveries SET checkpoint = $1, updated_at = $2 WHERE key = $3', [JSON.stringify(merged), iso(at), key]);
      await this.log(c, 'checkpoint', { key, attempt, details }, at);
    });
  }

  async postpone(channel: ChannelName, until: Date, at: Date): Promise<number> {
    return this.write(async (c) => {
      const r = await c.query(`UPDATE deliveries SET next_attempt_at = $1, updated_at = $2 WHERE state = 'pending' AND channel = $3 AND next_attempt_at < $1`,
        [iso(until), iso(at), channel]);
      if (r.rowCount! > 0) await this.log(c, 'postponed', { channel, until: iso(until), deliveries: r.rowCount }, at);
      return r.rowCount!;
    });
  }

  async retry(key: string, at: Date): Promise<boolean> {
    return this.write(async (c) => {
      const r = await c.query(
        `UPDATE deliveries SET state = 'pending', tries = 0, reason = NULL, next_attempt_at = $1, updated_at = $1
         WHERE key = $2 AND payload_sha256 IS NOT NULL AND (state = 'failed' OR (state = 'held' AND reason NOT LIKE $3))`,
        [iso(at), key, HELD_FOR_APPROVAL],
      );
      if (r.rowCount! > 0) await this.log(c, 'retry', { key }, at);
      return r.rowCount! > 0;
    });
  }

  async supersede(changes: SupersedeChange[], at: Date): Promise<number> {
    return this.write(async (c) => {
      let n = 0;
      for (const ch of changes) {
        const [before] = (await c.query<{ state: string; content_hash: string; payload_sha256: string | null }>(
          'SELECT state, content_hash, payload_sha256 FROM deliveries WHERE key = $1 FOR UPDATE', [ch.key])).rows;
        if (!before) continue;
        const sha = await storePayload(c, ch.payload);
        const r = await c.query(
          `UPDATE deliveries SET state = $2, reason = $3,
             checkpoint = CASE WHEN $4::text IS NULL OR $4::text IS NOT DISTINCT FROM payload_sha256 THEN checkpoint END,
             payload_sha256 = coalesce($4::text, payload_sha256), content_hash = $5, tries = 0, next_attempt_at = $6, updated_at = $7
           WHERE key = $1 AND (state = 'pending' OR (state = 'held' AND reason LIKE $8))`,
          [ch.key, ch.state, ch.reason ?? null, sha, ch.contentHash, ch.state === 'pending' ? iso(at) : null, iso(at), HELD_FOR_APPROVAL],
        );
        if (r.rowCount === 0) continue;
        n++;
        await this.log(c, 'superseded', {
          key: ch.key, from: before.state, to: ch.state, oldContentHash: before.content_hash, contentHash: ch.contentHash,
          oldPayloadSha256: before.payload_sha256, payloadSha256: sha ?? before.payload_sha256, reason: ch.reason,
        }, at);
      }
      return n;
    });
  }

  async replaceUnsent(occurrence: string, partKey: string, payload: Payload, contentHash: string, at: Date): Promise<number> {
    return this.write(async (c) => {
      const sha = await storePayload(c, payload);
      const r = await c.query(
        `UPDATE deliveries SET payload_sha256 = $1, content_hash = $2, tries = 0, checkpoint = NULL, updated_at = $3
         WHERE occurrence = $4 AND (key = $5 OR substr(key, 1, length($5::text) + 1) = $5::text || '/')
           AND (state = 'pending' OR (state = 'held' AND reason LIKE $6)) AND payload_sha256 IS DISTINCT FROM $1`,
        [sha, contentHash, iso(at), occurrence, partKey, HELD_FOR_APPROVAL],
      );
      if (r.rowCount! > 0) {
        await this.log(c, 'superseded', { occurrence, part: partKey, contentHash, payloadSha256: sha, deliveries: r.rowCount, why: 'the content changed before an interrupted publish was finished' }, at);
      }
      return r.rowCount!;
    });
  }

  async releaseApproved(campaign: string, contentHash: string, at: Date): Promise<number> {
    return this.write(async (c) => {
      const r = await c.query(
        `UPDATE deliveries SET state = 'pending', reason = NULL, next_attempt_at = $1, updated_at = $1
         WHERE campaign = $2 AND content_hash = $3 AND state = 'held' AND reason LIKE $4`,
        [iso(at), campaign, contentHash, HELD_FOR_APPROVAL],
      );
      if (r.rowCount! > 0) await this.log(c, 'released', { campaign, contentHash, deliveries: r.rowCount }, at);
      return r.rowCount!;
    });
  }

  // --- approvals, meta, audit --------------------------------------------------------------------------------------

  async recordApproval(campaign: string, contentHash: string, by: string, at: Date): Promise<void> {
    await this.write(async (c) => {
      await c.query('INSERT INTO approvals (campaign, content_hash, approved_by, approved_at) VALUES ($1, $2, $3, $4)', [campaign, contentHash, by, iso(at)]);
      await this.log(c, 'approval', { campaign, contentHash, by }, at);
    });
  }

  private async approvalWhere(where: string, args: string[]) {
    const [r] = await this.db.rows<{ campaign: string; content_hash: string; approved_by: string; approved_at: string }>(
      `SELECT campaign, content_hash, approved_by, approved_at FROM approvals WHERE ${where} ORDER BY id DESC LIMIT 1`, args, true);
    return r && { campaign: r.campaign, contentHash: r.content_hash, approvedBy: r.approved_by, approvedAt: r.approved_at };
  }

  async approval(campaign: string, contentHash: string) { return this.approvalWhere('campaign = $1 AND content_hash = $2', [campaign, contentHash]); }
  async latestApproval(campaign: string) { return this.approvalWhere('campaign = $1', [campaign]); }

  async getMeta(name: string): Promise<string | undefined> {
    return (await this.db.rows<{ value: string }>('SELECT value FROM meta WHERE name = $1', [name]))[0]?.value;
  }

  async setMeta(name: string, value: string): Promise<void> {
    await this.write((c) => c.query('INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]));
  }

  async initMeta(name: string, value: string): Promise<string> {
    // Not fenced: a queue worker holds no dispatcher lock, and a value only ever set once needs no fence.
    await this.db.rows('INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value]);
    return (await this.getMeta(name)) ?? value;
  }

  async deleteMeta(name: string): Promise<void> {
    await this.write((c) => c.query('DELETE FROM meta WHERE name = $1', [name]));
  }

  async audit(event: string, detail: Record<string, unknown>, at: Date): Promise<void> {
    await this.write((c) => this.log(c, event, detail, at));
  }

  async auditLog(filter: { event?: string; key?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.event) (args.push(filter.event), where.push(`event = $${args.length}`));
    if (filter.key) (args.push(filter.key), where.push(`delivery_key = $${args.length}`));
    args.push(filter.limit ?? null);
    const rows = await this.db.rows<{ at: string; event: string; delivery_key: string | null; detail: string }>(
      `SELECT at, event, delivery_key, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${args.length}`, args);
    return rows.map((r) => ({ at: r.at, event: r.event, key: r.delivery_key, detail: parseJson(r.detail, this.db.location, 'audit_log.detail') }));
  }

  // --- subscribers and staff -----------------------------------------------------------------------------------------

  async addSubscriber(s: NewSubscriber, at: Date) { return this.write((c) => this.subs.add(c, s, at)); }
  async subscribers(status?: SubscriberStatus) { return this.subs.list(status); }
  async subscriberCounts() { return this.subs.counts(); }
  async subscriber(id: string) { return this.subs.get(id); }
  async subscribersById(ids: string[]) { return this.subs.byIds(ids); }
  async unsubscribe(token: string, at: Date) { return this.write((c) => this.subs.unsubscribe(c, token, at)); }
  async subscriberByAddress(address: string) { return this.subs.byAddress(address); }
  async subscriberByToken(token: string) { return this.subs.byToken(token); }
  async unsubscribeAddress(address: string, at: Date) { return this.write((c) => this.subs.unsubscribeAddress(c, address, at)); }
  async unsubscribeId(id: string, at: Date, by: string) { return this.write((c) => this.subs.unsubscribeId(c, id, at, by)); }
  async confirmSubscriber(id: string, at: Date) { return this.write((c) => this.subs.confirm(c, id, at)); }
  async recordBounce(id: string, at: Date, detail: { code?: string; message: string; key?: string }) { return this.write((c) => this.subs.bounce(c, id, at, detail)); }
  async importSubscribers(entries: Array<{ address: string; name?: string; line: number; id?: string; unsubscribeToken?: string }>, at: Date, source?: string) {
    return this.write((c) => this.subs.importMany(c, entries, at, source));
  }

  async addStaff(name: string, passwordHash: string, at: Date) { return this.write((c) => this.staff.add(c, name, passwordHash, at)); }
  async staffAccount(name: string) { return this.staff.get(name); }
  async staffAccounts() { return this.staff.list(); }
  async setStaffPassword(name: string, passwordHash: string, at: Date) { return this.write((c) => this.staff.setPassword(c, name, passwordHash, at)); }
  async removeStaff(name: string, at: Date) { return this.write((c) => this.staff.remove(c, name, at)); }

  // --- the dispatcher lock -------------------------------------------------------------------------------------------

  async acquireLock(name: string, purpose: string, leaseMs?: number, options: { fence?: boolean } = {}) {
    const r = await this.locks.acquire(name, purpose, leaseMs);
    if ('held' in r && options.fence !== false) this.fence = r.held;
    return r;
  }
  async heartbeat(lock: HeldLock) { return this.locks.heartbeat(lock); }
  async checkFence() {
    const fence = this.fence;
    if (fence) await this.db.tx((c) => this.locks.check(c, fence));
  }
  async releaseLock(lock: HeldLock) {
    await this.locks.release(lock);
    if (this.fence?.generation === lock.generation && this.fence.name === lock.name) this.fence = null;
  }
  async lockHolder(name: string) { return this.locks.holder(name); }
  async describeLock(name: string) { return this.locks.describe(name); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }
}
