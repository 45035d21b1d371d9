/**
 * Writing delivery rows into the PostgreSQL ledger, inside the caller's
 * transaction. A payload is stored once, by its sha256; a delivery key that
 * exists is left alone (ON CONFLICT DO NOTHING), so any number of planners may
 * write the same occurrence. Per-recipient channels are fanned out by SQL over
 * the active subscribers, in chunks (a crash drill can stop between two), each
 * row freezing that subscriber's address, name and unsubscribe token.
 */
import { sha256 } from '../../../hash.js';
import type { NewDelivery } from '../types.js';
import type { Q } from './sql.js';

/** Subscribers fanned out per INSERT … SELECT. */
export const FANOUT_CHUNK = 1000;

const iso = (d: Date) => d.toISOString();

const COLUMNS = `key, campaign, schedule, channel, recipient, recipient_data, occurrence, due_utc, window_ends_utc,
  state, reason, next_attempt_at, payload_sha256, content_hash, created_at, updated_at`;

/** Stores a payload once and returns its sha256 (null for none). */
export async function storePayload(c: Q, payload: unknown): Promise<string | null> {
  if (payload === null || payload === undefined) return null;
  const json = JSON.stringify(payload);
  const sha = sha256(json);
  await c.query('INSERT INTO payloads (sha256, payload) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sha, json]);
  return sha;
}

/** The row's values after `key` and `recipient`: $3 … $12 of the statements below. */
async function fields(c: Q, d: NewDelivery, at: Date): Promise<unknown[]> {
  return [
    d.campaign, d.schedule, d.channel, d.occurrence ?? null, d.dueUtc, d.windowEndsUtc, d.state, d.reason ?? null,
    // Normalised to toISOString() form: next_attempt_at is compared as text.
    d.state === 'pending' ? iso(new Date(d.dueUtc)) : null,
    await storePayload(c, d.payload), d.contentHash, iso(at),
  ];
}

/** Inserts plain rows; returns how many were new. */
export async function insertRows(c: Q, deliveries: NewDelivery[], at: Date): Promise<number> {
  let n = 0;
  for (const d of deliveries) {
    const r = await c.query(
      `INSERT INTO deliveries (${COLUMNS})
       VALUES ($1, $3, $4, $5, $2, NULL, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
       ON CONFLICT (key) DO NOTHING`,
      [d.key, d.recipient, ...(await fields(c, d, at))],
    );
    n += r.rowCount!;
  }
  return n;
}

/** One row per active subscriber for each part (`<part key>/<subscriber id>`); returns how many were new. */
export async function fanOut(c: Q, parts: NewDelivery[], at: Date, onChunk: () => void = () => {}): Promise<number> {
  let n = 0;
  for (const part of parts) {
    const values = await fields(c, part, at);
    let after = '';
    for (;;) {
      const { last } = (await c.query<{ last: string | null }>(
        `SELECT max(id) AS last FROM (SELECT id FROM subscribers WHERE status = 'active' AND id > $1 ORDER BY id LIMIT ${FANOUT_CHUNK}) chunk`, [after],
      )).rows[0];
      if (last === null) break;
      const r = await c.query(
        `INSERT INTO deliveries (${COLUMNS})
         SELECT $1::text || '/' || s.id, $3::text, $4::text, $5::text, s.id,
           json_build_object('address', s.address, 'name', s.name, 'unsubscribeToken', s.unsubscribe_token)::text,
           $6::text, $7::text, $8::text, $9::text, $10::text, $11::text, $12::text, $13::text, $14::text, $14::text
         FROM subscribers s WHERE s.status = 'active' AND s.id > $15 AND s.id <= $2 ORDER BY s.id
         ON CONFLICT (key) DO NOTHING`,
        [part.key, last, ...values, after],
      );
      n += r.rowCount!;
      after = last;
      onChunk();
    }
  }
  return n;
}
