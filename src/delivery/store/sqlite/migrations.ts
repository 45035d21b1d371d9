/**
 * Versioned schema migrations for the SQLite ledger, applied at start-up in
 * order; `PRAGMA user_version` records the last one applied. Never edit a
 * shipped migration: add the next one.
 */
import type { Database } from 'better-sqlite3';
import { newSubscriberId } from '../ids.js';
import { StateError } from '../../../errors.js';
import { storeMessages } from '../../../i18n/messages-store.js';

export const MIGRATIONS: ReadonlyArray<string | ((db: Database) => void)> = [
  // 1: the ledger
  `
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    campaign TEXT NOT NULL,
    schedule TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT,
    due_utc TEXT NOT NULL,
    window_ends_utc TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending','sending','sent','failed','held','missed')),
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    tries INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    payload TEXT,
    payload_sha256 TEXT,
    content_hash TEXT NOT NULL,
    receipt TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
  CREATE INDEX deliveries_campaign ON deliveries (campaign, state);
  CREATE TABLE materialized (key TEXT PRIMARY KEY, created_at TEXT NOT NULL);
  CREATE TABLE attempts (
    delivery INTEGER NOT NULL REFERENCES deliveries(id),
    n INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    error_class TEXT,
    error_message TEXT,
    channel_code TEXT,
    receipt_id TEXT,
    PRIMARY KEY (delivery, n)
  );
  CREATE TABLE approvals (
    id INTEGER PRIMARY KEY,
    campaign TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL
  );
  CREATE INDEX approvals_hash ON approvals (campaign, content_hash);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    delivery_key TEXT,
    detail TEXT NOT NULL
  );
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TABLE subscribers (
    id TEXT PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    name TEXT,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','unsubscribed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    purpose TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );
  `,
  // 2: recorded intent (occurrences), payloads stored once, frozen recipients, a fenced lock
  `
  CREATE TABLE payloads (sha256 TEXT PRIMARY KEY, payload TEXT NOT NULL);
  INSERT OR IGNORE INTO payloads (sha256, payload) SELECT payload_sha256, payload FROM deliveries WHERE payload IS NOT NULL;
  ALTER TABLE deliveries DROP COLUMN payload;
  ALTER TABLE deliveries ADD COLUMN recipient_data TEXT;
  ALTER TABLE deliveries ADD COLUMN occurrence TEXT;
  CREATE INDEX deliveries_occurrence ON deliveries (occurrence, channel, state);
  CREATE TABLE occurrences (
    key TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    schedule TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('scheduled','manual')),
    due_utc TEXT NOT NULL,
    window_ends_utc TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    channels TEXT NOT NULL,
    detail TEXT NOT NULL,
    requested_by TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX occurrences_campaign ON occurrences (campaign, kind, content_hash);
  CREATE TABLE occurrence_channels (
    occurrence TEXT NOT NULL REFERENCES occurrences(key),
    channel TEXT NOT NULL,
    base_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting','created','skipped')),
    created INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (occurrence, channel)
  );
  CREATE INDEX occurrence_channels_waiting ON occurrence_channels (state);
  ALTER TABLE locks ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE locks ADD COLUMN lease_ms INTEGER NOT NULL DEFAULT 60000;
  ALTER TABLE locks ADD COLUMN process_start TEXT;
  ALTER TABLE locks ADD COLUMN released_at TEXT;
  PRAGMA application_id = 1094995289;
  `,
  backfillOccurrences,
  // 4: what a multi-step publish has done so far (a WeChat draft's media_id, its publish_id), kept across attempts
  `
  ALTER TABLE deliveries ADD COLUMN checkpoint TEXT;
  `,
  // 5: subscribers pending (double opt-in) and bounced, where they came from, hard bounces; ids that say nothing of the address
  resubscribers,
  // 6: staff accounts of the staff listener (login): a name and an scrypt hash
  `
  CREATE TABLE staff (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
];

/**
 * Rebuilds `subscribers` with the states of double opt-in and bounces (a CHECK
 * cannot be altered in place), and gives each subscriber a random id in place
 * of the old `s-` + sha256(address): anyone could compute that one from an
 * address and find it in keys, logs and status. The deliveries' recipient and
 * key follow; the append-only audit log keeps the old ids of its history.
 */
function resubscribers(db: Database): void {
  db.exec(`
  CREATE TABLE subscribers_v5 (
    id TEXT PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    name TEXT,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('pending','active','unsubscribed','bounced')),
    source TEXT NOT NULL DEFAULT 'cli',
    bounces INTEGER NOT NULL DEFAULT 0,
    last_bounce TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    confirmed_at TEXT,
    unsubscribed_at TEXT
  );
  INSERT INTO subscribers_v5 (id, address, name, unsubscribe_token, status, source, created_at, updated_at, confirmed_at, unsubscribed_at)
    SELECT id, address, name, unsubscribe_token, status, 'cli', created_at, updated_at, created_at, CASE status WHEN 'unsubscribed' THEN updated_at END
    FROM subscribers;
  DROP TABLE subscribers;
  ALTER TABLE subscribers_v5 RENAME TO subscribers;
  CREATE INDEX subscribers_status ON subscribers (status, id);
  `);
  const old = db.prepare(`SELECT id FROM subscribers WHERE id GLOB 's-[0-9a-f]*' AND length(id) = 18`).pluck().all() as string[];
  const rename = db.prepare('UPDATE subscribers SET id = ? WHERE id = ?');
  const rekey = db.prepare(`UPDATE deliveries SET recipient = @to, key = substr(key, 1, length(key) - length(@from)) || @to WHERE recipient = @from`);
  for (const from of old) {
    const to = newSubscriberId();
    rename.run(to, from);
    rekey.run({ from, to });
  }
}

/**
 * Deliveries written before occurrences were recorded get one: the rows of a
 * (campaign, schedule, due time), every channel created. So a `publish --now`
 * after the upgrade still knows what an earlier one published.
 */
function backfillOccurrences(db: Database): void {
  const groups = db
    .prepare(
      `SELECT campaign, schedule, due_utc, max(window_ends_utc) AS window_ends_utc, max(content_hash) AS content_hash, min(created_at) AS created_at,
         json_group_array(DISTINCT channel) AS channels
       FROM deliveries WHERE occurrence IS NULL GROUP BY campaign, schedule, due_utc`,
    )
    .all() as Array<{ campaign: string; schedule: string; due_utc: string; window_ends_utc: string; content_hash: string; created_at: string; channels: string }>;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO occurrences (key, campaign, schedule, kind, due_utc, window_ends_utc, content_hash, channels, detail, requested_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const channel = db.prepare(`INSERT OR IGNORE INTO occurrence_channels (occurrence, channel, base_key, state, created, updated_at) VALUES (?, ?, ?, 'created', ?, ?)`);
  const link = db.prepare('UPDATE deliveries SET occurrence = ? WHERE campaign = ? AND schedule = ? AND due_utc = ? AND channel = ? AND occurrence IS NULL');
  for (const g of groups) {
    const key = `${g.campaign}/${g.schedule}/${g.due_utc}`;
    const channels = (JSON.parse(g.channels) as string[]).map((c) => ({ channel: c, baseKey: `${g.campaign}/${g.schedule}/${c}/${g.due_utc}` }));
    const detail = { key, campaign: g.campaign, schedule: g.schedule, channels: channels.map((c) => c.channel), keys: Object.fromEntries(channels.map((c) => [c.channel, c.baseKey])),
      dueUtc: g.due_utc, dueLocal: g.due_utc, timezone: 'Asia/Shanghai', advisories: [], windowEndsUtc: g.window_ends_utc, kind: 'at', backfilled: true };
    insert.run(key, g.campaign, g.schedule, g.schedule === 'manual' ? 'manual' : 'scheduled', g.due_utc, g.window_ends_utc, g.content_hash, JSON.stringify(channels), JSON.stringify(detail), g.created_at);
    for (const c of channels) {
      const n = link.run(key, g.campaign, g.schedule, g.due_utc, c.channel).changes;
      channel.run(key, c.channel, c.baseKey, n, g.created_at);
    }
  }
}

/** `PRAGMA application_id` of an advisory ledger ("ADVY"), set by migration 2. */
export const APPLICATION_ID = 1094995289;

export function migrate(db: Database, file: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StateError('ESTATE_VERSION', storeMessages().newerSchema(file, current, MIGRATIONS.length));
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const step = MIGRATIONS[v];
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}
