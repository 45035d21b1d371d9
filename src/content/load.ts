/**
 * Reads `<root>/advisories/` into validated campaigns. The thin I/O layer
 * around the pure parsers: it walks folders, reads bytes safely, and adds the
 * checks that need more than one file (ids, images, hashes).
 */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import type { Campaign } from './model.js';
import { decodeUtf8, isInside, MAX_CONTENT_BYTES, readBytes } from './read-file.js';
import { parseCampaign } from './parse.js';
import { fileKind, loadAdvisories } from './load-advisories.js';
import { checkRefs, contentHash, normalizeRef } from './validate-refs.js';
import { readYaml, topLevelPlaces } from './yaml-source.js';
import { pinyinId } from './pinyin-id.js';
import { sha256 } from '../hash.js';
import { SLUG } from './schema.js';
import { CHANNEL_NAMES } from '../config/channel-names.js';
import { loadChannelConfig } from '../config/channels.js';
import { ConfigError } from '../errors.js';
import { parseInterval, type MinIntervals } from './schedule-frequency.js';
import { contentMessages, type FileKind } from '../i18n/messages-content.js';
import type { Calendar } from '../calendar/holidays.js';
import { loadProjectCalendar } from './project-calendar.js';

export interface LoadOptions {
  /** Each channel's least interval between posts (seconds); default: read from channels/<name>.yaml `min_interval`. */
  minIntervals?: MinIntervals;
  /** Only these campaign ids (folder names). */
  only?: string[];
  /** With `only`: still report what is wrong in the advisories/ folder itself (Markdown outside a campaign). */
  folderProblems?: boolean;
  /** The clock, for "expired" warnings; without it those are skipped. */
  now?: Date;
  /**
   * The project's holiday calendar when the caller has read it (and reports its problems itself, as `check`
   * does). Without it, calendar/*.yaml is read here: its problems are added, and while any is an error no
   * campaign is returned (nothing is planned or published on a calendar that is wrong).
   */
  calendar?: Calendar;
}

export interface LoadResult {
  /** Campaigns with no error-severity problem, in folder-name order. */
  campaigns: Campaign[];
  /** Every problem in every file, errors and warnings. */
  problems: Problem[];
  /** The holiday calendar the campaigns were checked against (the project's: calendar/*.yaml over chinese-days). */
  calendar: Calendar;
}

export { SLUG } from './schema.js';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Why `root` cannot be a project (no such folder, no advisories/ folder in it),
 * for commands to report as a usage error; undefined when it is fine.
 */
export function projectRootProblem(root: string): string | undefined {
  const m = contentMessages();
  const hint = m.notAProjectHint;
  if (!existsSync(root)) return m.rootMissing(root, hint);
  if (!isFolder(root)) return m.rootIsFile(root, hint);
  const dir = join(root, 'advisories');
  if (!existsSync(dir)) return m.noAdvisoriesFolder(root, hint);
  if (!isFolder(dir)) return m.advisoriesIsFile(dir);
  return undefined;
}

