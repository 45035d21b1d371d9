/**
 * A delivery as every backend's `deliveries` table holds it (snake_case
 * columns, JSON kept as text so a payload is the same bytes whatever the
 * backend), and what turns a row back into a Delivery. Payloads are stored
 * once, by sha256, and read through a small cache of parsed, frozen ones.
 */
import type { Payload } from '../../channels/channel.js';
import { StateError } from '../../errors.js';
import { storeMessages } from '../../i18n/messages-store.js';
import type { Delivery, DeliveryState, DueKey } from './types.js';

export interface DeliveryRow {
  key: string; campaign: string; schedule: string; channel: string; recipient: string | null; recipient_data: string | null;
  occurrence: string | null; due_utc: string; window_ends_utc: string; state: DeliveryState; reason: string | null;
  attempts: number; tries: number; next_attempt_at: string | null;
  payload_sha256: string | null; content_hash: string; receipt: string | null; last_error: string | null;
  checkpoint: string | null; created_at: string; updated_at: string;
}

/**
 * A JSON column of a row of the ledger `ledger`, parsed. Text that is not JSON (a row edited by hand, a damaged
 * restore) stops the command with one line naming the ledger and the row (`row`: `deliveries.receipt of KEY`),
 * instead of a stack trace.
 */
export function parseJson<T = unknown>(text: string, ledger: string, row: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new StateError('ELEDGER_ROW', storeMessages().badRow(ledger, row, (err as Error).message), { cause: err });
  }
}

/** The row as a Delivery; `ledger` (its location) names it if a JSON column does not parse. */
export function toDelivery(r: DeliveryRow, payloadOf: (sha: string | null) => Payload | null, ledger: string): Delivery {
  const json = (text: string | null, column: string) => (text === null ? null : parseJson(text, ledger, `deliveries.${column} of ${r.key}`));
  return {
    key: r.key, campaign: r.campaign, schedule: r.schedule, channel: r.channel as Delivery['channel'],
    recipient: r.recipient, recipientData: json(r.recipient_data, 'recipient_data') as Delivery['recipientData'], occurrence: r.occurrence,
    dueUtc: r.due_utc, windowEndsUtc: r.window_ends_utc, state: r.state, reason: r.reason,
    attempts: r.attempts, tries: r.tries, nextAttemptAt: r.next_attempt_at,
    payload: payloadOf(r.payload_sha256), payloadSha256: r.payload_sha256,
    contentHash: r.content_hash, receipt: json(r.receipt, 'receipt') as Delivery['receipt'],
    lastError: r.last_error, checkpoint: json(r.checkpoint, 'checkpoint') as Delivery['checkpoint'], createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Parsed payloads kept by sha256: a publish's rows share a handful (one per
 * channel part), and a payload never changes under its hash. Each is frozen:
 * it is what was approved, byte for byte.
 */
export class PayloadCache {
  private readonly parsed = new Map<string, Payload>();
  constructor(private readonly size = 64) {}

  get(sha: string): Payload | undefined {
    return this.parsed.get(sha);
  }

  /** Parses and keeps `json`, stored under `sha` in the ledger `ledger`. */
  put(sha: string, json: string, ledger: string): Payload {
    const payload = deepFreeze(parseJson<Payload>(json, ledger, `payloads.payload of ${sha}`));
    if (this.parsed.size >= this.size) this.parsed.delete(this.parsed.keys().next().value!);
    this.parsed.set(sha, payload);
    return payload;
  }
}

/** A dueKeys row: the recorded account only when there is one (SQL gives null for none). */
export const dueKey = ({ account, ...r }: DueKey & { account: string | null }): DueKey => (account ? { ...r, account } : r);
