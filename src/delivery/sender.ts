/**
 * Sending: the only code that calls `channel.publish`. A delivery is committed
 * as `sending` before the call and as `sent` (with the receipt) after it; a
 * failure goes through the retry policy. Per-recipient channels (e-mail) do
 * both in groups (sendBatched: several claimed `sending` in one transaction,
 * the sent ones recorded together within 20 ms). After a crash, `reconcileSending`
 * asks each channel whether an attempt left in `sending` went out before
 * anything is resent.
 */
import type { Logger } from 'pino';
import type { ChannelName, PublishContext, Receipt, Recipient } from '../channels/channel.js';
import { ChannelError } from '../errors.js';
import { AWAITING_APPROVAL, FINAL_STATES, LockLostError, type Approval, type ApprovalStore, type Delivery, type DeliveryQueue, type DeliveryScope, type DispatcherLock, type Subscriber, type SubscriberStore } from './store/index.js';
import { shortHash } from './approval.js';
import { decide, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import type { Failpoints } from './failpoint.js';
import type { DispatchChannel } from './materialize.js';
import { accountMismatch } from './frozen-account.js';

export interface SendDeps {
  store: DeliveryQueue & ApprovalStore & SubscriberStore & DispatcherLock;
  channels: ReadonlyMap<ChannelName, DispatchChannel>;
  log: Logger;
  now: () => Date;
  random: () => number;
  policy?: RetryPolicy;
  root: string;
  varDir: string;
  failpoints: Failpoints;
  /** True once shutdown began: take no new work. */
  stopping?: () => boolean;
  /** Aborted when shutdown begins: a publish that waits (WeChat's job) stops waiting and resumes at the next start. */
  signal?: AbortSignal;
  /**
   * Queue workers (many processes, none holding the dispatcher lock): each delivery's claim is its own
   * fence. `hold` keeps a claim fresh while it is in hand, so it is not judged abandoned (returns its
   * release); `check`, the last look before the channel is called, throws LockLostError when the claim is
   * no longer this attempt (it was judged abandoned and taken over).
   */
  claims?: { hold(key: string, attempt: number): () => void; check(key: string, attempt: number): Promise<void> };
}

/** Errors of this machine's own resources: no channel can help, a person must (free space, remount, fix permissions). */
const MACHINE_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE']);

function isMachineFault(err: unknown): boolean {
  return !(err instanceof ChannelError) && MACHINE_FAULTS.has((err as NodeJS.ErrnoException)?.code ?? '');
}

/** Keys being published by this process right now (never reconciled under our feet). */
export class InFlight {
  readonly keys = new Set<string>();
}

/**
 * The recipient as frozen in the row when the delivery was created (so a resend
 * is byte-identical), or null when the subscriber has unsubscribed since.
 * `known`: the subscribers a batch read together (subscribersById), instead of one read each.
 */
async function recipientOf(store: SubscriberStore, d: Delivery, known?: ReadonlyMap<string, Subscriber>): Promise<Recipient | undefined | null> {
  if (!d.recipient) return undefined;
  const s = known ? known.get(d.recipient) : await store.subscriber(d.recipient);
  if (!s || s.status !== 'active') return null;
  const f = d.recipientData;
  return f
    ? { id: d.recipient, address: f.address, name: f.name ?? undefined, unsubscribeToken: f.unsubscribeToken }
    : { id: s.id, address: s.address, name: s.name ?? undefined, unsubscribeToken: s.unsubscribeToken };
}

function context(deps: SendDeps, d: Delivery, attempt: number, recipient: Recipient | undefined, log: Logger): PublishContext {
  return {
    deliveryKey: d.key, attempt, recipient, log, now: deps.now, root: deps.root, varDir: deps.varDir, dueUtc: d.dueUtc,
    previous: d.checkpoint,
    signal: deps.signal,
    checkpoint: async (details) => {
      await deps.store.checkpoint(d.key, attempt, details, deps.now());
      deps.failpoints.hit('after-checkpoint');
    },
  };
}

/** Live channels send only the latest approved content of a campaign; anything else waits for `approve`. */
export function staleReason(latest: Approval | undefined, d: Delivery): string | null {
  if (latest?.contentHash === d.contentHash) return null;
  const now = latest ? `content ${shortHash(latest.contentHash)} was approved since` : 'it has no approval';
  return `${AWAITING_APPROVAL}${shortHash(d.contentHash)}: this delivery was rendered from that content, but ${now}. Run advisory approve ${d.campaign} --by NAME to re-render it from the current content.`;
}

const logFields = (d: Delivery) => ({ campaign: d.campaign, advisory: d.payload?.label, channel: d.channel, occurrence: `${d.campaign}/${d.schedule}/${d.dueUtc}`, key: d.key });

/** What one send asks of the rest of its batch: to pause the channel until then when its server is down (see ChannelError.pauseChannel). */
type SendOutcome = Date | undefined;

/** Records a delivery the channel accepted: at once (its own commit), or queued for the next group commit. */
type RecordSent = (d: Delivery, attempt: number, receipt: Receipt, log: Logger) => Promise<void>;

/** One delivery at a time: committed `sending`, sent, committed `sent` (the channels sent once, not per recipient). */
async function sendOne(deps: SendDeps, listed: Delivery): Promise<SendOutcome> {
  const { store } = deps;
  const channel = deps.channels.get(listed.channel)!;
  const marked = await store.markSending(listed.key, deps.now());
  if (!marked) return;
  const release = deps.claims?.hold(listed.key, marked.attempt);
  try {
    // Read again now that it is `sending`: a newer approval may have re-rendered it since it was listed.
    // (It exists: markSending just updated it. Its `tries` already counts this attempt.)
    const d = (await store.get(listed.key))!;
    deps.failpoints.hit('after-sending');
    const stale = accountMismatch(d.payload, channel.config) ?? (channel.approval ? staleReason(await store.latestApproval(d.campaign), d) : null);
    return await sendClaimed(deps, d, marked.attempt, stale, async (sent, attempt, receipt, log) => {
      await store.markSent(sent.key, attempt, receipt, deps.now());
      log.info({ attempt, receipt: receipt.id }, 'sent');
    });
  } finally {
    release?.();
  }
}

/**
 * Sends one delivery already committed `sending` in `attempt` (`d` as it was read then), unless `stale`
 * (the reason it waits for approval) or its recipient unsubscribed; records any failure at once, and a
 * success through `recordSent`. `subscribers`: its recipient as a batch read it (see recipientOf).
 */
export async function sendClaimed(deps: SendDeps, d: Delivery, attempt: number, stale: string | null, recordSent: RecordSent, subscribers?: ReadonlyMap<string, Subscriber>): Promise<SendOutcome> {
  const { store } = deps;
  const channel = deps.channels.get(d.channel)!;
  const log = deps.log.child(logFields(d));
  if (stale) {
    await store.markFinal(d.key, attempt, 'held', stale, null, deps.now());
    log.warn({ attempt }, stale);
    return;
  }
  const recipient = await recipientOf(store, d, subscribers);
  if (recipient === null || d.payload === null) {
    const reason = d.payload === null ? 'no payload was frozen for this delivery' : 'the recipient unsubscribed before it was sent';
    await store.markFinal(d.key, attempt, d.payload === null ? 'failed' : 'missed', reason, null, deps.now());
    log.info({ attempt }, reason);
    return;
  }
  let receipt;
  // The last look before the side effect: a dispatcher that lost the lock (frozen, then taken over) must not send.
  await store.checkFence();
  await deps.claims?.check(d.key, attempt);
  try {
    receipt = await channel.publish(d.payload, context(deps, d, attempt, recipient, log));
  } catch (err) {
    // Taken over mid-publish (a checkpoint found the attempt gone): stop, as a failing store write would.
    if (err instanceof LockLostError) throw err;
    if (isMachineFault(err)) {
      // The machine, not the channel (a full or read-only disk): nothing to retry or fail. It goes back to
      // pending and the run stops with the fault; once it is fixed, the same command or the daemon sends it.
      await store.markUnsent(d.key, deps.now(), `not sent: ${(err as Error).message}`);
      throw err;
    }
    const decision = decide(err, d.tries, deps.random(), deps.policy ?? DEFAULT_RETRY_POLICY);
    const error = { failure: decision.failure, message: decision.message, channelCode: decision.channelCode };
    const ce = err instanceof ChannelError ? err : null;
    if (ce?.bounce && d.recipient) {
      const counted = await store.recordBounce(d.recipient, deps.now(), { code: ce.channelCode, message: ce.message, key: d.key });
      log.warn({ subscriber: d.recipient, bounces: counted?.bounces, status: counted?.status }, 'hard bounce counted');
    }
    // The channel's server is down: the others wait with this one instead of each spending an attempt on it.
    const pauseUntil = ce?.pauseChannel && ce.retryAfterMs ? new Date(deps.now().getTime() + ce.retryAfterMs) : null;
    if (pauseUntil) {
      const moved = await store.postpone(d.channel, pauseUntil, deps.now());
      log.warn({ until: pauseUntil.toISOString(), postponed: moved }, `${d.channel} paused until ${pauseUntil.toISOString()}: ${ce!.message}`);
    }
    if (decision.action === 'retry') {
      const nextAt = new Date(Math.max(deps.now().getTime() + decision.delayMs, pauseUntil?.getTime() ?? 0));
      await store.markRetry(d.key, attempt, nextAt, error, deps.now());
      log.warn({ attempt, failure: decision.failure, channelCode: decision.channelCode, retryAt: nextAt.toISOString() }, `attempt ${attempt} failed, retrying: ${decision.message}`);
    } else {
      const state = decision.action === 'hold' ? 'held' : 'failed';
      await store.markFinal(d.key, attempt, state, decision.message, error, deps.now());
      log.error({ attempt, failure: decision.failure, channelCode: decision.channelCode }, `${state}: ${decision.message}`);
    }
    return pauseUntil ?? undefined;
  }
  deps.failpoints.hit('after-publish');
  await recordSent(d, attempt, receipt, log);
}

/**
 * Batched commits for per-recipient channels (e-mail), with `max_connections` = c:
 * deliveries are claimed `sending` CLAIM_PER_CONNECTION × c at a time in one
 * transaction (committed before any of them is sent; no re-read after it, the
 * approval read once a claim), and the accepted ones recorded `sent`
 * SENT_PER_COMMIT at a time, or FLUSH_MS after the first, whichever comes
 * first, and always before the next claim and before the run returns.
 *
 * SENT_PER_COMMIT is 1 (each `sent` its own commit, as before): with c, the
 * split-brain drill (test/delivery/frozen.test.ts, "another host") finds 4
 * e-mails logged twice in the sandbox outbox: publishes the frozen process had
 * begun before it froze (past its fence check) and finished after the other
 * took over and resent them. That window exists with 1 too; grouping changes
 * where the other runners are when the failpoint freezes the process. Until
 * that is decided, the group commit of `sent` is off. With 1, a crash leaves at most
 * 3c − 1 deliveries in `sending` (a claim of 2c and the other runners' last,
 * c − 1), all resent and marked resentAfterCrash; at most c of them (those in
 * flight) can have reached the server: the duplicates.
 */
export const GROUP_COMMIT = { CLAIM_PER_CONNECTION: 2, SENT_PER_COMMIT: 1, FLUSH_MS: 20 } as const;

async function sendBatched(deps: SendDeps, inFlight: InFlight, channel: DispatchChannel, list: Delivery[], stop: () => boolean): Promise<SendOutcome> {
  const { store } = deps;
  const c = channel.concurrency;
  const claimSize = GROUP_COMMIT.CLAIM_PER_CONNECTION * c;
  const flushAt = GROUP_COMMIT.SENT_PER_COMMIT;
  const queue: Array<{ d: Delivery; stale: string | null }> = [];
  let next = 0;
  let claiming: Promise<void> | null = null;
  let failed: { err: unknown } | null = null;
  let pauseUntil: Date | undefined;
  let unrecorded: Array<{ d: Delivery; attempt: number; receipt: Receipt; log: Logger }> = [];
  let timer: NodeJS.Timeout | null = null;

  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (unrecorded.length === 0) return;
    const batch = unrecorded;
    unrecorded = [];
    try {
      await store.markSentMany(batch.map((x) => ({ key: x.d.key, attempt: x.attempt, receipt: x.receipt })), deps.now());
    } finally {
      for (const x of batch) inFlight.keys.delete(x.d.key);
    }
    for (const x of batch) x.log.info({ attempt: x.attempt, receipt: x.receipt.id }, 'sent');
  };
  const recordSent: RecordSent = async (d, attempt, receipt, log) => {
    unrecorded.push({ d, attempt, receipt, log });
    if (unrecorded.length >= flushAt) return flush();
    timer ??= setTimeout(() => {
      timer = null;
      flush().catch((err) => (failed ??= { err }));
    }, GROUP_COMMIT.FLUSH_MS);
  };
  const claim = async () => {
    // The sent ones are recorded before more are claimed: what a crash can leave in `sending` stays bounded.
    await flush();
    const keys = list.slice(next, next + claimSize).map((d) => d.key);
    next += claimSize;
    const claimed = await store.markSendingMany(keys, deps.now());
    for (const d of claimed) inFlight.keys.add(d.key);
    // The approval is read once a claim (after it, as sendOne reads it after markSending), not once a message.
    const latest = new Map<string, Approval | undefined>();
    if (channel.approval) for (const campaign of new Set(claimed.map((d) => d.campaign))) latest.set(campaign, await store.latestApproval(campaign));
    for (const d of claimed) queue.push({ d, stale: accountMismatch(d.payload, channel.config) ?? (channel.approval ? staleReason(latest.get(d.campaign), d) : null) });
  };
  const take = async () => {
    for (;;) {
      if (failed || pauseUntil || stop()) return undefined;
      const item = queue.shift();
      if (item) return item;
      if (next >= list.length) return undefined;
      claiming ??= claim().finally(() => (claiming = null));
      await claiming;
    }
  };
  await Promise.all(Array.from({ length: c }, async () => {
    for (;;) {
      let item;
      try {
        item = await take();
      } catch (err) {
        failed ??= { err };
        return;
      }
      if (!item) return;
      const { d } = item;
      let queued = false;
      try {
        deps.failpoints.hit('after-sending');
        const until = await sendClaimed(deps, d, d.attempts, item.stale, (...a) => ((queued = true), recordSent(...a)));
        if (until) pauseUntil ??= until;
      } catch (err) {
        failed ??= { err };
        return;
      } finally {
        if (!queued) inFlight.keys.delete(d.key);
      }
    }
  }));
  // Every runner stopped: record what was sent; give back what was claimed and never sent (a stop, a pause, an error).
  let err = (failed as { err: unknown } | null)?.err;
  try {
    await flush();
  } catch (e) {
    err ??= e;
  }
  const back = queue.splice(0);
  try {
    await store.releaseSending(back.map((x) => ({ key: x.d.key, attempt: x.d.attempts })), deps.now(), pauseUntil);
  } catch (e) {
    // A lost lock: the claims stay `sending` for whoever holds it now (reconciled as after a crash).
    err ??= e;
  } finally {
    for (const x of back) inFlight.keys.delete(x.d.key);
  }
  if (err) throw err;
  return pauseUntil;
}

