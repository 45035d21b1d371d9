/**
 * `advisory run` assembled: one runtime (templates followed), its dispatcher
 * (the lock, the clockwork) and the two HTTP listeners on 127.0.0.1 (the
 * public one and the staff one, http.ts). `stop()` takes
 * no more work, lets in-flight sends finish, closes the server, releases the
 * lock and closes the runtime (the store, the channels' transports). `lost`
 * resolves if the lock is lost to another dispatcher: it has then stopped.
 */
import type { Logger } from 'pino';
import type { ChannelName, Closable } from '../channels/channel.js';
import type { Clock, Ticker } from '../delivery/clock.js';
import type { Failpoints } from '../delivery/failpoint.js';
import type { LockLostError } from '../delivery/store/index.js';
import { createRuntime } from '../app/runtime.js';
import { prepareDispatching } from '../app/dispatching.js';
import { subscriptions } from '../app/subscriptions.js';
import { startServer, type RunningServer } from './http.js';
import type { LoginLimits } from './staff.js';
import { approveById } from '../app/approve.js';
import { consoleService } from '../app/console.js';
import type { SubscribeLimits } from './rate-limit.js';
import { handleWechatEvent } from '../channels/wechat/index.js';

export { DISPATCHER_LOCK } from '../delivery/lock-messages.js';

export interface DaemonOptions {
  root: string;
  /** State folder (ledger, outbox, site); default `<root>/var`. A drill runs on its own (see delivery/drill.ts). */
  varDir?: string;
  env: NodeJS.ProcessEnv;
  /** The public listener. */
  port: number;
  host: string;
  /** The staff listener (default 0: a free port; `advisory run` defaults to 4322) and its address (default 127.0.0.1). */
  staffPort?: number;
  staffHost?: string;
  /** The address staff use when a reverse proxy is in front (its host is answered for; https makes cookies Secure). */
  staffUrl?: string;
  /** Real time (ms) for sessions, sign-in links and login limits (default Date.now; tests move it). */
  securityNow?: () => number;
  loginLimits?: LoginLimits;
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
  /** Transports to use instead of the configured ones (tests). */
  transports?: Partial<Record<ChannelName, Closable>>;
  /** How often the public sign-up form may be used (default: rate-limit.ts). */
  subscribeLimits?: SubscribeLimits;
  /** With a Redis queue: queue workers in this process (default 1). */
  workers?: number;
}

export interface Daemon {
  /** The public listener. */
  url: string;
  /** The staff listener (sign-in, preview, status, approve). */
  staffUrl: string;
  /** While no staff account exists: a one-time link (15 minutes, loopback only) creating the first. */
  setupLink?: string;
  /** What a non-loopback address makes reachable, one line each. */
  warnings: string[];
  modes: string[];
  /** Resolves if this daemon loses the dispatcher lock; it has then stopped dispatching. */
  lost: Promise<LockLostError>;
  stop(): Promise<void>;
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const runtime = createRuntime({
    root: o.root, env: o.env, varDir: o.varDir, log: o.log, clock: o.clock, templates: 'follow',
    failpoints: o.failpoints, random: o.random, transports: o.transports,
  });
  let server: RunningServer | undefined;
  let dispatching: Awaited<ReturnType<typeof prepareDispatching>> | undefined;
  try {
    dispatching = await prepareDispatching(runtime, { ticker: o.ticker, siteTicker: o.siteTicker, pollMs: o.pollMs, leaseMs: o.leaseMs, statusTtlMs: o.statusTtlMs, workers: o.workers });
    const subs = await subscriptions(runtime);
    const email = runtime.channels.get('email');
    server = await startServer(
      {
        root: o.root, varDir: runtime.varDir, store: await runtime.store(), status: dispatching.status, renderer: runtime.renderer, log: o.log, now: runtime.now,
        site: runtime.site,
        subscriptions: { links: subs.links, add: subs.add, notify: email?.notify, limits: o.subscribeLimits },
        wechatEvents: (req) => handleWechatEvent(req, runtime.configs.wechat.secrets.callback_token, runtime.channelState),
        approve: async (campaign, by, expectHash) => {
          const r = await approveById(runtime, campaign, by, runtime.now(), expectHash);
          dispatching?.wake(); // what the approval released goes out now
          return r;
        },
        console: consoleService(runtime, () => dispatching?.wake()),
        securityNow: o.securityNow,
        loginLimits: o.loginLimits,
      },
      { public: { port: o.port, host: o.host }, staff: { port: o.staffPort ?? 0, host: o.staffHost ?? '127.0.0.1', url: o.staffUrl } },
    );
    dispatching.begin();
    o.log.info({ channels: Object.fromEntries([...runtime.channels.values()].map((c) => [c.name, c.mode])), url: server.url, staffUrl: server.staffUrl, clock: runtime.now().toISOString(), lock: dispatching.generation }, 'dispatcher started');
  } catch (err) {
    await server?.close();
    await dispatching?.stop();
    await runtime.close();
    throw err;
  }
  const srv = server;
  const d = dispatching;
  return {
    url: srv.url,
    staffUrl: srv.staffUrl,
    setupLink: srv.setupLink,
    warnings: srv.warnings,
    modes: d.modes,
    lost: d.lost,
    async stop() {
      try {
        await d.stop();
      } finally {
        await srv.close();
        await runtime.close();
        o.log.info('dispatcher stopped');
      }
    },
  };
}
