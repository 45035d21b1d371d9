/**
 * Rows of the ledger's other tables as every backend keeps them (the same
 * snake_case columns, JSON as text), and what turns each back into the
 * interface's record. Deliveries are in delivery-row.ts.
 */
import { parseJson } from './delivery-row.js';
import type { OccurrenceKind, OccurrenceRecord, StaffAccount, Subscriber, SubscriberStatus } from './types.js';

export interface OccurrenceRow {
  key: string; campaign: string; schedule: string; kind: OccurrenceKind; due_utc: string; window_ends_utc: string;
  content_hash: string; channels: string; detail: string; requested_by: string | null; created_at: string;
}

/** The row as a record; `ledger` (its location) names it if a JSON column does not parse. */
export const toOccurrence = (r: OccurrenceRow, ledger: string): OccurrenceRecord => ({
  key: r.key, campaign: r.campaign, schedule: r.schedule, kind: r.kind, dueUtc: r.due_utc, windowEndsUtc: r.window_ends_utc,
  contentHash: r.content_hash, channels: parseJson(r.channels, ledger, `occurrences.channels of ${r.key}`),
  detail: parseJson(r.detail, ledger, `occurrences.detail of ${r.key}`), requestedBy: r.requested_by, createdAt: r.created_at,
});

export interface SubscriberRow {
  id: string; address: string; name: string | null; unsubscribe_token: string; status: SubscriberStatus; source: string;
  bounces: number; last_bounce: string | null; created_at: string; updated_at: string; confirmed_at: string | null; unsubscribed_at: string | null;
}

export const toSubscriber = (r: SubscriberRow): Subscriber => ({
  id: r.id, address: r.address, name: r.name, unsubscribeToken: r.unsubscribe_token, status: r.status, source: r.source,
  bounces: r.bounces, lastBounce: r.last_bounce, createdAt: r.created_at, updatedAt: r.updated_at,
  confirmedAt: r.confirmed_at, unsubscribedAt: r.unsubscribed_at,
});

export interface StaffRow {
  name: string;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

export const toStaffAccount = (r: StaffRow): StaffAccount => ({ name: r.name, passwordHash: r.password_hash, createdAt: r.created_at, updatedAt: r.updated_at });

/** A subscriber's last hard bounce as kept: when, the code, the message (at most 500 characters). */
export const lastBounce = (when: string, detail: { code?: string; message: string }) => `${when} ${detail.code ? `${detail.code} ` : ''}${detail.message}`.slice(0, 500);