/** Campaign folder names under `<root>/advisories/` (for usage messages). */
export function listCampaigns(root: string): string[] {
  const dir = join(root, 'advisories');
  if (!isFolder(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && isDir(join(dir, e.name), e))
    .map((e) => e.name)
    .sort();
}

/** What every campaign of a project is loaded with: its holiday calendar and the channels' least intervals, with their problems. */
export interface ProjectSettings {
  calendar: Calendar;
  minIntervals: MinIntervals;
  problems: Problem[];
}

/** Reads calendar/*.yaml and channels/*.yaml `min_interval` once, for a caller that loads a project in parts (render-pool.ts). */
export function projectSettings(root: string): ProjectSettings {
  const project = loadProjectCalendar(root);
  const intervals = isFolder(join(root, 'advisories')) ? minIntervals(root) : { values: {}, problems: [] };
  return { calendar: project.calendar, minIntervals: intervals.values, problems: [...project.problems, ...intervals.problems] };
}

/**
 * `settings`: read once by the caller (projectSettings) for a project loaded in parts; their problems are added
 * to this part's when it reports the folder's own (`folderProblems`, or no `only`).
 */
export function loadProject(root: string, options: LoadOptions = {}, settings?: ProjectSettings): LoadResult {
  if (options.calendar) return loadCampaigns(root, { ...options, calendar: options.calendar });
  const project = settings ?? projectSettings(root);
  const loaded = loadCampaigns(root, { ...options, calendar: project.calendar, minIntervals: project.minIntervals });
  const calendarErrors = project.problems.some((p) => p.severity === 'error');
  const reported = !settings || !options.only || options.folderProblems ? project.problems : [];
  return { ...loaded, campaigns: calendarErrors ? [] : loaded.campaigns, problems: [...reported, ...loaded.problems] };
}

function loadCampaigns(root: string, options: LoadOptions & { calendar: Calendar }): LoadResult {
  const dir = join(root, 'advisories');
  const problems: Problem[] = [];
  const campaigns: Campaign[] = [];
  const calendar = options.calendar;
  if (!isFolder(dir)) {
    problems.push({ file: 'advisories', line: 1, column: 1, severity: 'error', rule: 'no-advisories-folder', message: projectRootProblem(root) ?? contentMessages().advisoriesUnreadable(root) });
    return { campaigns, problems, calendar };
  }
  const realDir = realpathSync(dir);
  if (!options.minIntervals) {
    const intervals = minIntervals(root);
    problems.push(...intervals.problems);
    options = { ...options, minIntervals: intervals.values };
  }
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
    if (entry.name.startsWith('.')) continue;
    const rel = `advisories/${entry.name}`;
    const abs = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(abs);
      } catch {
        problems.push(err(rel, contentMessages().brokenSymlink, 'broken-symlink'));
        continue;
      }
      if (!isInside(target, realDir) || target === realDir) {
        problems.push(err(rel, contentMessages().symlinkOutsideAdvisories(target), 'symlink-outside'));
        continue;
      }
    }
    const markdownName = /\.(md|markdown)$/i.test(entry.name);
    if (markdownName && (!options.only || options.folderProblems) && fileKind(abs) !== 'file' && !existsSync(join(abs, 'campaign.yaml'))) {
      // A folder (without a campaign.yaml), pipe or device named like an advisory: neither a campaign nor a Markdown file.
      problems.push({ ...err(rel, contentMessages().notMarkdownNorCampaign(contentMessages().kindName(fileKind(abs) as FileKind | undefined)), 'ignored-file'), severity: 'warning' });
      continue;
    }
    if (isDir(abs, entry)) {
      if (options.only && !options.only.includes(entry.name)) continue;
      const result = loadCampaign(root, entry.name, realDir, options);
      problems.push(...result.problems);
      const other = result.campaign && campaigns.find((c) => c.id === result.campaign!.id);
      if (other && result.campaign) {
        const c = result.campaign;
        problems.push({ ...err(c.file, contentMessages().duplicateCampaignId(c.id, other.folder, c.folder), 'duplicate-campaign-id'), ...(c.places.id ?? {}) });
      } else if (result.campaign && !result.problems.some((p) => p.severity === 'error')) campaigns.push(result.campaign);
    } else if ((!options.only || options.folderProblems) && /\.(md|markdown)$/i.test(entry.name)) {
      problems.push(err(rel, contentMessages().markdownOutsideCampaign, 'markdown-outside-campaign'));
    }
  }
  return { campaigns, problems, calendar };
}

