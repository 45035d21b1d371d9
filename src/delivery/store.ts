/**
 * The delivery store: everything the dispatcher needs from durable state,
 * behind one interface. `SqliteStore` (ledger.ts) implements it on one SQLite
 * file; a Redis/BullMQ store can implement the same methods without channels or
 * the dispatcher changing. Channels never see this interface.
 */
import type { ChannelName, Payload, Receipt } from '../channels/channel.js';

export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'held', 'missed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
/** States a delivery never leaves on its own. */
export const FINAL_STATES: readonly DeliveryState[] = ['sent', 'failed', 'held', 'missed'];

export interface NewDelivery {
  key: string;
  campaign: string;
  schedule: string;
  channel: ChannelName;
  /** Subscriber id for per-recipient channels (e-mail), else null. */
  recipient: string | null;
  dueUtc: string;
  windowEndsUtc: string;
  /** The rendered payload, frozen now; null only for `missed` deliveries (never sent). */
  payload: Payload | null;
  /** The approval hash of the content this payload was rendered from. */
  contentHash: string;
  state: 'pending' | 'held' | 'missed';
  reason?: string;
}

export interface Delivery extends Omit<NewDelivery, 'state' | 'reason'> {
  state: DeliveryState;
  reason: string | null;
  /** Attempts ever made (numbers the attempts, 1-based). */
  attempts: number;
  /** Attempts since the last manual `retry` (what the retry policy counts). */
  tries: number;
  nextAttemptAt: string | null;
  payloadSha256: string | null;
  receipt: Receipt | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptError {
  failure: string;
  message: string;
  channelCode?: string;
}

export interface Subscriber {
  id: string;
  address: string;
  name: string | null;
  unsubscribeToken: string;
  status: 'active' | 'unsubscribed';
}

export interface Approval {
  campaign: string;
  contentHash: string;
  approvedBy: string;
  approvedAt: string;
}

/** What an approval of newer content does to a stale delivery (see supersede.ts). */
export interface SupersedeChange {
  key: string;
  /** The re-rendered payload (pending), or null to keep the old one (missed: never sent). */
  payload: Payload | null;
  contentHash: string;
  state: 'pending' | 'missed';
  reason?: string;
}

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string;
  purpose: string;
}

export interface DeliveryStore {
  /**
   * Inserts the deliveries of one (occurrence, channel) in one transaction and
   * marks `materializedKey` done; a key that exists is left alone. Returns how
   * many rows were new.
   */
  createDeliveries(materializedKey: string, deliveries: NewDelivery[], at: Date): number;
  isMaterialized(materializedKey: string): boolean;
  get(key: string): Delivery | undefined;
  list(filter?: { state?: DeliveryState; campaign?: string; keys?: string[]; limit?: number }): Delivery[];
  counts(): Record<DeliveryState, number>;
  /** Pending deliveries whose next attempt is due at `now`, oldest first. */
  due(now: Date, limit: number): Delivery[];
  /** The earliest next attempt of any pending delivery. */
  nextAttemptAt(): Date | null;
  /** pending → sending with attempt n, committed before the channel is called. False if it was not pending. */
  markSending(key: string, at: Date): { attempt: number } | false;
  markSent(key: string, attempt: number, receipt: Receipt, at: Date): void;
  /** sending → pending, to be tried again at `nextAt`. */
  markRetry(key: string, attempt: number, nextAt: Date, error: AttemptError, at: Date): void;
  /** sending → failed | held, with the reason. */
  markFinal(key: string, attempt: number, state: 'failed' | 'held' | 'missed', reason: string, error: AttemptError | null, at: Date): void;
  /** After a crash: sending → pending (the earlier attempt certainly did not go out). */
  markUnsent(key: string, at: Date, note: string): void;
  /** failed (or held for a person) → pending; approval holds are released by approve. */
  retry(key: string, at: Date): boolean;
  recordApproval(campaign: string, contentHash: string, by: string, at: Date): void;
  approval(campaign: string, contentHash: string): Approval | undefined;
  /** The most recent approval of the campaign (what live channels may send now). */
  latestApproval(campaign: string): Approval | undefined;
  /**
   * Replaces the frozen payload of stale deliveries (held for approval, or
   * pending) in one transaction, audit-logged as `superseded`; rows in any other
   * state (sending, sent, …) are left alone. Returns how many changed.
   */
  supersede(changes: SupersedeChange[], at: Date): number;
  /** held-for-approval deliveries of this hash → pending. Returns how many. */
  releaseApproved(campaign: string, contentHash: string, at: Date): number;
  attempts(key: string): Array<{ n: number; startedAt: string; finishedAt: string | null; outcome: string | null; errorClass: string | null; errorMessage: string | null; channelCode: string | null; receiptId: string | null }>;
  audit(event: string, detail: Record<string, unknown>, at: Date): void;
  getMeta(name: string): string | undefined;
  setMeta(name: string, value: string): void;
  addSubscriber(s: { id?: string; address: string; name?: string }, at: Date): Subscriber;
  subscribers(status?: Subscriber['status']): Subscriber[];
  subscriber(id: string): Subscriber | undefined;
  unsubscribe(token: string, at: Date): boolean;
  subscriberByAddress(address: string): Subscriber | undefined;
  /** Marks the subscriber of this address unsubscribed (the record stays, for the audit). */
  unsubscribeAddress(address: string, at: Date): boolean;
  /** Single dispatcher per store: null when acquired, else who holds it. */
  acquireLock(name: string, purpose: string): LockHolder | null;
  heartbeat(name: string): void;
  releaseLock(name: string): void;
  lockHolder(name: string): LockHolder | null;
  close(): void;
}

/** The approval-hold reason, parsed back by approve. */
export const AWAITING_APPROVAL = 'awaiting approval of ';