/**
 * Sends every due pending delivery (or only those of `scope`), each channel with its own
 * concurrency, until none is due. Returns how many attempts were made.
 */
export async function sendDue(deps: SendDeps, inFlight: InFlight, scope?: DeliveryScope): Promise<number> {
  let total = 0;
  for (;;) {
    if (deps.stopping?.()) return total;
    const batch = (await deps.store.due(deps.now(), 500, scope)).filter((d) => !inFlight.keys.has(d.key));
    if (batch.length === 0) return total;
    const byChannel = new Map<ChannelName, Delivery[]>();
    for (const d of batch) byChannel.set(d.channel, [...(byChannel.get(d.channel) ?? []), d]);
    let failure: { err: unknown } | null = null;
    const stop = () => failure !== null || deps.stopping?.() === true;
    // A paused channel takes no more of this batch (the store moved them past the pause).
    const paused = new Set<ChannelName>();
    const results = await Promise.allSettled([...byChannel].map(async ([name, list]) => {
      const channel = deps.channels.get(name)!;
      if (channel.perRecipient) {
        try {
          await sendBatched(deps, inFlight, channel, list, stop);
        } catch (err) {
          failure ??= { err };
          throw err;
        }
        return;
      }
      return pool(list, channel.concurrency, async (d) => {
        if (stop() || paused.has(name)) return;
        inFlight.keys.add(d.key);
        try {
          if (await sendOne(deps, d)) paused.add(name);
        } catch (err) {
          failure ??= { err };
          throw err;
        } finally {
          inFlight.keys.delete(d.key);
        }
      });
    }));
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected) throw (rejected as PromiseRejectedResult).reason;
    total += batch.length;
  }
}

