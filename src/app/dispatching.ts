/**
 * The dispatcher of a runtime, run as the daemon runs it: the fenced lock
 * (with its heartbeat), what a killed process left swept, the wake loop, the
 * minute tick that asks for a plan, the daily site refresh, and the cached
 * status report. `begin()` starts the clockwork (after the caller, e.g. the
 * HTTP server, is ready); `stop()` takes no more work, lets in-flight sends
 * finish and releases the lock. If the lock is lost (this process was frozen
 * past its lease and another host took over), dispatching stops at once and
 * `lost` resolves with the reason.
 *
 * With a Redis queue (`queue: redis://…`) the dispatcher plans and relays
 * (hands what is due to the queue) instead of sending, and `workers` queue
 * workers run in this process besides any `advisory worker` elsewhere.
 */
import { DEFAULT_TIMEZONE } from '../content/schema.js';
import { Dispatcher } from '../delivery/dispatcher.js';
import { buildStatus, withQueuesOf, type StatusReport } from '../delivery/status.js';
import { cronTicker, type Ticker } from '../delivery/clock.js';
import { SITE_REFRESH_CRON, startSiteRefresh } from '../delivery/site-refresh.js';
import { startWakeLoop } from '../delivery/loop.js';
import { watchNudges } from '../delivery/wake.js';
import { DEFAULT_LEASE_MS, LockLostError } from '../delivery/store/index.js';
import { DISPATCHER_LOCK, lockedError } from '../delivery/lock-messages.js';
import { sweepOrphans } from '../delivery/sweep.js';
import { assertLedgerCurrent } from '../delivery/ledger-check.js';
import type { Runtime } from './runtime.js';
import { websiteSettingsOf } from '../channels/website/index.js';
import { recordDaemonChannels } from '../delivery/daemon-channels.js';
import { assertSharedLedger, createRelay, ledgerId, NO_SUCH_DB, openQueue, queueConfig, workerLeaseFromEnv, type RelayDeps, type WorkQueue } from '../delivery/queue/index.js';
import { storeConfig } from '../delivery/store/index.js';
import { queueConfigMessages, workerMessages } from '../i18n/messages-queue.js';
import { ConfigError } from '../errors.js';
import { startQueueWorkers, type QueueWorkers } from './workers.js';
import { outageFromEnv, outageRider } from './ledger-outage.js';
import { outageRidingStore } from './ledger-outage-store.js';
import { unrecordedSends } from './unrecorded-sends.js';

export interface DispatchingOptions {
  /** The minute tick (node-cron) that asks the dispatcher to plan. */
  ticker: Ticker;
  /** When to rebuild the public site for the new date (default: daily, 00:05 Asia/Shanghai). */
  siteTicker?: Ticker;
  /** Longest sleep between two looks at the ledger (handed-over publishes are found this fast). */
  pollMs?: number;
  /** The dispatcher lock's lease (default 60 s): how long a silent holder on another host keeps it. */
  leaseMs?: number;
  /** How long /status and /status.json reuse a report (default 1 s). */
  statusTtlMs?: number;
  /** With a Redis queue: queue workers in this process (default 1; 0: the clock, the relay and the listeners only). */
  workers?: number;
}

