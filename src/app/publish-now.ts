/**
 * `advisory publish --now`: one manual occurrence through the same ledger.
 *
 * 1. For each channel asked for, what an earlier manual publish of the same
 *    content (approval hash) left: unfinished (rows pending or sending) → it is
 *    resumed, not repeated; completed → skipped ("already published"), unless
 *    `--again`; none → published now.
 * 2. What is new is rendered first (nothing is recorded if a channel does not
 *    render), then recorded in ONE transaction: the occurrence (channels,
 *    content hash, who, when) and every delivery, the e-mail fan-out included.
 * 3. Sent by whoever may dispatch: this process, holding the lock, in the
 *    foreground (after reconciling what a crash left in `sending`), or, with a
 *    Redis queue, through the queue with workers of its own (publish-queued.ts);
 *    or a running daemon, which this process then waits for, taking over if it
 *    dies. Another `publish` holding the lock is waited for, then this one sends.
 *    A wait, and the sending in the foreground, ride out an outage of the
 *    ledger's server (ledger-outage.ts, ledger-outage-store.ts); what was sent
 *    but could not be recorded within the bound is recorded by the next run
 *    before anything is reconciled.
 */
import { hostname } from 'node:os';
import type { Campaign } from '../content/model.js';
import type { ChannelName } from '../channels/channel.js';
import type { Runtime } from './runtime.js';
import { nudgeDispatcher } from '../delivery/wake.js';
import { MANUAL_SCHEDULE, manualOccurrence } from '../delivery/manual.js';
import { logRecorded, occurrenceRecord, planChannel } from '../delivery/materialize.js';
import { InFlight, reconcileSending, sendDue } from '../delivery/sender.js';
import { DISPATCHER_LOCK, holderName } from '../delivery/lock-messages.js';
import { DELIVERY_STATES, type Delivery, type DeliveryQueue, type DeliveryState, type HeldLock, type LockHolder, type Store } from '../delivery/store/index.js';
import type { Occurrence } from '../schedule/types.js';
import type { Failpoints } from '../delivery/failpoint.js';
import { AdvisoryError, StateError } from '../errors.js';
import { approvalHash, shortHash } from '../delivery/approval.js';
import { earlierPublishes, planManualPublish, type EarlierPublish, type ManualPublishPlan } from '../delivery/manual-history.js';
import { channelDefinition } from '../channels/registry.js';
import { pace } from './pace.js';
import { sweepOrphans } from '../delivery/sweep.js';
import { assertLedgerCurrent } from '../delivery/ledger-check.js';
import { publishProgressMessages } from '../i18n/messages-publish.js';
import { assertSharedLedger, queueConfig } from '../delivery/queue/index.js';
import { storeConfig } from '../delivery/store/index.js';
import { DEFAULT_OUTAGE_MS, isLedgerOutage, outageRider } from './ledger-outage.js';
import { outageRidingStore } from './ledger-outage-store.js';
import { unrecordedSends } from './unrecorded-sends.js';
import { sendThroughQueue } from './publish-queued.js';
import { unservedWatch } from './unserved-watch.js';

export interface PublishNowOptions {
  /** The runtime (its store, channels, renderer, clock, logger, failpoints). */
  runtime: Runtime;
  campaign: Campaign;
  channels: ChannelName[];
  /** The longest wait for a next attempt this command sits through (default LONG_WAIT_MS); further off, it returns with them waiting. */
  maxWaitMs?: number;
  /** Real waiting between polls/retries (injectable so tests need not sleep). */
  sleep?: (ms: number) => Promise<void>;
  progress?: (line: string) => void;
  /** How far a per-recipient channel (e-mail) has got, about twice a second while it sends, and once at the end. */
  meter?: (m: SendMeter) => void;
  /** Publish again even on channels that already published this exact content by hand. */
  again?: boolean;
  /** Who asked (recorded with the occurrence). */
  requestedBy?: string;
  leaseMs?: number;
  /** How long a wait on the daemon or the queue workers, or the sending here, rides out the ledger's server being away (default 5 min). */
  outageMs?: number;
  /**
   * Through the queue with no daemon: how this command hears that it is told to stop (SIGTERM, Ctrl-C). Called once
   * with the stop; then it stops offering, its workers finish and record the jobs in hand, and it returns
   * `interrupted`. Not used when sending here (queue: local), which a signal ends as ever.
   */
  onInterrupt?: (stop: (signal: NodeJS.Signals) => void) => void;
}

