/**
 * Recorded occurrences in PostgreSQL: the intent of a firing or a manual
 * publish, written in the same transaction as the deliveries it creates (see
 * sqlite/occurrences.ts for the meaning). The occurrence key is the primary
 * key: two planners recording the same firing at once both try, the second
 * waits for the first to commit and then records nothing (ON CONFLICT DO
 * NOTHING), so it is recorded once.
 */
import type { ChannelName } from '../../../channels/channel.js';
import type { ChannelPlan, DeliveryState, OccurrenceKind, OccurrenceProgress, OccurrenceRecord, WaitingChannel } from '../types.js';
import { toOccurrence as toRecord, type OccurrenceRow as Row } from '../records.js';
import { fanOut, insertRows } from './rows.js';
import type { Db, Q } from './sql.js';

export type Step = 'occurrence' | 'channel' | 'fanout';
type Audit = (c: Q, event: string, detail: Record<string, unknown>, at: Date) => Promise<void>;

export class OccurrenceTable {
  constructor(
    private readonly db: Db,
    private readonly audit: Audit,
  ) {}

  /** Inside the caller's transaction. */
  async record(c: Q, occ: OccurrenceRecord, plans: ChannelPlan[], at: Date, progress: (step: Step) => void): Promise<{ recorded: boolean; created: number }> {
    const fresh = await c.query(
      `INSERT INTO occurrences (key, campaign, schedule, kind, due_utc, window_ends_utc, content_hash, channels, detail, requested_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (key) DO NOTHING`,
      [occ.key, occ.campaign, occ.schedule, occ.kind, occ.dueUtc, occ.windowEndsUtc, occ.contentHash,
        JSON.stringify(occ.channels), JSON.stringify(occ.detail), occ.requestedBy, occ.createdAt || at.toISOString()],
    );
    if (fresh.rowCount === 0) return { recorded: false, created: 0 };
    progress('occurrence');
    let created = 0;
    for (const plan of plans) {
      await c.query(`INSERT INTO occurrence_channels (occurrence, channel, base_key, state, error, updated_at) VALUES ($1, $2, $3, 'waiting', $4, $5)`,
        [occ.key, plan.channel, plan.baseKey, plan.error ?? null, at.toISOString()]);
      if (!plan.error) created += await this.create(c, occ.key, plan, at, progress);
      progress('channel');
    }
    await this.audit(c, 'occurrence-recorded', {
      occurrence: occ.key, kind: occ.kind, contentHash: occ.contentHash, by: occ.requestedBy, created,
      channels: plans.map((p) => (p.error ? `${p.channel} (waiting: ${p.error})` : p.channel)),
    }, at);
    return { recorded: true, created };
  }

  /** Creates a waiting channel's deliveries; inside the caller's transaction. */
  async create(c: Q, occurrence: string, plan: ChannelPlan, at: Date, progress: (step: Step) => void = () => {}): Promise<number> {
    const stamp = (d: NonNullable<ChannelPlan['deliveries']>[number]) => ({ ...d, occurrence });
    let n = await insertRows(c, (plan.deliveries ?? []).map(stamp), at);
    if (plan.fanOut) n += await fanOut(c, plan.fanOut.map(stamp), at, () => progress('fanout'));
    const empty = plan.fanOut !== undefined && n === 0 && (plan.deliveries ?? []).length === 0;
    await c.query(`UPDATE occurrence_channels SET state = $1, created = created + $2, error = $3, updated_at = $4 WHERE occurrence = $5 AND channel = $6`,
      [empty ? 'skipped' : 'created', n, empty ? 'no active subscriber when it was created' : null, at.toISOString(), occurrence, plan.channel]);
    await c.query('INSERT INTO materialized (key, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [plan.baseKey, at.toISOString()]);
    await this.audit(c, 'deliveries-created', { occurrence, channel: plan.channel, created: n }, at);
    return n;
  }

  /** A waiting channel still cannot be created: keep why (for status). */
  async stillWaiting(c: Q, occurrence: string, channel: ChannelName, error: string, at: Date): Promise<void> {
    await c.query(`UPDATE occurrence_channels SET error = $1, updated_at = $2 WHERE occurrence = $3 AND channel = $4 AND state = 'waiting'`,
      [error, at.toISOString(), occurrence, channel]);
  }

  /** Locks the channel's row for the caller's transaction: two completing it at once create it once. */
  async isWaiting(c: Q, occurrence: string, channel: ChannelName): Promise<boolean> {
    const r = await c.query(`SELECT 1 FROM occurrence_channels WHERE occurrence = $1 AND channel = $2 AND state = 'waiting' FOR UPDATE`, [occurrence, channel]);
    return r.rowCount! > 0;
  }

  async waiting(): Promise<WaitingChannel[]> {
    const rows = await this.db.rows<Row & { w_channel: ChannelName; w_base: string; w_error: string | null; w_since: string }>(
      `SELECT o.*, c.channel AS w_channel, c.base_key AS w_base, c.error AS w_error, c.updated_at AS w_since
       FROM occurrence_channels c JOIN occurrences o ON o.key = c.occurrence WHERE c.state = 'waiting' ORDER BY o.due_utc, o.key, c.channel`,
    );
    return rows.map((r) => ({ occurrence: toRecord(r, this.db.location), channel: r.w_channel, baseKey: r.w_base, error: r.w_error, since: r.w_since }));
  }

  async get(key: string): Promise<OccurrenceRecord | undefined> {
    const [r] = await this.db.rows<Row>('SELECT * FROM occurrences WHERE key = $1', [key]);
    return r && toRecord(r, this.db.location);
  }

  async list(filter: { campaign?: string; kind?: OccurrenceKind; contentHash?: string; limit?: number }): Promise<OccurrenceRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => (args.push(v), where.push(sql.replace('?', `$${args.length}`)));
    if (filter.campaign) add('campaign = ?', filter.campaign);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.contentHash) add('content_hash = ?', filter.contentHash);
    args.push(filter.limit ?? null);
    const sql = `SELECT * FROM occurrences ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, seq DESC LIMIT $${args.length}`;
    return (await this.db.rows<Row>(sql, args)).map((r) => toRecord(r, this.db.location));
  }

  async progress(occurrence: string): Promise<OccurrenceProgress> {
    return this.db.rows<{ channel: ChannelName; state: DeliveryState; n: number }>(
      'SELECT channel, state, count(*) AS n FROM deliveries WHERE occurrence = $1 GROUP BY channel, state ORDER BY channel, state', [occurrence],
    );
  }

  /** The channels of an occurrence and how each stands: created (with rows), waiting (with why) or skipped. */
  async channelStates(occurrence: string): Promise<Array<{ channel: ChannelName; state: 'waiting' | 'created' | 'skipped'; error: string | null }>> {
    return this.db.rows('SELECT channel, state, error FROM occurrence_channels WHERE occurrence = $1', [occurrence]);
  }
}