export interface Dispatching {
  /** Resolves if this process loses the dispatcher lock; it has then stopped dispatching. */
  lost: Promise<LockLostError>;
  /** The status report, cached for `statusTtlMs`. */
  status(): Promise<StatusReport>;
  /** One line per channel: live or sandbox, and why (and, with a Redis queue, the queue and its workers here). */
  modes: string[];
  generation: number;
  begin(): void;
  /** Look at the ledger now (a retry or an approval from the console), not at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

/** How long the status report waits for Redis to say who serves the queues (it is said not to answer after that). */
const STATUS_QUEUE_WAIT_MS = 1_000;

/** Takes the dispatcher lock (or throws who holds it) and prepares the dispatcher; nothing runs before `begin()`. */
export async function prepareDispatching(rt: Runtime, o: DispatchingOptions): Promise<Dispatching> {
  const { log } = rt;
  const store = await rt.store();
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const got = await store.acquireLock(DISPATCHER_LOCK, 'advisory run', leaseMs);
  if ('holder' in got) throw lockedError(store.location, got.holder);
  const lock = got.held;
  try {
    // What a killed process left half-written (temp files, unfinished site builds) goes before anything is resent,
    // and nothing is sent from a ledger older than what went out.
    sweepOrphans(rt.varDir, { now: new Date(), log });
    await assertLedgerCurrent(rt.varDir, store, store.location);
    // `advisory status` in another terminal shows the modes this daemon publishes with, not its own environment's.
    await recordDaemonChannels(store, lock.generation, process.pid, Object.values(rt.configs));
    const channels = rt.channels;
    const queueCfg = await queueConfig({ root: rt.root, env: rt.env, varDir: rt.varDir });
    assertSharedLedger(queueCfg, await storeConfig({ root: rt.root, env: rt.env, varDir: rt.varDir }), store.location);
    const workerLeaseMs = workerLeaseFromEnv(rt.env);
    const queue = await openQueue(queueCfg, log);
    if (queue) await refuseMissingDb(queue);
    let stopping = false;
    const shutdown = new AbortController();
    let onLost: (err: LockLostError) => void = () => {};
    const lost = new Promise<LockLostError>((resolve) => (onLost = resolve));
    const loseLock = (err: LockLostError) => {
      if (stopping) return;
      stopping = true;
      shutdown.abort();
      log.error({ generation: lock.generation }, err.message);
      onLost(err);
    };
    // Sending here (no queue), its calls to the ledger ride out an outage of the server as publish --now's do
    // (ledger-outage-store.ts): what went out meanwhile is recorded once it answers, not resent by a reconcile. A send
    // it cannot record (stopped, or past the bound) is kept in var/ and recorded at the next start, before anything
    // is reconciled (unrecorded-sends.ts).
    const unrecorded = unrecordedSends(rt.varDir, store.location, log);
    const late = await unrecorded.recordOn(store, rt.now());
    if (late.sent + late.unsent > 0) log.warn(late, `recorded what an earlier run sent (or claimed and never sent) while the ledger did not answer (${unrecorded.file})`);
    const sender = queue ? store : outageRidingStore(store, outageRider({
      maxMs: outageFromEnv(rt.env), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), say: (line) => log.warn(line), doing: 'sending', stop: shutdown.signal,
    }), unrecorded);
    const queueLedger = queue ? await ledgerId(store) : undefined;
    const dispatcher = new Dispatcher({
      store: sender, channels, renderer: rt.renderer, planner: rt.planner, log, now: rt.now, random: rt.random,
      root: rt.root, varDir: rt.varDir, failpoints: rt.failpoints, stopping: () => stopping,
      signal: shutdown.signal,
      relay: queue ? relayTo(queue, { store, channels, now: rt.now, leaseMs: workerLeaseMs, ledger: queueLedger! }, log) : undefined,
    });
    const configs = Object.values(rt.configs);
    // With a queue, the report names who serves it (the workers of every machine), as `advisory status` does.
    const status = cachedStatus(async () => {
      const report = await buildStatus(store, rt.planner, configs, rt.now());
      return queue ? withQueuesOf(report, queue, queueLedger, STATUS_QUEUE_WAIT_MS) : report;
    }, o.statusTtlMs ?? 1_000, log);
    let running: { stop(): Promise<void> } | null = null;
    let wakeLoop: () => void = () => {};
    const workerCount = queue ? (o.workers ?? 1) : 0;
    return {
      lost, status, generation: lock.generation,
      modes: [...[...channels.values()].map((c) => c.modeReason), ...(queue ? [workerMessages().daemonLine(queue.location, workerCount)] : [])],
      wake: () => wakeLoop(),
      begin() {
        // The workers of this process start with the clock; those elsewhere may have started before.
        const workers: Promise<QueueWorkers | null> | null = queue && workerCount > 0
          ? startQueueWorkers(rt, queue, { leaseMs: workerLeaseMs, signal: shutdown.signal, copies: workerCount }).catch((err) => {
            log.error({ err }, `queue workers did not start: ${(err as Error).message}`);
            return null;
          })
          : null;
        const loop = startWakeLoop(dispatcher, rt.clock, log, o.pollMs ?? 1000, (err) => {
          if (err instanceof LockLostError) loseLock(err);
          return err instanceof LockLostError;
        });
        // A command that recorded deliveries (publish --now) nudges the loop, so it need not wait for the poll.
        const nudges = watchNudges(rt.varDir, () => loop.wake());
        wakeLoop = () => loop.wake();
        // The minute tick asks for a plan; the loop (never more than pollMs asleep) runs it.
        o.ticker.start(() => dispatcher.requestPlan());
        let beating = false;
        const heartbeat = setInterval(async () => {
          if (stopping || beating) return;
          beating = true;
          try {
            if (!(await store.heartbeat(lock))) await store.checkFence();
          } catch (err) {
            if (err instanceof LockLostError) loseLock(err);
            else log.warn({ err }, 'could not refresh the dispatcher lock; trying again');
          } finally {
            beating = false;
          }
        }, Math.max(250, Math.floor(leaseMs / 12)));
        const siteRefresh = startSiteRefresh({
          root: rt.root, varDir: rt.varDir, clock: rt.clock, log, env: rt.env, renderer: rt.renderer, settings: websiteSettingsOf(rt.configs.website),
          ticker: o.siteTicker ?? cronTicker(DEFAULT_TIMEZONE, SITE_REFRESH_CRON, 'advisory-site-refresh'),
        });
        running = {
          async stop() {
            o.ticker.stop();
            siteRefresh.stop();
            clearInterval(heartbeat);
            nudges.close();
            await loop.stop();
            // Drains: the jobs in hand finish (and are recorded) before the lock is released.
            await (await workers)?.stop();
          },
        };
      },
      async stop() {
        stopping = true;
        shutdown.abort();
        try {
          await running?.stop();
        } finally {
          await queue?.close();
          // Only if still ours: a lock lost to another dispatcher is not touched (release matches the generation).
          await store.releaseLock(lock);
        }
      },
    };
  } catch (err) {
    await store.releaseLock(lock);
    throw err;
  }
}