export interface PublishOutcome {
  mode: 'foreground' | 'handed-to-daemon';
  /** The occurrences this run created or resumed. */
  occurrences: string[];
  counts: Record<DeliveryState, number>;
  failed: Delivery[];
  held: Delivery[];
  missed: Delivery[];
  /** Channels already completely published by hand with this content (skipped). */
  skipped: EarlierPublish[];
  /** Unfinished earlier publishes this run finished. */
  resumed: Array<EarlierPublish & { finished: number }>;
  /** E-mail was asked for, but nobody is subscribed: it was not published. */
  nobodySubscribed: boolean;
  /** `--again` was asked on channels whose earlier publish was unfinished: that one was finished instead. */
  againDeferred: ChannelName[];
  /** Pending deliveries whose next attempt is too far off to wait for here (a quota or rate limit): the daemon, or a re-run then, sends them. */
  waiting: Delivery[];
  /** The counts per channel (failed, held, missed list at most DETAIL_LIMIT rows per occurrence; these count them all). */
  perChannel: Partial<Record<ChannelName, Record<DeliveryState, number>>>;
  /** Told to stop (through the queue, no daemon) before its deliveries were final: the signal. */
  interrupted?: NodeJS.Signals;
}

/** A per-recipient channel's progress through one publish: for a progress bar with rate and time left. */
export interface SendMeter {
  channel: ChannelName;
  total: number;
  /** Final (sent, failed, held, missed). */
  done: number;
  sent: number;
  failed: number;
  /** Not sent because the recipient unsubscribed (or bounced) before their turn. */
  skipped: number;
  /** Deliveries finished per second since this run began, null until there is something to measure. */
  rate: number | null;
  /** Seconds left at that rate, null when unknown. */
  etaSeconds: number | null;
  final: boolean;
}

/** What `publish` without --now shows: what a run with --now would do now (nothing is written). */
export interface PublishPreview {
  plan: ManualPublishPlan;
  /** The per-recipient channels that would be left out (nobody subscribed). */
  nobodySubscribed: ChannelName[];
  /** The keys a new publish would create, per channel. */
  keys: Partial<Record<ChannelName, string>>;
}

