/**
 * Versioned schema migrations for the SQLite ledger, applied at start-up in
 * order; `PRAGMA user_version` records the last one applied. Never edit a
 * shipped migration: add the next one.
 */
import type { Database } from 'better-sqlite3';
import { StateError } from '../errors.js';

export const MIGRATIONS: readonly string[] = [
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
];

export function migrate(db: Database, file: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StateError(
      'ESTATE_VERSION',
      `${file} was written by a newer advisory (schema version ${current}, this one knows ${MIGRATIONS.length}). Upgrade advisory, or move the file away to start a new ledger.`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}
