/**
 * The daily refresh of the public site. Its home page leads with the current
 * or next holiday's campaign relative to today, so it changes with the date
 * even when nothing is published. The daemon rebuilds it once after start and
 * then shortly after every local midnight; only once a site has been published,
 * and a failure is logged, never fatal.
 */
import type { Logger } from 'pino';
import { readIndex, refreshPublicSite, type DeployResult, type WebsiteSettings } from '../channels/website/index.js';
import type { Clock, Ticker } from './clock.js';
import type { Renderer } from '../render/renderer.js';

/** node-cron expression: five past midnight (in the ticker's zone, Asia/Shanghai). */
export const SITE_REFRESH_CRON = '5 0 * * *';

export interface SiteRefreshOptions {
  root: string;
  varDir: string;
  clock: Clock;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** The daemon's renderer (its templates follow the disk, a broken edit keeps the previous ones). */
  renderer?: Renderer;
  /** channels/website.yaml as the runtime read it. */
  settings?: WebsiteSettings;
}

/** Rebuilds the public site for `clock.now()` if one was published. Null when there is none or the build failed (logged). */
export function refreshSiteIfPublished(o: SiteRefreshOptions): DeployResult | null {
  const now = o.clock.now();
  try {
    if (Object.keys(readIndex(o.varDir)).length === 0) return null;
    const result = refreshPublicSite({ root: o.root, varDir: o.varDir, now, env: o.env, renderer: o.renderer, settings: o.settings });
    o.log.info({ buildId: result.buildId, written: result.written.length, at: now.toISOString() }, 'public site refreshed for the date');
    return result;
  } catch (err) {
    o.log.error({ err }, `refreshing the public site for ${now.toISOString()} failed; the site stays as it was: ${(err as Error).message}`);
    return null;
  }
}

/** Refreshes now, then on every tick of `ticker` (daily in production). */
export function startSiteRefresh(o: SiteRefreshOptions & { ticker: Ticker }): { stop(): void } {
  refreshSiteIfPublished(o);
  o.ticker.start(() => void refreshSiteIfPublished(o));
  return { stop: () => o.ticker.stop() };
}