export async function previewPublish(rt: Runtime, campaign: Campaign, channels: ChannelName[], again: boolean): Promise<PublishPreview> {
  const store = await rt.store();
  const hash = approvalHash(campaign.contentHash, rt.renderer.templatesHash);
  const plan = planManualPublish(await earlierPublishes(store, campaign.id), channels, hash, again);
  const active = (await store.subscriberCounts()).active;
  const nobodySubscribed = active > 0 ? [] : plan.fresh.filter((c) => channelDefinition(c).perRecipient);
  const fresh = plan.fresh.filter((c) => !nobodySubscribed.includes(c));
  return { plan, nobodySubscribed, keys: fresh.length ? manualOccurrence(campaign, fresh, rt.now()).keys : {} };
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const WAIT_MS = 250;
/** A next attempt further off than this is not waited for in the foreground (WeChat's daily quota, Weibo's hourly limit). */
export const LONG_WAIT_MS = 120_000;
const DETAIL_LIMIT = 50;

export async function publishNow(o: PublishNowOptions): Promise<PublishOutcome> {
  const rt = o.runtime;
  const { renderer, varDir } = rt;
  const store = await rt.store();
  const sleep = o.sleep ?? realSleep;
  let lock: HeldLock | null = null;
  try {
    const channels = rt.channels;
    // A Redis queue is how this ledger's sending is done (and its rate limits kept): it needs a shared ledger.
    const queue = await queueConfig({ root: rt.root, env: rt.env, varDir });
    assertSharedLedger(queue, await storeConfig({ root: rt.root, env: rt.env, varDir }), store.location);
    const hash = approvalHash(o.campaign.contentHash, renderer.templatesHash);
    // Nothing is decided, let alone sent, from a ledger older than what went out.
    await assertLedgerCurrent(varDir, store, store.location);
    // What an earlier run sent while the ledger did not answer, and could not record: recorded now, not resent.
    const unrecorded = unrecordedSends(varDir, store.location, rt.log);
    const late = await unrecorded.recordOn(store, rt.now());
    if (late.sent > 0) o.progress?.(publishProgressMessages().recordedLate(late.sent, unrecorded.file));
    // Deciding what to do and recording it are one step per campaign: two runs at once must not both publish.
    const intent = await waitForLock(store, `publish:${o.campaign.id}`, 'advisory publish', sleep, o.progress, (h) => publishProgressMessages().waitingForPublish(o.campaign.id, holderName(h)));
    let recorded: Recorded;
    try {
      recorded = await decideAndRecord(o, store, channels, hash);
    } finally {
      await store.releaseLock(intent);
    }
    const { occurrences, skipped, resume, nobodySubscribed, againDeferred } = recorded;
    if (occurrences.length === 0) return outcome(store, 'foreground', [], { skipped, resumed: [], nobodySubscribed, againDeferred });

    const scope = { occurrences };
    const meter = o.meter ? startMeter(store, occurrences, rt, o.meter) : null;
    try {
      return await dispatch();
    } finally {
      await meter?.stop();
    }

    async function dispatch(): Promise<PublishOutcome> {
      // Waiting reads ride out the ledger's server going away for a while (a restart), saying so once.
      const ride = outageRider({ maxMs: o.outageMs ?? DEFAULT_OUTAGE_MS, sleep, say: o.progress });
      // Each look asks only whether anything is still pending or sending (the first of each, found by the due
      // index), paced by what it costs; the counts (a pass over the publish's rows: 17 ms at 20,000 on
      // PostgreSQL) only for the watch of the queues, at most every COUNT_MS.
      const pacer = pace(WAIT_MS);
      let watching = true;
      let countedAt = 0;
      // Nothing in flight and the next attempt far off: not worth keeping a person (and the dispatcher lock) waiting.
      const farOff = async () => {
        const next = await store.nextAttemptAt(scope);
        return next !== null && next.getTime() - rt.now().getTime() > (o.maxWaitMs ?? LONG_WAIT_MS);
      };
      const parked = async (open: { pending: boolean; sending: boolean }) => !open.sending && open.pending && (await farOff());
      let mode: PublishOutcome['mode'] = 'foreground';
      let announced: number | null = null;
      let warnedFrozen = false;
      const watchQueues = unservedWatch(rt, store, queue, o.progress);
      for (;;) {
        let lost = false;
        const got = await ride(async () => {
          try {
            return await store.acquireLock(DISPATCHER_LOCK, 'advisory publish', o.leaseMs);
          } catch (err) {
            lost ||= isLedgerOutage(err);
            throw err;
          }
        });
        if ('held' in got) {
          lock = got.held;
          break;
        }
        const h = got.holder;
        if (lost && h.pid === process.pid && h.host === hostname() && h.purpose === 'advisory publish') {
          // Our own take whose answer the outage lost (it committed): given back and taken again, so that this
          // store's writes are fenced by the generation it holds.
          await ride(() => store.releaseLock({ name: DISPATCHER_LOCK, generation: h.generation, leaseMs: h.leaseMs }));
          continue;
        }
        if (announced !== h.pid) {
          announced = h.pid;
          // the deliveries are in the ledger: tell the daemon now rather than at its next poll
          if (h.purpose === 'advisory run') nudgeDispatcher(rt.varDir);
          o.progress?.(h.purpose === 'advisory run' ? publishProgressMessages().handedToDaemon(h.pid) : publishProgressMessages().waitingForDispatcher(holderName(h)));
        }
        if (h.state === 'unresponsive' && !warnedFrozen) {
          warnedFrozen = true;
          o.progress?.(publishProgressMessages().dispatcherFrozen(h.pid, Math.round(h.heartbeatAgeMs / 1000)));
        }
        if (h.purpose === 'advisory run') {
          mode = 'handed-to-daemon';
          const open = await ride(() => pacer.timed(() => store.openStates(scope)));
          if (watching && Date.now() - countedAt >= COUNT_MS) {
            countedAt = Date.now();
            const c = await ride(() => countsOf(store, occurrences));
            watching = await watchQueues(c.pending + c.sending);
          }
          if ((!open.pending && !open.sending) || (await ride(() => parked(open)))) {
            return ride(async () => outcome(store, mode, occurrences, { skipped, resumed: await finishedOf(store, resume), nobodySubscribed, againDeferred }));
          }
        }
        await sleep(pacer.next());
        if ((await ride(() => store.lockHolder(DISPATCHER_LOCK))) === null && mode === 'handed-to-daemon') {
          o.progress?.(publishProgressMessages().dispatcherStopped(h.pid));
          mode = 'foreground';
        }
      }

      const deps = { store, channels, renderer, log: rt.log, now: rt.now, random: rt.random, root: rt.root, varDir, failpoints: rt.failpoints };
      // What a killed process left half-written (temp files, unfinished site builds) goes before anything is resent.
      sweepOrphans(varDir, { now: new Date(), log: rt.log });
      if (queue.kind === 'redis') {
        // Through the queue, so the accounts' rate limits (kept in Redis) count these sends too.
        const interrupted = await sendThroughQueue({
          rt, store, lock, queue, scope, parked, ride, progress: o.progress, onInterrupt: o.onInterrupt,
        });
        const done = await ride(async () => outcome(store, mode, occurrences, { skipped, resumed: await finishedOf(store, resume), nobodySubscribed, againDeferred }));
        return interrupted ? { ...done, interrupted } : done;
      }
      // Sending here: every call to the ledger rides out its server going away (a claim made again only if it did
      // not commit; see ledger-outage-store.ts), said once each way, within the same bound.
      const sending = outageRider({ maxMs: o.outageMs ?? DEFAULT_OUTAGE_MS, sleep, say: o.progress, doing: 'sending' });
      const ledger = outageRidingStore(store, sending, unrecorded);
      const local = { ...deps, store: ledger };
      // Whether anything is still pending or sending (not a count: a pass over 200,000 rows on each round).
      const states = () => ledger.openStates(scope);
      const isOpen = (s: { pending: boolean; sending: boolean }) => s.pending || s.sending;
      const inFlight = new InFlight();
      try {
        // Again, now that this process dispatches: a daemon it waited for may have stopped with sends unrecorded.
        const kept = await sending(() => unrecorded.recordOn(store, rt.now()));
        if (kept.sent > 0) o.progress?.(publishProgressMessages().recordedLate(kept.sent, unrecorded.file));
        await reconcileSending(local, inFlight);
        for (let s = await states(); isOpen(s);) {
          if (!(await ledger.heartbeat(lock))) await ledger.checkFence();
          await sendDue(local, inFlight, scope);
          s = await states();
          if (!isOpen(s)) break;
          const next = await ledger.nextAttemptAt(scope);
          const wait = next ? Math.max(0, next.getTime() - rt.now().getTime()) : WAIT_MS;
          if (await sending(() => parked(s))) break;
          if (wait > 0) o.progress?.(publishProgressMessages().waitingNextAttempt(Math.ceil(wait / 1000)));
          // Short naps: the lock's heartbeat must stay fresh while we wait for a retry.
          await sleep(Math.min(wait, 5_000));
        }
      } catch (err) {
        // Past the bound: the claims it could not give back are kept for the next run, with the unrecorded sends.
        if (isLedgerOutage(err)) ledger.abandon();
        throw err;
      }
      return outcome(ledger, mode, occurrences, { skipped, resumed: await finishedOf(ledger, resume), nobodySubscribed, againDeferred });
    }
  } finally {
    if (lock) await store.releaseLock(lock);
  }
}

const METER_MS = 500;
/** How often a publish handed to the daemon counts its deliveries, to tell whether they move at all (unserved-watch.ts). */
const COUNT_MS = 1_000;

/** Samples the ledger for the per-recipient channels' progress while the publish runs (in this process or a daemon). */
function startMeter(store: Store, occurrences: string[], rt: Runtime, report: (m: SendMeter) => void): { stop(): Promise<void> } {
  const perRecipient = new Set([...rt.channels.values()].filter((c) => c.perRecipient).map((c) => c.name));
  const started = Date.now();
  let base: Map<ChannelName, number> | null = null;
  let busy: Promise<void> = Promise.resolve();
  const sample = async (final: boolean) => {
    const by = new Map<ChannelName, Record<DeliveryState, number>>();
    for (const occ of occurrences) {
      for (const r of await store.progress(occ)) {
        if (!perRecipient.has(r.channel)) continue;
        const c = by.get(r.channel) ?? (Object.fromEntries(DELIVERY_STATES.map((x) => [x, 0])) as Record<DeliveryState, number>);
        c[r.state] += r.n;
        by.set(r.channel, c);
      }
    }
    const doneOf = (c: Record<DeliveryState, number>) => c.sent + c.failed + c.held + c.missed;
    base ??= new Map([...by].map(([ch, c]) => [ch, doneOf(c)]));
    const seconds = (Date.now() - started) / 1000;
    for (const [channel, c] of by) {
      const total = DELIVERY_STATES.reduce((a, x) => a + c[x], 0);
      const done = doneOf(c);
      const gained = done - (base.get(channel) ?? 0);
      const rate = seconds >= 1 && gained > 0 ? gained / seconds : null;
      report({ channel, total, done, sent: c.sent, failed: c.failed, skipped: c.missed, rate, etaSeconds: rate ? Math.ceil((total - done) / rate) : null, final });
    }
  };
  // A sample costs the ledger a pass over the publish's rows (about 0.1 s at 200,000 on PostgreSQL): paced so
  // that the meter takes at most a twentieth of the ledger's time, however large the publish.
  const pacer = pace(METER_MS, { factor: 20, maxMs: 5_000 });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = () => {
    timer = setTimeout(() => {
      busy = busy.then(() => pacer.timed(() => sample(false))).catch(() => undefined).finally(() => stopped || tick());
    }, pacer.next());
    timer.unref();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await busy;
      await sample(true).catch(() => undefined);
    },
  };
}

