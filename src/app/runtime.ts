/**
 * The composition root: the one place that knows every part. `createRuntime`
 * builds, once, what the daemon, `publish --now` and the commands share: the
 * channel configurations (read once), the renderer (the daemon's follows
 * template edits; a command's is read once), the calendar, the planner, the
 * channel registry with its transports, the store, the clock and the logger.
 * Parts a command may not need (the store, the channels) are made on first
 * use, so `status` with live credentials set, or `preview`, open nothing they
 * do not use. `close()` releases the store and the transports.
 */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { ChannelName, ChannelState, Closable } from '../channels/channel.js';
import { createChannelRegistry, closeChannels, type RegisteredChannel } from '../channels/registry.js';
import { CHANNEL_HELPERS } from '../channels/template-helpers.js';
import { loadAllChannelConfigs, siteConfig, type ChannelConfig, type SiteConfig } from '../config/channels.js';
import type { Calendar } from '../calendar/holidays.js';
import { loadProjectCalendar } from '../content/project-calendar.js';
import { createRenderer } from '../render/create.js';
import { createLiveRenderer, type LiveRenderer } from '../render/live.js';
import type { Renderer } from '../render/renderer.js';
import { openStore, storeConfig, type Store } from '../delivery/store/index.js';
import type { Planner } from '../delivery/dispatcher.js';
import { systemClock, type Clock } from '../delivery/clock.js';
import { parseFailpoints, type Failpoints } from '../delivery/failpoint.js';
import { projectPlanner } from './project-planner.js';

export interface RuntimeOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  /** State folder (ledger, outbox, site); default `<root>/var` (a drill: `var/drill`). */
  varDir?: string;
  log?: Logger;
  clock?: Clock;
  /**
   * `follow`: the renderer re-reads the templates whenever the planner re-reads
   * the content, keeping the previous ones when an edit does not compile (the
   * daemon). `once`: read once, a channel whose template does not compile fails
   * alone (a command).
   */
  templates?: 'follow' | 'once';
  /** Transports to use instead of the configured ones (tests; another backend). */
  transports?: Partial<Record<ChannelName, Closable>>;
  /** Live transports even while base_url is loopback (`channels verify` only). */
  allowLoopback?: boolean;
  fetch?: typeof fetch;
  failpoints?: Failpoints;
  random?: () => number;
}

export interface Runtime {
  readonly root: string;
  readonly varDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly clock: Clock;
  now(): Date;
  readonly random: () => number;
  readonly failpoints: Failpoints;
  readonly configs: Record<ChannelName, ChannelConfig>;
  readonly site: SiteConfig;
  readonly renderer: Renderer;
  /** The project's holiday calendar (calendar/*.yaml over chinese-days) as the planner last read it. */
  readonly calendar: Calendar;
  /** Campaigns from advisories/ and their firings; with `templates: 'follow'`, each re-read of the content re-reads the templates. */
  readonly planner: Planner;
  readonly channels: ReadonlyMap<ChannelName, RegisteredChannel>;
  /** The store, opened on first use. */
  store(): Promise<Store>;
  /** The channels' small state in the store (cached tokens, WeChat's publish events). */
  channelState(): Promise<ChannelState>;
  close(): Promise<void>;
}

export function createRuntime(o: RuntimeOptions): Runtime {
  const varDir = o.varDir ?? join(o.root, 'var');
  const log = o.log ?? pino({ level: 'silent' });
  const clock = o.clock ?? systemClock();
  const now = () => clock.now();
  const configs = loadAllChannelConfigs(o.root, o.env);
  let calendar: Calendar | undefined;
  const live = o.templates === 'follow' ? createLiveRenderer(o.root, { helpers: CHANNEL_HELPERS }) : null;
  const renderer: Renderer = live ?? createRenderer(o.root, { tolerant: true, helpers: CHANNEL_HELPERS });
  const project = projectPlanner(o.root, log, now, (c) => (calendar = c));
  const planner = live ? followingTemplates(project, live, log) : project;
  let channels: ReadonlyMap<ChannelName, RegisteredChannel> | undefined;
  let store: Promise<Store> | undefined;
  // The configured ledger (ADVISORY_STORE, advisory.yaml, var/); a drill's own folder keeps its own SQLite one.
  const openOnce = () => (store ??= storeConfig({ root: o.root, env: o.env, varDir }).then(openStore));
  // Channels keep their small state (a cached token, a publish job's event) in the ledger's meta table.
  const channelState = async (): Promise<ChannelState> => {
    const s = await openOnce();
    return { get: (n) => s.getMeta(n), set: (n, v) => s.setMeta(n, v), delete: (n) => s.deleteMeta(n) };
  };
  return {
    root: o.root, varDir, env: o.env, log, clock, now, random: o.random ?? Math.random,
    failpoints: o.failpoints ?? parseFailpoints(undefined),
    configs, site: siteConfig(configs.website), renderer, planner,
    get calendar() {
      return (calendar ??= loadProjectCalendar(o.root).calendar);
    },
    get channels() {
      return (channels ??= createChannelRegistry({ root: o.root, env: o.env, renderer, varDir, configs, fetch: o.fetch, transports: o.transports, state: channelState, allowLoopback: o.allowLoopback, now }));
    },
    store: openOnce,
    channelState,
    async close() {
      if (channels) await closeChannels(channels);
      if (store) await (await store.catch(() => null))?.close();
    },
  };
}

/**
 * The planner the daemon uses: each time it re-reads the content, the renderer
 * re-reads the templates too. A broken edit is logged (once) and the previous
 * templates stay in use.
 */
export function followingTemplates(planner: Planner, renderer: LiveRenderer, log: Logger): Planner {
  return {
    ...planner,
    campaigns() {
      try {
        if (renderer.refresh()) log.info({ templatesHash: renderer.templatesHash }, 'templates changed: reloaded');
      } catch (err) {
        log.error({ err }, 'templates changed but do not compile; still rendering with the previous ones');
      }
      return planner.campaigns();
    },
  };
}
