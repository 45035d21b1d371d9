/**
 * The store: durable state, behind small async interfaces, one per concern:
 *
 *   DeliveryQueue    occurrences (recorded intent) and their deliveries, states, attempts
 *   ApprovalStore    who approved which content hash
 *   SubscriberStore  the e-mail subscribers
 *   DispatcherLock   one dispatcher per store: a lease with a fencing generation
 *   MetaStore        small named values (the "planned up to" mark)
 *   AuditLog         the append-only record of every change
 *
 * `openStore(config)` (index.ts) opens a backend: SQLite (sqlite/) today; a
 * PostgreSQL or Redis/BullMQ one implements the same interfaces and passes
 * the same contract suite (test/delivery/store/contract.ts). Callers depend
 * on the interfaces they use; nothing outside this folder touches SQL, and
 * channels never see the store.
 */
import type { ChannelName, Checkpoint, Payload, Receipt } from '../../channels/channel.js';
import { StateError } from '../../errors.js';

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
  /** What a multi-step publish recorded along the way (a WeChat draft's media_id, its publish_id); kept across attempts, cleared when the payload changes. */
  checkpoint: Checkpoint | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptError {
  failure: string;
  message: string;
  channelCode?: string;
}

/** Addresses are stored trimmed and lower-cased: one subscriber per mailbox, whatever the backend. */
export const normalizeAddress = (address: string) => address.trim().toLowerCase();

/**
 * `pending`: signed up on the site, not yet confirmed (double opt-in): never mailed a campaign.
 * `active`: receives campaigns. `unsubscribed`, `bounced` (3 hard bounces): never mailed again.
 */
export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced';
export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = ['pending', 'active', 'unsubscribed', 'bounced'];
/** Hard bounces (5xx for the recipient) after which a subscriber is `bounced`. */
export const BOUNCE_LIMIT = 3;