interface Recorded {
  occurrences: string[];
  skipped: EarlierPublish[];
  resume: EarlierPublish[];
  nobodySubscribed: boolean;
  againDeferred: ChannelName[];
}

/** Under the campaign's publish lock: what earlier publishes left, what this run does, and the new occurrence recorded. */
async function decideAndRecord(o: PublishNowOptions, store: Store, channels: Runtime['channels'], hash: string): Promise<Recorded> {
  const rt = o.runtime;
  const plan = planManualPublish(await earlierPublishes(store, o.campaign.id), o.channels, hash, o.again === true);
  const { resume, skipped, againDeferred } = plan;
  const fresh = [...plan.fresh];
  const m = publishProgressMessages();
  for (const s of skipped) o.progress?.(m.skippedByHand(s.channel, s.occurrence, s.summary));
  if (againDeferred.length > 0) o.progress?.(m.againDeferred(againDeferred.join(', ')));
  for (const r of resume.filter((x) => x.unfinished)) o.progress?.(m.resuming(r.channel, r.occurrence, r.counts.pending + r.counts.sending, r.counts.sent));
  await takeCurrentContent(o, store, channels, hash, plan.changed);

  // A channel sent once per subscriber, with nobody subscribed: said plainly, not published as "0 sent".
  const perRecipient = fresh.filter((c) => channels.get(c)!.perRecipient);
  const nobodySubscribed = perRecipient.length > 0 && (await store.subscriberCounts()).active === 0;
  if (nobodySubscribed) {
    for (const c of perRecipient) {
      o.progress?.(m.nobodySubscribed(c));
      fresh.splice(fresh.indexOf(c), 1);
    }
  }

  const occurrences = [...new Set(resume.map((r) => r.occurrence))];
  if (fresh.length > 0) {
    const at = rt.now();
    let occ = manualOccurrence(o.campaign, fresh, at);
    // `--again`, or another channel's publish, within the same second: numbered, and still due now.
    for (let n = 2; await store.occurrence(occ.key); n++) occ = manualOccurrence(o.campaign, fresh, at, n);
    const deps = { store, channels, renderer: rt.renderer, log: rt.log, failpoints: rt.failpoints };
    const plans = await Promise.all(fresh.map((name) => planChannel(occ, o.campaign, name, deps, at)));
    const broken = plans.filter((p) => p.error);
    if (broken.length > 0) {
      throw new AdvisoryError('ERENDER', m.renderFailed(broken.map((p) => `${p.channel}: ${p.error}`).join('; ')));
    }
    const r = await store.recordOccurrence(occurrenceRecord(occ, hash, 'manual', o.requestedBy ?? null, at), plans, at, (step) => rt.failpoints.hit(`record-${step}`));
    if (!r.recorded) throw new StateError('ERECORD', m.recordedByOther(occ.key));
    rt.failpoints.hit('after-create');
    logRecorded(rt.log, occ, plans, r.created);
    occurrences.push(occ.key);
    o.progress?.(m.created(r.created, occ.key));
  }
  return { occurrences, skipped, resume, nobodySubscribed, againDeferred };
}