function loadCampaign(root: string, folder: string, realAdvisories: string, options: LoadOptions): { campaign?: Campaign; problems: Problem[] } {
  const dir = `advisories/${folder}`;
  const absDir = join(root, dir);
  const file = `${dir}/campaign.yaml`;
  const problems: Problem[] = [];
  const fromFolder = folderId(folder);
  const absFile = join(absDir, 'campaign.yaml');
  // without a readable campaign.yaml there is no id: to take instead of the folder's name
  if (fromFolder === undefined && !existsSync(absFile)) problems.push(err(file, contentMessages().campaignFolderName(folder), 'campaign-id'));
  if (!existsSync(absFile)) {
    const other = ['campaign.yml', 'Campaign.yaml', 'campaign.yaml.txt'].find((n) => existsSync(join(absDir, n)));
    problems.push(err(file, contentMessages().missingCampaignYaml(dir, other), 'missing-campaign-yaml'));
    return { problems };
  }
  const read = readBytes(absFile, file, realAdvisories, MAX_CONTENT_BYTES);
  if (!read.ok) return { problems: [...problems, read.problem] };
  const decoded = decodeUtf8(read.bytes, file);
  if (!decoded.ok) return { problems: [...problems, decoded.problem] };
  const parsed = parseCampaign(decoded.text, file, options);
  problems.push(...parsed.problems);
  // an explicit id: wins; else the folder's name, in pinyin when it is written in Chinese (2027-春节 → 2027-chun-jie)
  const id = parsed.data?.id ?? fromFolder;
  if (id === undefined && (parsed.data || !parsed.source?.has(['id']))) problems.push(err(file, contentMessages().campaignFolderName(folder), 'campaign-id'));

  const advisories = loadAdvisories(root, dir, realAdvisories, options);
  problems.push(...advisories.problems);
  if (!parsed.data || id === undefined) return { problems };

  const refs = checkRefs({ root, dir, file, data: parsed.data, source: parsed.source, advisories: advisories.items });
  problems.push(...refs.problems);
  if (advisories.items.length === 0 && !advisories.problems.some((p) => p.severity === 'error')) {
    problems.push(err(file, contentMessages().noAdvisories(dir), 'no-advisories'));
  }
  const { schedule, id: _explicit, ...rest } = parsed.data;
  const campaign: Campaign = {
    ...rest,
    ...(rest.cover !== undefined ? { cover: normalizeRef(rest.cover) } : {}),
    id,
    folder,
    dir,
    absDir,
    file,
    schedule,
    advisories: advisories.items.map((a) => a.advisory),
    contentHash: contentHash(read.bytes, advisories.items, refs.images),
    places: topLevelPlaces(parsed.source),
    assets: Object.fromEntries(refs.images.map((i) => [i.path, sha256(i.bytes)])),
  };
  return { campaign, problems };
}

/**
 * `min_interval` of every channel from channels/<name>.yaml (built-in defaults
 * when a file does not load: its own problems are reported by the channel checks).
 */
function minIntervals(root: string): { values: MinIntervals; problems: Problem[] } {
  const values: Partial<Record<(typeof CHANNEL_NAMES)[number], number>> = {};
  const problems: Problem[] = [];
  for (const channel of CHANNEL_NAMES) {
    let text: unknown;
    try {
      text = loadChannelConfig(root, channel, {}).settings.min_interval;
    } catch (err) {
      if (err instanceof ConfigError) continue;
      throw err;
    }
    const seconds = parseInterval(String(text));
    if (seconds === undefined) {
      const file = `channels/${channel}.yaml`;
      const line = readFileSync(join(root, file), 'utf8').split('\n').findIndex((l) => /^min_interval\s*:/.test(l)) + 1;
      problems.push({ ...err(file, contentMessages().minIntervalNotDuration(String(text)), 'channel-config'), line: Math.max(line, 1) });
    } else {
      values[channel] = seconds;
    }
  }
  return { values, problems };
}

/** The id a campaign folder's name gives: the name itself, or its pinyin when written in Chinese; undefined when it gives none. */
export function folderId(folder: string): string | undefined {
  return SLUG.test(folder) ? folder : pinyinId(folder);
}

/**
 * The campaign folder a name typed by staff or sent by a form means: a folder name, or a campaign id (the
 * pinyin of a Chinese folder name, or campaign.yaml's id:). Reads campaign.yaml files only when no folder
 * has the name. Undefined when none does.
 */
export function campaignFolderOf(root: string, name: string): string | undefined {
  const folders = listCampaigns(root);
  if (folders.includes(name)) return name;
  return [...campaignIds(root, folders)].find(([id]) => id === name)?.[1];
}

/** Campaign id → folder, for every campaign folder (explicit id: from campaign.yaml, else folderId). */
export function campaignIds(root: string, folders = listCampaigns(root)): Map<string, string> {
  const out = new Map<string, string>();
  for (const folder of folders) {
    const id = explicitId(root, folder) ?? folderId(folder);
    if (id !== undefined && !out.has(id)) out.set(id, folder);
  }
  return out;
}

/** campaign.yaml's `id:`, when it has a valid one (read without the full checks: the loader reports the rest). */
function explicitId(root: string, folder: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, 'advisories', folder, 'campaign.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  if (!/^id\s*:/m.test(text)) return undefined;
  const value = readYaml(text, 'campaign.yaml').value as { id?: unknown } | undefined;
  return typeof value?.id === 'string' && SLUG.test(value.id) ? value.id : undefined;
}

function isDir(abs: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

function err(file: string, message: string, rule: string): Problem {
  return { file, line: 1, column: 1, severity: 'error', message, rule };
}