export interface Subscriber {
  /** Random (`s-` and 16 hex digits): it appears in keys, logs and status, and says nothing about the address. */
  id: string;
  address: string;
  name: string | null;
  unsubscribeToken: string;
  status: SubscriberStatus;
  /** How the address came: `cli`, `import:<file>`, `web`. */
  source: string;
  /** Hard bounces counted so far. */
  bounces: number;
  lastBounce: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

/** What adding a subscriber gives; the store makes a random id and token when none is given. */
export interface NewSubscriber {
  id?: string;
  address: string;
  name?: string;
  /** `active` (an operator's add, an import) or `pending` (a sign-up awaiting its confirmation). */
  status?: 'active' | 'pending';
  source?: string;
  /** The token of the subscriber's unsubscribe link (an HMAC-signed one from the caller), fixed at creation. */
  unsubscribeToken?: string;
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

/** Default lease: a holder on another host whose heartbeat is older than this is dead. */
export const DEFAULT_LEASE_MS = 60_000;

/** A dispatcher found the lock it held taken over (its generation is gone): it must stop at once. Every backend throws this. */
export class LockLostError extends StateError {
  constructor(message: string) {
    super('ELOCKLOST', message);
  }
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

export interface DueKey {
  key: string;
  channel: ChannelName;
  /**
   * The account its payload was recorded for (`payload.account`): the account's short hash, or `sandbox`; absent
   * when none was recorded (an older payload; the website). The relay's queue for it (queue/relay.ts).
   */
  account?: string;
}

export interface Attempt {
  n: number;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  channelCode: string | null;
  receiptId: string | null;
}

export interface AuditEntry {
  at: string;
  event: string;
  key: string | null;
  detail: Record<string, unknown>;
}


/** Occurrences and their deliveries: what is owed, its state, and every attempt. */
export interface DeliveryQueue {
  /**
   * Records an occurrence and the deliveries of its channels in ONE transaction:
   * after a crash either all of it is in the store or none. An occurrence
   * already recorded is left alone (returns recorded: false). `progress` is
   * called inside the transaction after each step (crash drills).
   */
  recordOccurrence(occ: OccurrenceRecord, plans: ChannelPlan[], at: Date, progress?: (step: 'occurrence' | 'channel' | 'fanout') => void): Promise<{ recorded: boolean; created: number }>;
  /** Creates the deliveries of a waiting channel of a recorded occurrence (or records why it still cannot). */
  completeChannel(occurrence: string, plan: ChannelPlan, at: Date): Promise<number>;
  /** Recorded channels that still have no deliveries. */
  waitingChannels(): Promise<WaitingChannel[]>;
  occurrence(key: string): Promise<OccurrenceRecord | undefined>;
  /** Recorded occurrences, newest first. */
  occurrences(filter: { campaign?: string; kind?: OccurrenceKind; contentHash?: string; limit?: number }): Promise<OccurrenceRecord[]>;
  progress(occurrence: string): Promise<OccurrenceProgress>;
  /** How each channel of an occurrence stands: deliveries created, waiting (with why), or skipped (nobody to send to). */
  occurrenceChannels(occurrence: string): Promise<Array<{ channel: ChannelName; state: 'waiting' | 'created' | 'skipped'; error: string | null }>>;
  /**
   * Inserts deliveries outside any occurrence in one transaction and marks
   * `materializedKey` done; a key that exists is left alone. Returns how many
   * rows were new.
   */
  createDeliveries(materializedKey: string, deliveries: NewDelivery[], at: Date): Promise<number>;
  isMaterialized(materializedKey: string): Promise<boolean>;
  get(key: string): Promise<Delivery | undefined>;
  /** Which of these delivery keys the store has (in any state). */
  knownKeys(keys: string[]): Promise<Set<string>>;
  list(filter?: { state?: DeliveryState; campaign?: string; keys?: string[]; occurrence?: string; limit?: number }): Promise<Delivery[]>;
  counts(): Promise<Record<DeliveryState, number>>;
  /** Pending deliveries whose next attempt is due at `now`, oldest first (only of these occurrences, when given). */
  due(now: Date, limit: number, scope?: DeliveryScope): Promise<Delivery[]>;
  /**
   * The keys and channels of what `due` returns (the queue's relay offers them: nothing else of the rows is read).
   * With `changedSince`, only those written since then or whose next attempt fell due since then.
   */
  dueKeys(now: Date, o: { limit: number; scope?: DeliveryScope; changedSince?: Date }): Promise<DueKey[]>;
  /** The earliest next attempt of any pending delivery (of these occurrences, when given). */
  nextAttemptAt(scope?: DeliveryScope): Promise<Date | null>;
  /**
   * Whether these occurrences still have a delivery pending, and one sending: what a waiting publish needs to
   * know each time it looks, answered without counting its rows (the first of each found by the due index).
   */
  openStates(scope: DeliveryScope): Promise<{ pending: boolean; sending: boolean }>;
  /** pending → sending with attempt n, committed before the channel is called. False if it was not pending. */
  markSending(key: string, at: Date): Promise<{ attempt: number } | false>;
  markSent(key: string, attempt: number, receipt: Receipt, at: Date): Promise<void>;
  /**
   * markSending for many in ONE committed transaction (a per-recipient channel
   * claims a batch before calling the channel for any of it): each of `keys`
   * still pending becomes `sending` in its next attempt; the others are left
   * alone. Returns the claimed deliveries as they now are (in `keys` order;
   * each one's attempt is its `attempts`).
   */
  markSendingMany(keys: string[], at: Date): Promise<Delivery[]>;
  /**
   * markSent for many in ONE committed transaction (group commit): each as
   * markSent would record it; one no longer `sending` in that attempt is left
   * alone.
   */
  markSentMany(sent: Array<{ key: string; attempt: number; receipt: Receipt }>, at: Date): Promise<void>;
  /**
   * Gives back claims that were never sent (the run stopped before their turn):
   * `sending` in that attempt → `pending`, due at `nextAt` or when it was due
   * already, whichever is later; the claim is undone (no attempt, no try is
   * left of it; the audit log keeps it). One transaction; returns how many
   * went back.
   */
  releaseSending(claims: Array<{ key: string; attempt: number }>, at: Date, nextAt?: Date): Promise<number>;
  /**
   * Merges `details` into the delivery's checkpoint (JSON merge patch: a null
   * removes a key) while it is `sending` in `attempt`; otherwise throws
   * LockLostError (another process took it over): the attempt must stop.
   */
  checkpoint(key: string, attempt: number, details: Checkpoint, at: Date): Promise<void>;
  /** sending → pending, to be tried again at `nextAt`. */
  markRetry(key: string, attempt: number, nextAt: Date, error: AttemptError, at: Date): Promise<void>;
  /** sending → failed | held, with the reason. */
  markFinal(key: string, attempt: number, state: 'failed' | 'held' | 'missed', reason: string, error: AttemptError | null, at: Date): Promise<void>;
  /** After a crash: sending → pending (the earlier attempt certainly did not go out). */
  markUnsent(key: string, at: Date, note: string): Promise<void>;
  /**
   * A channel's pause (its server is down): every pending delivery of `channel` due before `until` is due
   * at `until` instead, its attempts untouched. Returns how many moved.
   */
  postpone(channel: ChannelName, until: Date, at: Date): Promise<number>;
  /** failed (or held for a person) → pending; approval holds are released by approve. */
  retry(key: string, at: Date): Promise<boolean>;
  /**
   * Replaces the frozen payload of stale deliveries (held for approval, or
   * pending) in one transaction, audit-logged as `superseded`; rows in any other
   * state (sending, sent, …) are left alone. Returns how many changed.
   */
  supersede(changes: SupersedeChange[], at: Date): Promise<number>;
  /**
   * The deliveries of one part of an occurrence (`partKey`, and per-recipient
   * rows `partKey/<subscriber>`) that have not gone out (pending, or held for
   * approval) take `payload` and `contentHash` (content edited before an
   * interrupted publish was finished): one transaction, audit-logged as
   * `superseded`. Rows sending, sent, failed or missed are left alone. Returns
   * how many changed.
   */
  replaceUnsent(occurrence: string, partKey: string, payload: Payload, contentHash: string, at: Date): Promise<number>;
  /** held-for-approval deliveries of this hash → pending. Returns how many. */
  releaseApproved(campaign: string, contentHash: string, at: Date): Promise<number>;
  attempts(key: string): Promise<Attempt[]>;
}

export interface ApprovalStore {
  recordApproval(campaign: string, contentHash: string, by: string, at: Date): Promise<void>;
  approval(campaign: string, contentHash: string): Promise<Approval | undefined>;
  /** The most recent approval of the campaign (what live channels may send now). */
  latestApproval(campaign: string): Promise<Approval | undefined>;
}

export interface SubscriberStore {
  /**
   * Adds a subscriber, or changes the one of that address: an `active` add
   * (an operator's) activates a pending, unsubscribed or bounced one (bounces
   * reset); a `pending` add (a sign-up) leaves an active one active and makes
   * an unsubscribed or bounced one pending again (it must confirm). A given
   * name replaces the stored one; the id and token never change.
   */
  addSubscriber(s: NewSubscriber, at: Date): Promise<Subscriber>;
  /**
   * Adds many in one transaction: new addresses are added (`active`, this
   * source), present ones counted (a pending one is activated: the bureau
   * vouches for its list), unsubscribed and bounced ones skipped (a bulk import
   * never re-subscribes).
   */
  importSubscribers(
    entries: Array<{ address: string; name?: string; line: number; id?: string; unsubscribeToken?: string }>,
    at: Date,
    source?: string,
  ): Promise<{ added: number; present: number; skipped: Array<{ address: string; line: number; status: SubscriberStatus }> }>;
  subscribers(status?: SubscriberStatus): Promise<Subscriber[]>;
  /** How many subscribers are in each state. */
  subscriberCounts(): Promise<Record<SubscriberStatus, number>>;
  subscriber(id: string): Promise<Subscriber | undefined>;
  /** Those of `ids` the store has, by id, in one read (a queue worker's batch of e-mail deliveries). */
  subscribersById(ids: string[]): Promise<Map<string, Subscriber>>;
  /** Unsubscribes the subscriber whose stored token this is (a pending or active one); false when none. */
  unsubscribe(token: string, at: Date): Promise<boolean>;
  /** Unsubscribes by id (a verified signed link, an operator): false when unknown or not pending/active. */
  unsubscribeId(id: string, at: Date, by: string): Promise<boolean>;
  subscriberByAddress(address: string): Promise<Subscriber | undefined>;
  /** The subscriber whose stored unsubscribe token this is exactly (nothing is changed). */
  subscriberByToken(token: string): Promise<Subscriber | undefined>;
  /** Marks the subscriber of this address unsubscribed (the record stays, for the audit). */
  unsubscribeAddress(address: string, at: Date): Promise<boolean>;
  /** A pending subscriber confirmed (double opt-in): `confirmed`; already active: `already`; else `unknown` (unsubscribed, bounced, none). */
  confirmSubscriber(id: string, at: Date): Promise<'confirmed' | 'already' | 'unknown'>;
  /**
   * Counts a hard bounce (a 5xx for this recipient); at BOUNCE_LIMIT an active
   * or pending subscriber becomes `bounced`. Returns the new count and status.
   */
  recordBounce(id: string, at: Date, detail: { code?: string; message: string; key?: string }): Promise<{ bounces: number; status: SubscriberStatus } | undefined>;
}

export interface DispatcherLock {
  /**
   * Takes the lock unless a live holder has it. On success this store is
   * fenced (unless `fence: false`, for a lock that only serialises a short
   * step): every state change it commits from then on checks the lock still
   * carries this generation (else LockLostError). Otherwise returns who holds it.
   */
  acquireLock(name: string, purpose: string, leaseMs?: number, options?: { fence?: boolean }): Promise<{ held: HeldLock } | { holder: LockHolder }>;
  /** False when the lock was lost (taken over): stop dispatching. */
  heartbeat(lock: HeldLock): Promise<boolean>;
  /** Throws LockLostError when this store's fence no longer holds. */
  checkFence(): Promise<void>;
  releaseLock(lock: HeldLock): Promise<void>;
  /** The live holder (alive or unresponsive), else null. */
  lockHolder(name: string): Promise<LockHolder | null>;
  /** The last holder however it stands (for status: a dead one is reported as such). */
  describeLock(name: string): Promise<LockHolder | null>;
}

export interface MetaStore {
  getMeta(name: string): Promise<string | undefined>;
  setMeta(name: string, value: string): Promise<void>;
  /** Sets `name` to `value` only if it has no value yet; returns the value kept (of two processes at once, one wins). */
  initMeta(name: string, value: string): Promise<string>;
  deleteMeta(name: string): Promise<void>;
}

export interface AuditLog {
  audit(event: string, detail: Record<string, unknown>, at: Date): Promise<void>;
  /** The log, oldest first, optionally of one event or one delivery. */
  auditLog(filter?: { event?: string; key?: string; limit?: number }): Promise<AuditEntry[]>;
}

/** A staff account of the staff listener: a name and its password hash (never the password). */
export interface StaffAccount {
  name: string;
  /** `scrypt$N$r$p$salt$hash` (delivery/staff.ts). */
  passwordHash: string;
  createdAt: string;
  /** Changes with the password: sessions signed in before it end. */
  updatedAt: string;
}

/** Who may sign in to the staff listener. Each change is audit-logged (name only). */
export interface StaffStore {
  /** Adds an account; false (nothing changed) when the name is taken. */
  addStaff(name: string, passwordHash: string, at: Date): Promise<boolean>;
  staffAccount(name: string): Promise<StaffAccount | undefined>;
  /** Every account, by name. */
  staffAccounts(): Promise<StaffAccount[]>;
  /** A new password hash; false when there is no such account. */
  setStaffPassword(name: string, passwordHash: string, at: Date): Promise<boolean>;
  /** False when there is no such account. */
  removeStaff(name: string, at: Date): Promise<boolean>;
}

/** One backend holding all of it. */
export interface Store extends DeliveryQueue, ApprovalStore, SubscriberStore, DispatcherLock, MetaStore, AuditLog, StaffStore {
  /** Where it lives, for messages (a file path, a database URL without its password). */
  readonly location: string;
  close(): Promise<void>;
}

/** The approval-hold reason, parsed back by approve. */
export const AWAITING_APPROVAL = 'awaiting approval of ';
