/**
 * Builds the site from campaign entries and deploys it atomically. The same
 * code serves publishing (the published state, embargo respected), `advisory
 * build`, and `advisory build --preview` (every valid campaign, marked).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteConfig } from '../../../config/channels.js';
import { ChannelError } from '../../../errors.js';
import type { Renderer } from '../../../render/renderer.js';
import type { Calendar } from '../../../calendar/types.js';
import type { SiteBody, SiteSection } from '../site-body.js';
import type { SiteRenderOptions } from '../chrome.js';
import { deploy, writePlain, type BuildPlan, type DeployResult, type FileContent, type SiteLayout } from './deploy.js';
import { capExpires, capXml } from './cap.js';
import { dated } from './order.js';
import { sitePages, type PageMemo } from './pages.js';
import type { SiteEntry } from './state.js';
import { sha256 } from '../../../hash.js';

export interface SiteInput {
  root: string;
  renderer: Renderer;
  site: SiteConfig;
  options: SiteRenderOptions;
  calendar: Calendar;
  now: Date;
  entries: SiteEntry[];
  /** The full body (with pages) of a campaign; called only for campaigns whose folder must be written. */
  body(id: string): SiteBody;
  /** Site-wide pages of the previous build, to reuse those whose data did not change (a deployed build's). */
  pageMemo?: PageMemo;
  /** An advisory's sections (for the feeds), when known without the full body; else read from `body`. */
  sections?(campaignId: string, advisoryId: string): SiteSection[] | undefined;
}

export function planSite(input: SiteInput): BuildPlan {
  const { site, options } = input;
  const items = dated(input.entries, input.calendar, input.now);
  const campaigns = input.entries.map((entry) => ({
    id: entry.id,
    hash: folderHash(site, options, entry, input.calendar),
    deliveryKey: entry.deliveryKey,
    files: () => folderFiles(input.root, site, options, entry, input.body(entry.id), input.calendar),
  }));
  let last: SiteBody | null = null; // feed items come grouped by campaign: read each body once
  const sections = (campaignId: string, advisoryId: string) => {
    const known = input.sections?.(campaignId, advisoryId);
    if (known) return known;
    if (last?.campaign.id !== campaignId) last = input.body(campaignId);
    return last.advisories.find((a) => a.id === advisoryId)?.sections ?? [];
  };
  return { files: sitePages(input.renderer, site, options, items, input.now, sections, input.pageMemo), campaigns, createdAt: input.now.toISOString() };
}

/**
 * The name of a campaign's folder: it covers everything its files depend on (the CAP alert's end comes from
 * the calendar), so an existing folder is never rewritten. 16 hex digits keep the symlink target under 60
 * bytes: ext4 stores it in the inode.
 */
export function folderHash(site: SiteConfig, options: SiteRenderOptions, entry: SiteEntry, calendar: Calendar): string {
  const salt = JSON.stringify([options.preview ? 'Test' : 'Actual', site.baseUrl, site.area, site.issuer, capExpires(entry, calendar)]);
  return sha256(`${entry.hash}\0${entry.publishedAt}\0${salt}`).slice(0, 16);
}

/** The files of a campaign's folder (planSite's, for a build that writes a folder as soon as its campaign is rendered). */
export function folderFiles(root: string, site: SiteConfig, options: SiteRenderOptions, entry: SiteEntry, body: SiteBody, calendar: Calendar): Map<string, FileContent> {
  return campaignFiles(root, body, capXml(site, entry, body.advisories, { status: options.preview ? 'Test' : 'Actual', calendar }));
}

/** The campaign's folder: its pages, its images, its CAP alert. */
function campaignFiles(root: string, body: SiteBody, cap: string): Map<string, FileContent> {
  const prefix = body.campaign.path;
  const files = new Map<string, FileContent>();
  for (const [path, html] of Object.entries(body.pages)) files.set(path.slice(prefix.length), html);
  for (const [target, source] of Object.entries(body.files)) {
    const bytes = readFileSync(join(root, source.path));
    if (sha256(bytes) !== source.sha256) {
      throw new ChannelError('website', 'permanent', `${source.path} changed after the website payload was rendered (approved sha256 ${source.sha256.slice(0, 12)}…): render and approve the campaign again.`);
    }
    files.set(target.slice(prefix.length), bytes);
  }
  files.set('cap.xml', cap);
  return files;
}

export function buildSite(input: SiteInput, layout: SiteLayout): DeployResult {
  return deploy(layout, planSite(input));
}

/** `written`: campaign folders already written into `outDir` during this build (id → files), left as they are. */
export function buildPlain(input: SiteInput, outDir: string, written?: ReadonlyMap<string, number>): number {
  return writePlain(outDir, planSite(input), written);
}
