/**
 * The two sites built from this project:
 *   public   from `var/site-state/` (only campaigns whose website delivery was sent)
 *   preview  from every valid campaign in `advisories/`, every page marked
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadChannelConfig, siteConfig, type ChannelConfig, type SiteConfig } from '../../../config/channels.js';
import { loadProjectCalendar } from '../../../content/project-calendar.js';
import { channelRenderer } from '../../template-helpers.js';
import type { Renderer } from '../../../render/renderer.js';
import { renderAll, renderSlice, type RenderedCampaign, type RenderJob } from './render-pool.js';
import { listCampaigns } from '../../../content/load.js';
import { campaignCache, campaignOfProblem, projectSettingsHash } from '../../../content/inputs.js';
import { jsonCache } from '../../../fs/json-cache.js';
import { publicOptions, type SiteRenderOptions } from '../chrome.js';
import type { SiteBody, SiteSection } from '../site-body.js';
import { reservedIdProblem } from '../check.js';
import { buildPlain, buildSite, folderFiles, folderHash, type SiteInput } from './build.js';
import type { PageMemo } from './pages.js';
import { siteLayout, writeObject, writePlainFolder, type DeployResult } from './deploy.js';
import { bodyHash, entryOf, readIndex, readPublished, type SiteEntry } from './state.js';
import { ConfigError, type Problem } from '../../../errors.js';
import { toDate } from './feeds.js';
import { localDay } from './order.js';
import { withSiteLock } from './lock.js';
import { siteMessages } from '../../../i18n/messages-site.js';

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
  return withPageMemo(e.varDir, 'public', (pageMemo) => buildSite({ ...publicInput(e, site), pageMemo }, siteLayout(e.varDir, 'public', keep)));
}

/**
 * Runs a deployed build with the site-wide pages of the previous one (var/cache/site-pages/<kind>.json), then
 * keeps this build's for the next: publishing one campaign re-renders only the pages that list it.
 */