/**
 * A Redis that answers but has no such database (`redis://…/16` on a default server) stops the daemon as it
 * stops `advisory worker`: ioredis would go on with database 0, which another bureau may use. A Redis that does
 * not answer yet is not refused: the relay says so and waits for it.
 */
async function refuseMissingDb(queue: WorkQueue): Promise<void> {
  try {
    await queue.ready(5_000);
  } catch (err) {
    if ((err as { code?: string }).code !== NO_SUCH_DB) return;
    await queue.close();
    throw new ConfigError(queueConfigMessages().cannotConnect(queue.location, (err as Error).message), { cause: err });
  }
}

/** How long a wake waits for its relay pass: with Redis away BullMQ's commands wait for the reconnect. */
const RELAY_WAIT_MS = 2_000;

/**
 * The relay of one daemon: a pass each wake; a queue that cannot be reached is logged (once a minute) and tried
 * again on the next. A pass that waits for Redis (away: its commands wait for the reconnect) is left running
 * beside the loop after RELAY_WAIT_MS, and no other starts until it ends: planning, recording and a SIGTERM do not
 * wait for Redis to come back.
 */
function relayTo(queue: WorkQueue, deps: Omit<RelayDeps, 'queue'>, log: Runtime['log']): () => Promise<void> {
  let lastWarned = 0;
  const warn = (why: string, err?: unknown) => {
    if (Date.now() - lastWarned < 60_000) return;
    lastWarned = Date.now();
    log.warn({ err }, `could not hand the due deliveries to the queue ${queue.location} (trying again every second; nothing is lost, the ledger keeps them): ${why}`);
  };
  const pass = createRelay({ ...deps, queue });
  let inFlight: Promise<void> | null = null;
  return async () => {
    if (inFlight) return;
    const running = pass().then(() => {}, (err) => warn((err as Error).message, err)).finally(() => {
      if (inFlight === running) inFlight = null;
    });
    inFlight = running;
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([running.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), RELAY_WAIT_MS)))]);
    clearTimeout(timer);
    if (waited) warn(`no answer in ${RELAY_WAIT_MS / 1000} s`);
  };
}

/**
 * The status report is a few dozen queries and a plan of the next firings:
 * computed at most once per `ttlMs`, so a burst of requests to /status.json
 * costs one report, not one per request.
 */
function cachedStatus(build: () => Promise<StatusReport>, ttlMs: number, log: Runtime['log']): () => Promise<StatusReport> {
  let cached: { at: number; report: Promise<StatusReport> } | null = null;
  return () => {
    const t = Date.now();
    if (!cached || t - cached.at >= ttlMs) {
      const report = build();
      // A failed report is not kept: the next request builds it again.
      report.catch((err) => {
        log.warn({ err }, 'could not build the status report');
        if (cached?.report === report) cached = null;
      });
      cached = { at: t, report };
    }
    return cached.report;
  };
}
