/**
 * `advisory run` assembled: the lock, the ledger, the channels, the renderer,
 * the dispatcher, the clock and the HTTP server. `stop()` takes no more work,
 * lets in-flight sends finish, closes the server and releases the lock. If the
 * lock is lost (this process was frozen past its lease and another host took
 * over), dispatching stops at once and `lost` resolves with the reason.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createChannelRegistry } from '../channels/registry.js';
import { createLiveRenderer, followingTemplates } from './live-renderer.js';
import { openLedger } from './ledger.js';
import { Dispatcher } from './dispatcher.js';
import { projectPlanner } from './project-planner.js';
import { buildStatus, type StatusReport } from './status.js';
import { cronTicker, type Clock, type Ticker } from './clock.js';
import { SITE_REFRESH_CRON, startSiteRefresh } from './site-refresh.js';
import { DEFAULT_TIMEZONE } from '../content/schema.js';
import type { Failpoints } from './failpoint.js';
import { startServer, type RunningServer } from '../server/http.js';
import { startWakeLoop } from './loop.js';
import { sweepOrphans } from '../fs/sweep.js';
import { DEFAULT_LEASE_MS, LockLostError } from './locks.js';
import { DISPATCHER_LOCK, lockedError } from './lock-messages.js';

export { DISPATCHER_LOCK };

export interface DaemonOptions {
  root: string;
  /** State folder (ledger, outbox, site); default `<root>/var`. A drill runs on its own (see drill.ts). */
  varDir?: string;
  env: NodeJS.ProcessEnv;
  port: number;
  host: string;
  clock: Clock;
  ticker: Ticker;
  log: Logger;
  failpoints: Failpoints;
  /** When to rebuild the public site for the new date (default: daily, 00:05 Asia/Shanghai). */
  siteTicker?: Ticker;
  /** Longest sleep between two looks at the ledger (handed-over publishes are found this fast). */
  pollMs?: number;
  random?: () => number;
  /** The dispatcher lock's lease (default 60 s): how long a silent holder on another host keeps it. */
  leaseMs?: number;
  /** How long /status and /status.json reuse a report (default 1 s). */
  statusTtlMs?: number;
}

export interface Daemon {
  url: string;
  modes: string[];
  /** Resolves if this daemon loses the dispatcher lock; it has then stopped dispatching. */
  lost: Promise<LockLostError>;
  stop(): Promise<void>;
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const varDir = o.varDir ?? join(o.root, 'var');
  const store = openLedger(varDir);
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const got = store.acquireLock(DISPATCHER_LOCK, 'advisory run', leaseMs);
  if ('holder' in got) {
    store.close();
    throw lockedError(store.file, got.holder);
  }
  const lock = got.held;
  let server: RunningServer | undefined;
  try {
    // What a killed process left half-written (temp files, unfinished site builds) goes before anything is resent.
    sweepOrphans(varDir, { now: new Date(), log: o.log });
    const renderer = createLiveRenderer(o.root);
    const channels = createChannelRegistry(o.root, o.env, renderer);
    const now = () => o.clock.now();
    const planner = followingTemplates(projectPlanner(o.root, o.log, now), renderer, o.log);
    let stopping = false;
    let onLost: (err: LockLostError) => void = () => {};
    const lost = new Promise<LockLostError>((resolve) => (onLost = resolve));
    const loseLock = (err: LockLostError) => {
      if (stopping) return;
      stopping = true;
      o.log.error({ generation: lock.generation }, err.message);
      onLost(err);
    };
    const dispatcher = new Dispatcher({
      store, channels, renderer, planner, log: o.log, now, random: o.random ?? Math.random,
      root: o.root, varDir, failpoints: o.failpoints, stopping: () => stopping,
    });
    const configs = [...channels.values()].map((c) => c.config);
    const status = cachedStatus(() => buildStatus(store, planner, configs, now()), o.statusTtlMs ?? 1_000);
    server = await startServer({ root: o.root, varDir, store, status, renderer, log: o.log, now }, o.port, o.host);
    const modes = [...channels.values()].map((c) => c.modeReason);
    o.log.info({ channels: Object.fromEntries([...channels.values()].map((c) => [c.name, c.mode])), url: server.url, clock: now().toISOString(), lock: lock.generation }, 'dispatcher started');

    const loop = startWakeLoop(dispatcher, o.clock, o.log, o.pollMs ?? 1000, (err) => {
      if (err instanceof LockLostError) loseLock(err);
      return err instanceof LockLostError;
    });
    // The minute tick asks for a plan; the loop (never more than pollMs asleep) runs it.
    o.ticker.start(() => dispatcher.requestPlan());
    const heartbeat = setInterval(() => {
      if (stopping) return;
      try {
        if (!store.heartbeat(lock)) store.checkFence();
      } catch (err) {
        if (err instanceof LockLostError) loseLock(err);
        else o.log.warn({ err }, 'could not refresh the dispatcher lock; trying again');
      }
    }, Math.max(250, Math.floor(leaseMs / 12)));
    const siteRefresh = startSiteRefresh({
      root: o.root, varDir, clock: o.clock, log: o.log, env: o.env, renderer,
      ticker: o.siteTicker ?? cronTicker(DEFAULT_TIMEZONE, SITE_REFRESH_CRON, 'advisory-site-refresh'),
    });

    const srv = server;
    return {
      url: srv.url,
      modes,
      lost,
      async stop() {
        stopping = true;
        o.ticker.stop();
        siteRefresh.stop();
        clearInterval(heartbeat);
        try {
          await loop.stop();
        } finally {
          await srv.close();
          // Only if still ours: a lock lost to another dispatcher is not touched (release matches the generation).
          store.releaseLock(lock);
          store.close();
          o.log.info('dispatcher stopped');
        }
      },
    };
  } catch (err) {
    await server?.close();
    store.releaseLock(lock);
    store.close();
    throw err;
  }
}

/**
 * The status report is a few dozen queries and a plan of the next firings:
 * computed at most once per `ttlMs`, so a burst of requests to /status.json
 * costs one report, not one per request.
 */
function cachedStatus(build: () => StatusReport, ttlMs: number): () => StatusReport {
  let cached: { at: number; report: StatusReport } | null = null;
  return () => {
    const t = Date.now();
    if (!cached || t - cached.at >= ttlMs) cached = { at: t, report: build() };
    return cached.report;
  };
}
