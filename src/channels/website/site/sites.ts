/**
 * The two sites built from this project:
 *   public   from `var/site-state/` (only campaigns whose website delivery was sent)
 *   preview  from every valid campaign in `advisories/`, every page marked
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadChannelConfig, siteConfig, type ChannelConfig, type SiteConfig } from '../../../config/channels.js';
import { createCalendar } from '../../../calendar/holidays.js';
import { channelRenderer } from '../../template-helpers.js';
import type { Renderer } from '../../../render/renderer.js';
import { renderAll } from './render-pool.js';
import { publicOptions, type SiteRenderOptions } from '../chrome.js';
import type { SiteBody } from '../site-body.js';
import { reservedIdProblem } from '../check.js';
import { buildPlain, buildSite, type SiteInput } from './build.js';
import { siteLayout, type DeployResult } from './deploy.js';
import { bodyHash, entryOf, readIndex, readPublished, type SiteEntry } from './state.js';
import { ConfigError, type Problem } from '../../../errors.js';
import { toDate } from './feeds.js';
import { localDay } from './order.js';
import { withSiteLock } from './lock.js';

/** The URL path the daemon serves the preview under. */
export const PREVIEW_PATH = '/preview-site';

export interface SiteEnv {
  root: string;
  varDir: string;
  now: Date;
  renderer?: Renderer;
  env?: NodeJS.ProcessEnv;
  /** The published index when the caller has just read it (saves reading it again). */
  index?: Record<string, SiteEntry>;
  /** channels/website.yaml as the runtime read it once (read here when absent, e.g. by `advisory build`). */
  settings?: WebsiteSettings;
}

export interface WebsiteSettings {
  site: SiteConfig;
  /** How many earlier builds to keep for rollback. */
  keep: number;
}

export function websiteSettingsOf(config: ChannelConfig): WebsiteSettings {
  const keep = Number(config.settings.keep_builds);
  return { site: siteConfig(config), keep: Number.isInteger(keep) && keep > 0 ? keep : 5 };
}

function websiteSettings(e: SiteEnv): WebsiteSettings {
  return e.settings ?? websiteSettingsOf(loadChannelConfig(e.root, 'website', e.env));
}

/** Rebuilds the public site from the published state and deploys it. */
export function rebuildPublicSite(e: SiteEnv): DeployResult {
  const { site, keep } = websiteSettings(e);
  return buildSite(publicInput(e, site), siteLayout(e.varDir, 'public', keep));
}

/**
 * The same under the site lock: for `advisory build`, and for the daemon to call
 * once a day (the home page leads with the current or next holiday, which
 * changes with the date). Cheap when nothing changed: unchanged files are linked.
 */
export function refreshPublicSite(e: SiteEnv): DeployResult {
  return withSiteLock(e.varDir, () => rebuildPublicSite(e));
}

/** The public site as plain files in `out` (for a static host); the deployed site is not touched. */
export function writePublicSite(e: SiteEnv, out: string): number {
  const { site } = websiteSettings(e);
  claimOutDir(out);
  return buildPlain(publicInput(e, site), out);
}

/** The file `build --out` leaves in its folder, so a later build knows the folder is its own. */
export const BUILD_OUT_MARKER = '.advisory-build';

/**
 * `--out` writes only into an empty (or new) folder or an earlier `build --out`
 * (it has our marker), so a wrong `--out` cannot overwrite someone's files.
 * The marker is written first: a build that fails halfway still left our folder.
 */
function claimOutDir(out: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new ConfigError(`${out} is a file, not a folder: name an empty or new folder with --out`, { file: out, cause: err });
    if (code !== 'ENOENT') throw err;
  }
  if (entries.length > 0 && !entries.includes(BUILD_OUT_MARKER)) {
    const shown = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new ConfigError(
      `${out} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}: ${shown}) and is not an earlier \`advisory build --out\` (no ${BUILD_OUT_MARKER} file): name an empty or new folder with --out; nothing was written`,
      { file: out },
    );
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, BUILD_OUT_MARKER), 'Written by `advisory build --out`: a later build may write into this folder again.\n');
}

function publicInput(e: SiteEnv, site: SiteConfig): SiteInput {
  const index = e.index ?? readIndex(e.varDir);
  return {
    root: e.root,
    renderer: e.renderer ?? channelRenderer(e.root),
    site,
    options: publicOptions(site),
    calendar: createCalendar(),
    now: e.now,
    entries: Object.values(index).sort((a, b) => a.id.localeCompare(b.id)),
    body: (id) => readPublished(e.varDir, id).body,
  };
}

export interface PreviewResult {
  campaigns: number;
  problems: Problem[];
  deploy?: DeployResult;
  files?: number;
  dir: string;
}

/**
 * Builds every valid campaign, embargo ignored, into `var/site-preview/` (or
 * `out`, as plain files). Many campaigns are loaded and rendered in parallel
 * (render-pool.ts).
 */
export async function buildPreviewSite(e: SiteEnv & { out?: string; threads?: number }): Promise<PreviewResult> {
  const { site: publicSite, keep } = websiteSettings(e);
  if (e.out) claimOutDir(e.out);
  const site: SiteConfig = e.out ? publicSite : { ...publicSite, baseUrl: `${originOf(publicSite.baseUrl)}${PREVIEW_PATH}` };
  const options: SiteRenderOptions = { ...publicOptions(site), preview: true };
  const renderer = e.renderer ?? channelRenderer(e.root);
  const rendered = await renderAll({ root: e.root, site, options }, { renderer, ...(e.threads ? { threads: e.threads } : {}) });
  const problems = rendered.problems;
  const bodies = new Map<string, SiteBody>();
  const entries: SiteEntry[] = [];
  for (const { id, file, body } of rendered.campaigns) {
    const reserved = reservedIdProblem({ id, file, year: body.campaign.year });
    if (reserved) {
      problems.push(reserved);
      continue;
    }
    bodies.set(id, body);
    // a stable time (not "now"), so an unchanged campaign keeps its folder from one preview build to the next
    const publishedAt = toDate(body.campaign.date ?? localDay(e.now), e.now.toISOString()).toISOString();
    entries.push(entryOf({ deliveryKey: null, publishedAt, hash: bodyHash(body), body }));
  }
  const input: SiteInput = {
    root: e.root, renderer, site, options, calendar: createCalendar(), now: e.now, entries,
    body: (id) => bodies.get(id)!,
  };
  if (e.out) return { campaigns: entries.length, problems, files: buildPlain(input, e.out), dir: e.out };
  const layout = siteLayout(e.varDir, 'preview', keep);
  // the lock only around the deploy: rendering touches nothing under var/
  return { campaigns: entries.length, problems, deploy: withSiteLock(e.varDir, () => buildSite(input, layout)), dir: layout.link };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url.replace(/\/+$/, '');
  }
}

export function defaultVarDir(root: string): string {
  return join(root, 'var');
}
