/**
 * Recorded occurrences: the intent of a firing or a manual publish (which
 * channels, which content, who asked), written in the same transaction as the
 * deliveries it creates. A channel that could not be rendered is recorded
 * `waiting` with the error, so the daemon creates it on a later wake and
 * `status` shows why it waits; nothing about an occurrence is ever half-known.
 */
import { prepared } from './prepared.js';
import type { Database } from 'better-sqlite3';
import type { ChannelName } from '../../../channels/channel.js';
import type { RowWriter } from './rows.js';
import type { ChannelPlan, DeliveryState, OccurrenceKind, OccurrenceProgress, OccurrenceRecord, WaitingChannel } from '../types.js';
import { toOccurrence as toRecord, type OccurrenceRow as Row } from '../records.js';

export type Step = 'occurrence' | 'channel' | 'fanout';

export class OccurrenceTable {
  constructor(
    private readonly db: Database,
    private readonly rows: RowWriter,
    private readonly audit: (event: string, detail: Record<string, unknown>, at: Date) => void,
  ) {}

  /** Inside the caller's transaction. */
  record(occ: OccurrenceRecord, plans: ChannelPlan[], at: Date, progress: (step: Step) => void): { recorded: boolean; created: number } {
    const fresh = this.db
      .prepare(
        `INSERT OR IGNORE INTO occurrences (key, campaign, schedule, kind, due_utc, window_ends_utc, content_hash, channels, detail, requested_by, created_at)
         VALUES (@key, @campaign, @schedule, @kind, @dueUtc, @windowEndsUtc, @contentHash, @channels, @detail, @requestedBy, @at)`,
      )
      .run({ ...occ, channels: JSON.stringify(occ.channels), detail: JSON.stringify(occ.detail), requestedBy: occ.requestedBy, at: occ.createdAt || at.toISOString() });
    if (fresh.changes === 0) return { recorded: false, created: 0 };
    progress('occurrence');
    let created = 0;
    for (const plan of plans) {
      this.db
        .prepare(`INSERT INTO occurrence_channels (occurrence, channel, base_key, state, error, updated_at) VALUES (?, ?, ?, 'waiting', ?, ?)`)
        .run(occ.key, plan.channel, plan.baseKey, plan.error ?? null, at.toISOString());
      if (!plan.error) created += this.create(occ.key, plan, at, progress);
      progress('channel');
    }
    this.audit('occurrence-recorded', {
      occurrence: occ.key, kind: occ.kind, contentHash: occ.contentHash, by: occ.requestedBy, created,
      channels: plans.map((p) => (p.error ? `${p.channel} (waiting: ${p.error})` : p.channel)),
    }, at);
    return { recorded: true, created };
  }

  /** Creates a waiting channel's deliveries; inside the caller's transaction. */
  create(occurrence: string, plan: ChannelPlan, at: Date, progress: (step: Step) => void = () => {}): number {
    const stamp = (d: NonNullable<ChannelPlan['deliveries']>[number]) => ({ ...d, occurrence });
    let n = this.rows.rows((plan.deliveries ?? []).map(stamp), at);
    if (plan.fanOut) n += this.rows.fanOut(plan.fanOut.map(stamp), at, () => progress('fanout'));
    const empty = plan.fanOut !== undefined && n === 0 && (plan.deliveries ?? []).length === 0;
    this.db
      .prepare(`UPDATE occurrence_channels SET state = ?, created = created + ?, error = ?, updated_at = ? WHERE occurrence = ? AND channel = ?`)
      .run(empty ? 'skipped' : 'created', n, empty ? 'no active subscriber when it was created' : null, at.toISOString(), occurrence, plan.channel);
    prepared(this.db, 'INSERT OR IGNORE INTO materialized (key, created_at) VALUES (?, ?)').run(plan.baseKey, at.toISOString());
    this.audit('deliveries-created', { occurrence, channel: plan.channel, created: n }, at);
    return n;
  }

  /** A waiting channel still cannot be created: keep why (for status). */
  stillWaiting(occurrence: string, channel: ChannelName, error: string, at: Date): void {
    this.db
      .prepare(`UPDATE occurrence_channels SET error = ?, updated_at = ? WHERE occurrence = ? AND channel = ? AND state = 'waiting'`)
      .run(error, at.toISOString(), occurrence, channel);
  }

  isWaiting(occurrence: string, channel: ChannelName): boolean {
    return prepared(this.db, `SELECT 1 FROM occurrence_channels WHERE occurrence = ? AND channel = ? AND state = 'waiting'`).get(occurrence, channel) !== undefined;
  }

  waiting(): WaitingChannel[] {
    const rows = this.db
      .prepare(
        `SELECT o.*, c.channel AS w_channel, c.base_key AS w_base, c.error AS w_error, c.updated_at AS w_since
         FROM occurrence_channels c JOIN occurrences o ON o.key = c.occurrence WHERE c.state = 'waiting' ORDER BY o.due_utc, o.key, c.channel`,
      )
      .all() as Array<Row & { w_channel: ChannelName; w_base: string; w_error: string | null; w_since: string }>;
    return rows.map((r) => ({ occurrence: toRecord(r, this.db.name), channel: r.w_channel, baseKey: r.w_base, error: r.w_error, since: r.w_since }));
  }

  get(key: string): OccurrenceRecord | undefined {
    const r = prepared(this.db, 'SELECT * FROM occurrences WHERE key = ?').get(key) as Row | undefined;
    return r && toRecord(r, this.db.name);
  }

  list(filter: { campaign?: string; kind?: OccurrenceKind; contentHash?: string; limit?: number }): OccurrenceRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.campaign) (where.push('campaign = ?'), args.push(filter.campaign));
    if (filter.kind) (where.push('kind = ?'), args.push(filter.kind));
    if (filter.contentHash) (where.push('content_hash = ?'), args.push(filter.contentHash));
    const sql = `SELECT * FROM occurrences ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return (prepared(this.db, sql).all(...args, filter.limit ?? -1) as Row[]).map((r) => toRecord(r, this.db.name));
  }

  progress(occurrence: string): OccurrenceProgress {
    return this.db
      .prepare('SELECT channel, state, count(*) AS n FROM deliveries WHERE occurrence = ? GROUP BY channel, state ORDER BY channel, state')
      .all(occurrence) as Array<{ channel: ChannelName; state: DeliveryState; n: number }>;
  }

  /** The channels of an occurrence and how each stands: created (with rows), waiting (with why) or skipped. */
  channelStates(occurrence: string): Array<{ channel: ChannelName; state: 'waiting' | 'created' | 'skipped'; error: string | null }> {
    return prepared(this.db, 'SELECT channel, state, error FROM occurrence_channels WHERE occurrence = ?').all(occurrence) as Array<{
      channel: ChannelName; state: 'waiting' | 'created' | 'skipped'; error: string | null;
    }>;
  }
}
