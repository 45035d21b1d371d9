/**
 * `advisory publish --now` with a Redis queue (`queue: redis://…`) and no
 * daemon running: the publish holds the dispatcher lock, as a foreground
 * publish does, but does not send in its own process outside the queue, where
 * the account's rate limit kept in Redis would not count its sends. Instead it
 * stands in for the daemon's part, for its own deliveries only:
 *
 * - its relay (delivery/queue/relay.ts, scoped to this publish's occurrences)
 *   offers each pending, due delivery to the queue of its channel account, and
 *   each claim older than the workers' lease (a worker that died) again;
 * - workers in this process (app/workers.ts, the channels of this publish)
 *   take jobs from those queues as any `advisory worker` does, under the same
 *   limiter in Redis, claiming each delivery in the ledger (of any number of
 *   workers handed a key, one sends it);
 *
 * until every delivery of the publish is final (or waits for a next attempt
 * too far off to sit through), then its workers drain (the jobs in hand finish
 * and are recorded) and it returns. Workers elsewhere take their share of the
 * jobs meanwhile. A crash is as a worker's: what this process had in hand
 * stays `sending` until the lease runs out, then the next relay (this command
 * run again, or the daemon) offers it again and the worker that takes it
 * reconciles it with the channel before any resend.
 */
import type { ChannelName } from '../channels/channel.js';
import { createRelay, openQueue, workerLeaseFromEnv, type QueueConfig } from '../delivery/queue/index.js';
import type { DeliveryScope, HeldLock, Store } from '../delivery/store/index.js';
import { StateError } from '../errors.js';
import { publishProgressMessages } from '../i18n/messages-publish.js';
import { isLedgerOutage, type OutageRider } from './ledger-outage.js';
import { pace } from './pace.js';
import type { Runtime } from './runtime.js';
import { startQueueWorkers, type QueueWorkers } from './workers.js';

export interface QueuedSendOptions {
  rt: Runtime;
  store: Store;
  /** The dispatcher lock this publish holds (kept fresh here). */
  lock: HeldLock;
  queue: Extract<QueueConfig, { kind: 'redis' }>;
  scope: DeliveryScope;
  /** Nothing in flight (`open`, as just read) and the next attempt too far off to wait for here. */
  parked(open: { pending: boolean; sending: boolean }): Promise<boolean>;
  /** Ledger reads that ride out an outage of its server (ledger-outage.ts). */
  ride: OutageRider;
  progress?: (line: string) => void;
  /** How it hears that it is told to stop (publish-now.ts: PublishNowOptions.onInterrupt). */
  onInterrupt?: (stop: (signal: NodeJS.Signals) => void) => void;
}

/** How often the publish looks at its deliveries while its workers are busy (it looks at once when they go idle). */
const WAIT_MS = 250;
/** Idle this long, the workers here have no next job to take. */
const IDLE_MS = 20;
/** A relay pass without an answer from Redis this long: the queue is said not to answer. */
const QUEUE_SILENT_MS = 3_000;
/** How often "waiting N s for the next attempt" is said while nothing is due. */
const SAY_WAIT_MS = 5_000;
/** The due deliveries read whole before the first offer: the sender's batch when it sends in its own process. */
const FIRST_BATCH = 500;

/**
 * Returns the signal it was told to stop by before its deliveries were final (its workers drained first), or
 * undefined. A row of the ledger that cannot be read, met by a worker here, ends it as it ends a publish sending
 * in its own process: thrown (after the drain), one line, exit 3, rather than its job failing each time it is offered.
 */