/**
 * Runs `work` over `items`, `size` at a time. The first error stops every
 * runner from taking another item; it is rethrown once all of them stopped, so
 * nothing keeps sending in the background (a lost lock must stop all sends).
 */
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | null = null;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length && !failed) {
      try {
        await work(items[next++]);
      } catch (err) {
        failed ??= { err };
      }
    }
  });
  await Promise.all(runners);
  if (failed) throw (failed as { err: unknown }).err;
}

/**
 * Resolves deliveries left in `sending` by a crash: receipt → sent, null →
 * pending (safe to resend), needs-person → held. Others (the channel could not
 * tell yet) stay in `sending` and are asked again on the next wake.
 */
export async function reconcileSending(deps: SendDeps, inFlight: InFlight): Promise<{ sent: number; resend: number; held: number; unknown: number }> {
  const out = { sent: 0, resend: 0, held: 0, unknown: 0 };
  for (const d of await deps.store.list({ state: 'sending' })) {
    if (inFlight.keys.has(d.key)) continue;
    out[await reconcileOne(deps, d)]++;
  }
  return out;
}

/** One delivery left in `sending` by a crash (see reconcileSending). */
async function reconcileOne(deps: SendDeps, d: Delivery): Promise<'sent' | 'resend' | 'held' | 'unknown'> {
  const log = deps.log.child(logFields(d));
  const channel = deps.channels.get(d.channel)!;
  // Only the channel's answer is guarded here; a failing store write (a lost lock) stops the caller.
  let receipt: Receipt | null;
  try {
    if (d.payload === null) throw new ChannelError(d.channel, 'needs-person', 'no payload was frozen');
    receipt = await channel.reconcile(d.payload, { ...context(deps, d, d.attempts, (await recipientOf(deps.store, d)) ?? undefined, log) });
  } catch (err) {
    if (err instanceof ChannelError && (err.failure === 'needs-person' || err.failure === 'permanent')) {
      const reason = `after a crash nobody can tell whether attempt ${d.attempts} went out: ${err.message}. Check the channel, then \`advisory retry ${d.key}\` to resend or leave it.`;
      await deps.store.markFinal(d.key, d.attempts, 'held', reason, { failure: err.failure, message: err.message, channelCode: err.channelCode }, deps.now());
      log.error(reason);
      return 'held';
    }
    log.warn({ err }, 'could not reconcile yet; asking again later');
    return 'unknown';
  }
  if (receipt) {
    await deps.store.markSent(d.key, d.attempts, { ...receipt, details: { ...receipt.details, reconciled: true } }, deps.now());
    log.info({ attempt: d.attempts, receipt: receipt.id }, 'reconciled after a crash: it had gone out');
    return 'sent';
  }
  await deps.store.markUnsent(d.key, deps.now(), 'interrupted before the channel accepted it; resending');
  log.info({ attempt: d.attempts }, 'reconciled after a crash: it had not gone out; resending');
  return 'resend';
}