/**
 * The content was edited between an interrupted publish and this run: what the
 * earlier publish has not sent yet takes the current content (same keys, so
 * each subscriber still gets one message, and nothing that went out is sent
 * again). A live channel then sends it only once that content is approved.
 */
async function takeCurrentContent(o: PublishNowOptions, store: Store, channels: Runtime['channels'], hash: string, changed: EarlierPublish[]): Promise<void> {
  const rt = o.runtime;
  for (const prior of changed) {
    const record = await store.occurrence(prior.occurrence);
    if (!record) continue;
    const occ = record.detail as unknown as Occurrence;
    const plan = await planChannel(occ, o.campaign, prior.channel, { store, channels, renderer: rt.renderer, log: rt.log, failpoints: rt.failpoints }, rt.now());
    if (plan.error) {
      throw new AdvisoryError('ERENDER', publishProgressMessages().changedDoesNotRender(prior.occurrence, prior.channel, plan.error));
    }
    let n = 0;
    for (const part of [...(plan.deliveries ?? []), ...(plan.fanOut ?? [])]) {
      if (part.payload) n += await store.replaceUnsent(prior.occurrence, part.key, part.payload, hash, rt.now());
    }
    if (n > 0) {
      o.progress?.(publishProgressMessages().tookCurrentContent(prior.channel, prior.occurrence, n, shortHash(hash)));
    }
  }
}

