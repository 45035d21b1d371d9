/**
 * Writing delivery rows into the SQLite ledger. A payload is stored once, by
 * its sha256, in `payloads`; rows refer to it. Per-recipient channels (e-mail)
 * are fanned out by SQL over the active subscribers, in chunks, each row
 * holding only that subscriber's frozen address, name and unsubscribe token,
 * so 100,000 recipients stay one transaction of a few hundred milliseconds.
 * Callers run these inside their own transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import { sha256 } from '../../../hash.js';
import type { NewDelivery } from '../types.js';

/** Subscribers fanned out per INSERT … SELECT (a crash drill can stop between two). */
export const FANOUT_CHUNK = 100;

const iso = (d: Date) => d.toISOString();

export class RowWriter {
  private readonly insertRow: Statement;
  private readonly insertPayload: Statement;
  private readonly fanOutChunk: Statement;
  private readonly chunkEnd: Statement;

  constructor(private readonly db: Database) {
    this.insertRow = db.prepare(
      `INSERT OR IGNORE INTO deliveries (key, campaign, schedule, channel, recipient, recipient_data, occurrence, due_utc, window_ends_utc,
         state, reason, next_attempt_at, payload_sha256, content_hash, created_at, updated_at)
       VALUES (@key, @campaign, @schedule, @channel, @recipient, NULL, @occurrence, @dueUtc, @windowEndsUtc,
         @state, @reason, @nextAttemptAt, @payloadSha256, @contentHash, @at, @at)`,
    );
    this.insertPayload = db.prepare('INSERT OR IGNORE INTO payloads (sha256, payload) VALUES (?, ?)');
    this.fanOutChunk = db.prepare(
      `INSERT OR IGNORE INTO deliveries (key, campaign, schedule, channel, recipient, recipient_data, occurrence, due_utc, window_ends_utc,
         state, reason, next_attempt_at, payload_sha256, content_hash, created_at, updated_at)
       SELECT @key || '/' || s.id, @campaign, @schedule, @channel, s.id,
         json_object('address', s.address, 'name', s.name, 'unsubscribeToken', s.unsubscribe_token), @occurrence, @dueUtc, @windowEndsUtc,
         @state, @reason, @nextAttemptAt, @payloadSha256, @contentHash, @at, @at
       FROM subscribers s WHERE s.status = 'active' AND s.id > @after AND s.id <= @last ORDER BY s.id`,
    );
    this.chunkEnd = db.prepare(
      `SELECT max(id) AS last FROM (SELECT id FROM subscribers WHERE status = 'active' AND id > ? ORDER BY id LIMIT ${FANOUT_CHUNK})`,
    );
  }

  /** Stores a payload once and returns its sha256 (null for none). */
  payload(payload: unknown): string | null {
    if (payload === null || payload === undefined) return null;
    const json = JSON.stringify(payload);
    const sha = sha256(json);
    this.insertPayload.run(sha, json);
    return sha;
  }

  private fields(d: NewDelivery, at: Date) {
    return {
      key: d.key, campaign: d.campaign, schedule: d.schedule, channel: d.channel, occurrence: d.occurrence ?? null,
      dueUtc: d.dueUtc, windowEndsUtc: d.windowEndsUtc, state: d.state, reason: d.reason ?? null,
      // Normalised to toISOString() form: next_attempt_at is compared as text.
      nextAttemptAt: d.state === 'pending' ? iso(new Date(d.dueUtc)) : null,
      payloadSha256: this.payload(d.payload), contentHash: d.contentHash, at: iso(at),
    };
  }

  /** Inserts plain rows; returns how many were new. */
  rows(deliveries: NewDelivery[], at: Date): number {
    let n = 0;
    for (const d of deliveries) n += this.insertRow.run({ ...this.fields(d, at), recipient: d.recipient }).changes;
    return n;
  }

  /** One row per active subscriber for each part (`<part key>/<subscriber id>`); returns how many were new. */
  fanOut(parts: NewDelivery[], at: Date, onChunk: () => void = () => {}): number {
    let n = 0;
    for (const part of parts) {
      const fields = this.fields(part, at);
      let after = '';
      for (;;) {
        const { last } = this.chunkEnd.get(after) as { last: string | null };
        if (last === null) break;
        n += this.fanOutChunk.run({ ...fields, after, last }).changes;
        after = last;
        onChunk();
      }
    }
    return n;
  }
}