export async function sendThroughQueue(o: QueuedSendOptions): Promise<NodeJS.Signals | undefined> {
  const { rt, store, lock, scope, ride } = o;
  const m = publishProgressMessages();
  const leaseMs = workerLeaseFromEnv(rt.env);
  const queue = (await openQueue(o.queue, rt.log, o.progress))!;
  const shutdown = new AbortController();
  let workers: QueueWorkers | null = null;
  let interrupted: NodeJS.Signals | undefined;
  let fault: unknown;
  const nap = napper();
  o.onInterrupt?.((signal) => {
    interrupted ??= signal;
    nap.wake();
  });
  try {
    await queue.ready(10_000).catch((err) => {
      throw new StateError('EQUEUE', m.queueUnreachable(queue.location, (err as Error).message), { cause: err });
    });
    const channels = await ride(() => channelsOf(store, scope));
    // The first batch read whole, as the sender here reads it (delivery/sender.ts): a row among them that cannot be
    // read stops the publish before anything is offered, as it stops one sending in its own process. One further on
    // is met by the worker that takes its job (onFault below).
    await ride(() => store.due(rt.now(), FIRST_BATCH, scope));
    // The workers here going idle may be the publish done: looked at then, not at the next poll. Mid-publish they
    // take the next jobs within a few ms of a batch's end, so only an idleness that lasts IDLE_MS wakes the loop.
    const onIdle = () => setTimeout(() => workers?.inHand() === 0 && nap.wake(), IDLE_MS);
    const onFault = (err: unknown) => {
      fault ??= err;
      nap.wake();
    };
    workers = await startQueueWorkers(rt, queue, { channels, leaseMs, signal: shutdown.signal, onIdle, onFault });
    o.progress?.(m.throughQueue(queue.location, workers.queues.join(', ')));
    // Claims left by a killed run (or held by a worker elsewhere) are not judged abandoned before the lease runs out.
    const claimed = await ride(() => claimedRecently(store, scope, rt.now().getTime(), leaseMs));
    if (claimed > 0) o.progress?.(m.claimsWithinLease(claimed, Math.round(leaseMs / 1000)));
    const relay = createRelay({ store, queue, ledger: workers.ledger, channels: rt.channels, now: rt.now, leaseMs, scope });
    // Each look asks only whether anything is still pending or sending, paced by what that costs.
    const pacer = pace(WAIT_MS);
    let queueAway = false;
    let saidWait = 0;
    // A pass runs beside the loop: with Redis away its commands wait for the reconnect, and the loop must go on
    // keeping the lock fresh and watching the ledger meanwhile.
    let relaying: { since: number; pass: Promise<void> } | null = null;
    const away = (why: string) => {
      if (!queueAway) o.progress?.(m.queueAway(queue.location, why));
      queueAway = true;
    };
    const relayPass = () => {
      if (relaying) {
        if (Date.now() - relaying.since >= QUEUE_SILENT_MS) away(m.noAnswerFor(Math.round(QUEUE_SILENT_MS / 1000)));
        return;
      }
      const pass = relay().then(
        (offered) => {
          // Only a pass that reached Redis (it offered something) shows it answers again.
          if (queueAway && offered > 0) {
            queueAway = false;
            o.progress?.(m.queueBack(queue.location));
          }
        },
        (err) => {
          // The ledger away: the reads of the loop ride it out and say so. Redis away: its clients reconnect by themselves.
          if (!isLedgerOutage(err)) away((err as Error).message);
        },
      ).finally(() => (relaying = null));
      relaying = { since: Date.now(), pass };
    };
    for (;;) {
      if (fault) throw fault;
      if (interrupted) break;
      await ride(async () => {
        if (!(await store.heartbeat(lock))) await store.checkFence();
      });
      relayPass();
      const open = await ride(() => pacer.timed(() => store.openStates(scope)));
      if (!open.pending && !open.sending) break;
      if (await ride(() => o.parked(open))) break;
      if (!open.sending && Date.now() - saidWait >= SAY_WAIT_MS) {
        const next = await ride(() => store.nextAttemptAt(scope));
        const wait = next ? next.getTime() - rt.now().getTime() : 0;
        if (wait >= 1000) {
          saidWait = Date.now();
          o.progress?.(m.waitingNextAttempt(Math.ceil(wait / 1000)));
        }
      }
      await nap.sleep(pacer.next());
    }
  } finally {
    // Drains: the jobs in hand (this publish's last ones, or another's taken from the shared queue) finish and are recorded.
    shutdown.abort();
    await workers?.stop();
    await queue.close();
  }
  // A job in hand at the stop may have met the damaged row too.
  if (fault) throw fault;
  return interrupted;
}

/** A sleep that a wake ends early; a wake while awake ends the next sleep at once. Leaves no timer behind. */
function napper(): { sleep(ms: number): Promise<void>; wake(): void } {
  let woken = false;
  let end: (() => void) | null = null;
  return {
    async sleep(ms) {
      if (!woken) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          end = resolve;
          timer = setTimeout(resolve, ms);
        });
        clearTimeout(timer);
        end = null;
      }
      woken = false;
    },
    wake() {
      woken = true;
      end?.();
    },
  };
}

/** Deliveries of the publish in `sending` whose claim is younger than the lease (a worker may still hold it). */
async function claimedRecently(store: Store, scope: DeliveryScope, now: number, leaseMs: number): Promise<number> {
  let n = 0;
  for (const occurrence of scope.occurrences) {
    n += (await store.list({ state: 'sending', occurrence })).filter((d) => now - Date.parse(d.updatedAt) < leaseMs).length;
  }
  return n;
}

/** The channels with deliveries of the publish still to send (their queues are the ones worked here). */
async function channelsOf(store: Store, scope: DeliveryScope): Promise<ChannelName[]> {
  const names = new Set<ChannelName>();
  for (const occ of scope.occurrences) {
    for (const r of await store.progress(occ)) if ((r.state === 'pending' || r.state === 'sending') && r.n > 0) names.add(r.channel);
  }
  return [...names];
}
