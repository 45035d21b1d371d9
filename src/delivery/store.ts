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
  /** The recorded occurrence (set by recordOccurrence). */
  occurrence?: string;
  state: 'pending' | 'held' | 'missed';
  reason?: string;
}

export interface Delivery extends Omit<NewDelivery, 'state' | 'reason' | 'occurrence'> {
  state: DeliveryState;
  /** The recorded occurrence it belongs to (null for rows from before occurrences were recorded). */
  occurrence: string | null;
  /** Per-recipient deliveries: the address, name and unsubscribe token frozen at creation. */
  recipientData: FrozenRecipient | null;
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

/** How a lock's holder stands: `alive`; `unresponsive` (same host, the process exists but stopped heartbeating: never taken over); `dead` (same host, the process is gone); `expired` (another host, no heartbeat within its lease); `released`. */
export type LockState = 'alive' | 'unresponsive' | 'dead' | 'expired' | 'released';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string;
  purpose: string;
  generation: number;
  leaseMs: number;
  sameHost: boolean;
  heartbeatAgeMs: number;
  state: LockState;
}

/** A lock this process holds: its fencing generation. */
export interface HeldLock {
  name: string;
  generation: number;
  leaseMs: number;
}

export type OccurrenceKind = 'scheduled' | 'manual';

/** The intent of one occurrence, recorded before anything of it is sent. */
export interface OccurrenceRecord {
  key: string;
  campaign: string;
  schedule: string;
  kind: OccurrenceKind;
  dueUtc: string;
  windowEndsUtc: string;
  /** The approval hash the occurrence was recorded with. */
  contentHash: string;
  /** Each channel with the base key of its deliveries. */
  channels: Array<{ channel: ChannelName; baseKey: string }>;
  /** Advisory ids it carries (rotation), and the occurrence's own fields for re-rendering. */
  detail: Record<string, unknown>;
  requestedBy: string | null;
  createdAt: string;
}

/**
 * What one channel of an occurrence creates: plain rows, or (per-recipient
 * channels) parts fanned out to every active subscriber by the store, each
 * subscriber's row holding only its frozen address, name and unsubscribe token.
 * `error` when it could not be rendered: the channel is recorded `waiting`.
 */
export interface ChannelPlan {
  channel: ChannelName;
  baseKey: string;
  deliveries?: NewDelivery[];
  fanOut?: NewDelivery[];
  error?: string;
}

/** A recorded occurrence's channel that has no deliveries yet (its rendering failed, or an older ledger). */
export interface WaitingChannel {
  occurrence: OccurrenceRecord;
  channel: ChannelName;
  baseKey: string;
  error: string | null;
  since: string;
}

/** Per-channel state counts of one occurrence's deliveries. */
export type OccurrenceProgress = Array<{ channel: ChannelName; state: DeliveryState; n: number }>;

/** The recipient data a per-recipient delivery froze when it was created. */
export interface FrozenRecipient {
  address: string;
  name: string | null;
  unsubscribeToken: string;
}

/** Limits a query to the deliveries of some occurrences (what one `publish --now` owns). */
export interface DeliveryScope {
  occurrences: string[];
}

export interface DeliveryStore {
  /**
   * Records an occurrence and the deliveries of its channels in ONE transaction:
   * after a crash either all of it is in the ledger or none. An occurrence
   * already recorded is left alone (returns recorded: false). `progress` is
   * called inside the transaction after each step (crash drills).
   */
  recordOccurrence(occ: OccurrenceRecord, plans: ChannelPlan[], at: Date, progress?: (step: 'occurrence' | 'channel' | 'fanout') => void): { recorded: boolean; created: number };
  /** Creates the deliveries of a waiting channel of a recorded occurrence (or records why it still cannot). */
  completeChannel(occurrence: string, plan: ChannelPlan, at: Date): number;
  /** Recorded channels that still have no deliveries. */
  waitingChannels(): WaitingChannel[];
  occurrence(key: string): OccurrenceRecord | undefined;
  /** Recorded occurrences, newest first. */
  occurrences(filter: { campaign?: string; kind?: OccurrenceKind; contentHash?: string; limit?: number }): OccurrenceRecord[];
  progress(occurrence: string): OccurrenceProgress;
  /** How each channel of an occurrence stands: deliveries created, waiting (with why), or skipped (nobody to send to). */
  occurrenceChannels(occurrence: string): Array<{ channel: ChannelName; state: 'waiting' | 'created' | 'skipped'; error: string | null }>;
  /**
   * Inserts the deliveries of one (occurrence, channel) in one transaction and
   * marks `materializedKey` done; a key that exists is left alone. Returns how
   * many rows were new.
   */
  createDeliveries(materializedKey: string, deliveries: NewDelivery[], at: Date): number;
  isMaterialized(materializedKey: string): boolean;
  get(key: string): Delivery | undefined;
  list(filter?: { state?: DeliveryState; campaign?: string; keys?: string[]; occurrence?: string; limit?: number }): Delivery[];
  counts(): Record<DeliveryState, number>;
  /** Pending deliveries whose next attempt is due at `now`, oldest first (only of these occurrences, when given). */
  due(now: Date, limit: number, scope?: DeliveryScope): Delivery[];
  /** The earliest next attempt of any pending delivery (of these occurrences, when given). */
  nextAttemptAt(scope?: DeliveryScope): Date | null;
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
  deleteMeta(name: string): void;
  addSubscriber(s: { id?: string; address: string; name?: string }, at: Date): Subscriber;
  subscribers(status?: Subscriber['status']): Subscriber[];
  /** How many subscribers are in each state. */
  subscriberCounts(): Record<Subscriber['status'], number>;
  subscriber(id: string): Subscriber | undefined;
  unsubscribe(token: string, at: Date): boolean;
  subscriberByAddress(address: string): Subscriber | undefined;
  /** Marks the subscriber of this address unsubscribed (the record stays, for the audit). */
  unsubscribeAddress(address: string, at: Date): boolean;
  /**
   * Single dispatcher per store. On success the store is fenced: every state
   * change it commits from then on checks the lock still carries this
   * generation (else LockLostError). Otherwise returns who holds it.
   */
  acquireLock(name: string, purpose: string, leaseMs?: number): { held: HeldLock } | { holder: LockHolder };
  /** False when the lock was lost (taken over): stop dispatching. */
  heartbeat(lock: HeldLock): boolean;
  /** Throws LockLostError when this store's fence no longer holds. */
  checkFence(): void;
  releaseLock(lock: HeldLock): void;
  /** The live holder (alive or unresponsive), else null. */
  lockHolder(name: string): LockHolder | null;
  /** The last holder however it stands (for status: a dead one is reported as such). */
  describeLock(name: string): LockHolder | null;
  close(): void;
}

/** The approval-hold reason, parsed back by approve. */
export const AWAITING_APPROVAL = 'awaiting approval of ';