function withPageMemo<T>(varDir: string, kind: 'public' | 'preview', build: (memo: PageMemo) => T): T {
  const store = jsonCache<Record<string, string>>(join(varDir, 'cache', 'site-pages'));
  // A running daemon keeps the last build's pages in memory (a key is a digest of everything a page is made
  // from, so a page found under it is right whoever stored it); a new process reads them from the cache.
  const held = heldPages.get(`${kind}\0${varDir}`);
  const before = held ?? store.get(kind, 'pages') ?? {};
  const after: Record<string, string> = {};
  let reused = 0;
  const result = build({
    get: (key) => before[key],
    set: (key, html) => {
      if (before[key] === html) reused++;
      after[key] = html;
    },
  });
  heldPages.set(`${kind}\0${varDir}`, after);
  if (!held || reused !== Object.keys(after).length || reused !== Object.keys(before).length) store.set(kind, 'pages', after);
  return result;
}
const heldPages = new Map<string, Record<string, string>>();

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
    if (code === 'ENOTDIR') throw new ConfigError(siteMessages().outIsFile(out), { file: out, cause: err });
    if (code !== 'ENOENT') throw err;
  }
  if (entries.length > 0 && !entries.includes(BUILD_OUT_MARKER)) {
    const shown = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new ConfigError(
      siteMessages().outNotEmpty(out, entries.length, shown, BUILD_OUT_MARKER),
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
    calendar: loadProjectCalendar(e.root).calendar,
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
  const job = { root: e.root, site, options };
  // Deployed, an unchanged campaign (same files, templates, settings, program) is neither loaded nor rendered:
  // its entry comes from the cache and its folder from the previous build. `--out` writes every page, so renders all.
  const common = JSON.stringify([renderer.templatesHash, projectSettingsHash(e.root), site, options, localDay(e.now)]);
  const cache = e.out ? undefined : campaignCache<PreviewRecord>(e.root, join(e.varDir, 'cache', 'site-preview'), common);
  const ids = listCampaigns(e.root);
  const cached = new Map<string, PreviewRecord>();
  for (const id of ids) {
    const record = cache?.get(id);
    if (record) cached.set(id, record);
  }
  const misses = ids.filter((id) => !cached.has(id));
  const records = new Map<string, PreviewRecord>(cached);
  for (const id of misses) records.set(id, { problems: [] });
  const layout = siteLayout(e.varDir, 'preview', keep);
  // Each campaign's folder is written as soon as it is rendered, and its pages let go: a large build holds a few
  // campaigns' pages at a time, not the whole site's. (Folders are immutable and named by content: writing one
  // outside the site lock is safe; one swept meanwhile is rendered again at the deploy.)
  const writtenPlain = new Map<string, number>();
  const writtenObjects: string[] = [];
  const calendar = loadProjectCalendar(e.root).calendar;
  const onCampaign = ({ id, folder, file, body }: RenderedCampaign): void => {
    const record = records.get(folder)!;
    const reserved = reservedIdProblem({ id, file, year: body.campaign.year });
    if (reserved) {
      record.problems.push(reserved);
      return;
    }
    // a stable time (not "now"), so an unchanged campaign keeps its folder from one preview build to the next
    const publishedAt = toDate(body.campaign.date ?? localDay(e.now), e.now.toISOString()).toISOString();
    const entry = entryOf({ deliveryKey: null, publishedAt, hash: bodyHash(body), body });
    record.entry = entry;
    record.sections = Object.fromEntries(body.advisories.map((a) => [a.id, a.sections]));
    const files = () => folderFiles(e.root, site, options, entry, body, calendar);
    if (e.out) writtenPlain.set(id, writePlainFolder(e.out, id, files()));
    else if (writeObject(layout, id, folderHash(site, options, entry, calendar), files)) writtenObjects.push(id);
  };
  const rendered = await renderAll(job, { renderer, ids: misses, onCampaign, ...(e.threads ? { threads: e.threads } : {}) });
  const general: Problem[] = []; // the advisories/ folder's own, channels/*.yaml's
  for (const p of rendered.problems) (records.get(campaignOfProblem(p) ?? '')?.problems ?? general).push(p);
  for (const id of misses) cache?.set(id, records.get(id)!);
  const problems = [...general, ...ids.flatMap((id) => records.get(id)!.problems)];
  const entries: SiteEntry[] = ids.flatMap((id) => records.get(id)?.entry ?? []);
  // a campaign's id → its folder (they differ for a folder named in Chinese: 2027-chun-jie → 2027-春节)
  const folderOf = new Map(ids.flatMap((folder) => { const e = records.get(folder)?.entry; return e ? [[e.id, folder] as const] : []; }));
  const input: SiteInput = {
    root: e.root, renderer, site, options, calendar, now: e.now, entries,
    // a folder not written above (a cached campaign's, swept or never built) is rendered now
    body: (id) => renderOne(job, folderOf.get(id) ?? id, renderer),
    sections: (campaignId, advisoryId) => records.get(folderOf.get(campaignId) ?? campaignId)?.sections?.[advisoryId],
  };
  if (e.out) return { campaigns: entries.length, problems, files: buildPlain(input, e.out, writtenPlain), dir: e.out };
  // the lock only around the deploy: rendering touches nothing under var/ but immutable folders
  const deploy = withSiteLock(e.varDir, () => withPageMemo(e.varDir, 'preview', (pageMemo) => buildSite({ ...input, pageMemo }, layout)));
  return { campaigns: entries.length, problems, deploy: { ...deploy, objectsWritten: [...writtenObjects, ...deploy.objectsWritten] }, dir: layout.link };
}

/** What the preview build keeps of a campaign between builds (var/cache/site-preview/<id>.json). */
interface PreviewRecord {
  problems: Problem[];
  /** Absent for a campaign with errors. */
  entry?: SiteEntry;
  sections?: Record<string, SiteSection[]>;
}

function renderOne(job: RenderJob, id: string, renderer: Renderer): SiteBody {
  const body = renderSlice(job, [id], renderer).campaigns[0]?.body;
  if (!body) throw new ConfigError(siteMessages().changedDuringBuild(id));
  return body;
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