/** Waits until this process holds `name` (a lock only serialising a short step: no fence), saying once whom it waits for. */
async function waitForLock(
  store: Store, name: string, purpose: string, sleep: (ms: number) => Promise<void>,
  progress: ((line: string) => void) | undefined, waitingFor: (h: LockHolder) => string,
): Promise<HeldLock> {
  let said = false;
  for (;;) {
    const got = await store.acquireLock(name, purpose, undefined, { fence: false });
    if ('held' in got) return got.held;
    if (!said) (said = true, progress?.(waitingFor(got.holder)));
    await sleep(100);
  }
}

async function countsOf(store: DeliveryQueue, occurrences: string[]): Promise<Record<DeliveryState, number>> {
  const out = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
  for (const occ of occurrences) for (const r of await store.progress(occ)) out[r.state] += r.n;
  return out;
}

/** The resumed publishes with how many of their unfinished deliveries are now final. */
async function finishedOf(store: DeliveryQueue, resume: EarlierPublish[]): Promise<PublishOutcome['resumed']> {
  return Promise.all(resume.map(async (r) => {
    const now = (await store.progress(r.occurrence)).filter((x) => x.channel === r.channel);
    const open = now.filter((x) => x.state === 'pending' || x.state === 'sending').reduce((a, x) => a + x.n, 0);
    return { ...r, finished: r.counts.pending + r.counts.sending - open };
  }));
}

async function outcome(
  store: DeliveryQueue, mode: PublishOutcome['mode'], occurrences: string[],
  rest: Pick<PublishOutcome, 'skipped' | 'resumed' | 'nobodySubscribed' | 'againDeferred'>,
): Promise<PublishOutcome> {
  const of = async (state: DeliveryState) => (await Promise.all(occurrences.map((occurrence) => store.list({ occurrence, state, limit: DETAIL_LIMIT })))).flat();
  const perChannel: PublishOutcome['perChannel'] = {};
  for (const occ of occurrences) {
    for (const r of await store.progress(occ)) {
      const c = (perChannel[r.channel] ??= Object.fromEntries(DELIVERY_STATES.map((x) => [x, 0])) as Record<DeliveryState, number>);
      c[r.state] += r.n;
    }
  }
  return {
    mode, occurrences, counts: await countsOf(store, occurrences), failed: await of('failed'), held: await of('held'), missed: await of('missed'),
    waiting: await of('pending'), perChannel, ...rest,
  };
}

export { MANUAL_SCHEDULE };