/** What a queue worker did with the delivery of a job (see sendKey); `not-in-ledger`: no delivery has the key. */
export type KeyOutcome = 'attempted' | 'final' | 'not-due' | 'busy' | 'unknown' | 'not-in-ledger';

/**
 * One delivery by its key, as a queue worker is handed it. The ledger decides, not the job:
 * - final (sent, failed, held, missed): nothing to do (a job the relay offered twice, or late); gone (not in
 *   this ledger: a ledger swapped under its queues): nothing to do either, told apart so the worker can say so;
 * - pending and due: claimed (markSending, one conditional update: of two workers exactly one gets it), sent,
 *   recorded, as sendDue does it one at a time; not due yet (a retry's backoff, a paused channel): left for the
 *   relay to offer again when it is;
 * - `sending`: claimed by a worker that is alive if its claim is younger than `staleMs` (kept fresh by
 *   `claims.hold`), so left alone; older, that worker died: reconciled with the channel as after a crash, and
 *   sent if it had not gone out.
 */
export async function sendKey(deps: SendDeps, key: string, staleMs: number): Promise<KeyOutcome> {
  let d = await deps.store.get(key);
  if (!d) return 'not-in-ledger';
  if (FINAL_STATES.includes(d.state)) return 'final';
  if (d.state === 'sending') {
    if (deps.now().getTime() - Date.parse(d.updatedAt) < staleMs) return 'busy';
    const r = await reconcileOne(deps, d);
    if (r !== 'resend') return r === 'unknown' ? 'unknown' : 'final';
    d = await deps.store.get(key);
    if (!d || d.state !== 'pending') return 'final';
  }
  if (d.state !== 'pending') return 'final';
  if (d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) > deps.now().getTime()) return 'not-due';
  await sendOne(deps, d);
  return 'attempted';
}
