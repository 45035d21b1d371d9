/**
 * `advisory run` assembled: the lock, the ledger, the channels, the renderer,
 * the dispatcher, the clock and the HTTP server. `stop()` takes no more work,
 * lets in-flight sends finish, closes the server and releases the lock.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createChannelRegistry } from '../channels/registry.js';
import { createLiveRenderer } from './live-renderer.js';
import { StateError } from '../errors.js';
import { openLedger } from './ledger.js';
import { Dispatcher } from './dispatcher.js';
import { projectPlanner } from './project-planner.js';
import { buildStatus } from './status.js';
import { cronTicker, type Clock, type Ticker } from './clock.js';
import { SITE_REFRESH_CRON, startSiteRefresh } from './site-refresh.js';
import { DEFAULT_TIMEZONE } from '../content/schema.js';
import type { Failpoints } from './failpoint.js';
import type { DeliveryStore } from './store.js';
import { startServer, type RunningServer } from '../server/http.js';
import { startWakeLoop } from './loop.js';

export const DISPATCHER_LOCK = 'dispatcher';

export interface DaemonOptions {
  root: string;
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
}

export interface Daemon {
  url: string;
  modes: string[];
  stop(): Promise<void>;
}

/** Takes the dispatcher lock or explains who holds it. */
function lockOrExplain(store: DeliveryStore & { file: string }, purpose: string): void {
  const holder = store.acquireLock(DISPATCHER_LOCK, purpose);
  if (holder) {
    store.close();
    throw new StateError(
      'ELOCKED',
      `another dispatcher already runs on ${store.file} (${holder.purpose}, pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}). One dispatcher per ledger: stop that one first (SIGTERM ${holder.pid}), or point --root at another project.`,
    );
  }
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const varDir = join(o.root, 'var');
  const store = openLedger(varDir);
  lockOrExplain(store, 'advisory run');
  let server: RunningServer | undefined;
  try {
    const channels = createChannelRegistry(o.root, o.env);
    const renderer = createLiveRenderer(o.root);
    const now = () => o.clock.now();
    const project = projectPlanner(o.root, o.log, now);
    // Each time the daemon re-reads the content, it re-reads the templates too.
    const planner: typeof project = {
      ...project,
      campaigns() {
        try {
          if (renderer.refresh()) o.log.info({ templatesHash: renderer.templatesHash }, 'templates changed: reloaded');
        } catch (err) {
          o.log.error({ err }, 'templates changed but do not compile; still rendering with the previous ones');
        }
        return project.campaigns();
      },
    };
    let stopping = false;
    const dispatcher = new Dispatcher({
      store, channels, renderer, planner, log: o.log, now, random: o.random ?? Math.random,
      root: o.root, varDir, failpoints: o.failpoints, stopping: () => stopping,
    });
    const configs = [...channels.values()].map((c) => c.config);
    const status = () => buildStatus(store, planner, configs, now());
    server = await startServer({ root: o.root, varDir, store, status, renderer, log: o.log, now }, o.port, o.host);
    const modes = [...channels.values()].map((c) => c.modeReason);
    o.log.info({ channels: Object.fromEntries([...channels.values()].map((c) => [c.name, c.mode])), url: server.url, clock: now().toISOString() }, 'dispatcher started');

    const loop = startWakeLoop(dispatcher, o.clock, o.log, o.pollMs ?? 1000);
    // The minute tick asks for a plan; the loop (never more than pollMs asleep) runs it.
    o.ticker.start(() => dispatcher.requestPlan());
    const heartbeat = setInterval(() => store.heartbeat(DISPATCHER_LOCK), 5_000);
    const siteRefresh = startSiteRefresh({
      root: o.root, varDir, clock: o.clock, log: o.log, env: o.env,
      ticker: o.siteTicker ?? cronTicker(DEFAULT_TIMEZONE, SITE_REFRESH_CRON, 'advisory-site-refresh'),
    });

    const srv = server;
    return {
      url: srv.url,
      modes,
      async stop() {
        stopping = true;
        o.ticker.stop();
        siteRefresh.stop();
        clearInterval(heartbeat);
        await loop.stop();
        await srv.close();
        store.releaseLock(DISPATCHER_LOCK);
        store.close();
        o.log.info('dispatcher stopped');
      },
    };
  } catch (err) {
    await server?.close();
    store.releaseLock(DISPATCHER_LOCK);
    store.close();
    throw err;
  }
}
