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
import { topLevelPlaces } from './yaml-source.js';
import { sha256 } from '../hash.js';
import { SLUG } from './schema.js';
import { CHANNEL_NAMES } from '../config/channel-names.js';
import { loadChannelConfig } from '../config/channels.js';
import { ConfigError } from '../errors.js';
import { parseInterval, type MinIntervals } from './schedule-frequency.js';

export interface LoadOptions {
  /** Each channel's least interval between posts (seconds); default: read from channels/<name>.yaml `min_interval`. */
  minIntervals?: MinIntervals;
  /** Only these campaign ids (folder names). */
  only?: string[];
  /** With `only`: still report what is wrong in the advisories/ folder itself (Markdown outside a campaign). */
  folderProblems?: boolean;
  /** The clock, for "expired" warnings; without it those are skipped. */
  now?: Date;
}

export interface LoadResult {
  /** Campaigns with no error-severity problem, in folder-name order. */
  campaigns: Campaign[];
  /** Every problem in every file, errors and warnings. */
  problems: Problem[];
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
  const hint = 'run the command inside your project folder (the one that holds advisories/), or name it with --root DIR';
  if (!existsSync(root)) return `the folder ${root} does not exist: ${hint}`;
  if (!isFolder(root)) return `${root} is a file, not a folder: ${hint}`;
  const dir = join(root, 'advisories');
  if (!existsSync(dir)) return `there is no advisories/ folder in ${root}: ${hint}; to start a new project there, run \`advisory new <id>\``;
  if (!isFolder(dir)) return `${dir} is a file, but it must be the folder that holds the campaigns: rename or remove it, then run \`advisory new <id>\``;
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

export function loadProject(root: string, options: LoadOptions = {}): LoadResult {
  const dir = join(root, 'advisories');
  const problems: Problem[] = [];
  const campaigns: Campaign[] = [];
  if (!isFolder(dir)) {
    problems.push({ file: 'advisories', line: 1, column: 1, severity: 'error', rule: 'no-advisories-folder', message: projectRootProblem(root) ?? `cannot read the advisories/ folder in ${root}` });
    return { campaigns, problems };
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
        problems.push(err(rel, 'this symbolic link points to nothing: remove it', 'broken-symlink'));
        continue;
      }
      if (!isInside(target, realDir) || target === realDir) {
        problems.push(err(rel, `refused: this is a symbolic link to ${target}, outside the advisories folder. Copy the campaign here instead of linking it`, 'symlink-outside'));
        continue;
      }
    }
    const markdownName = /\.(md|markdown)$/i.test(entry.name);
    if (markdownName && (!options.only || options.folderProblems) && fileKind(abs) !== 'file' && !existsSync(join(abs, 'campaign.yaml'))) {
      // A folder (without a campaign.yaml), pipe or device named like an advisory: neither a campaign nor a Markdown file.
      problems.push({ ...err(rel, `this is ${fileKind(abs) ?? 'a broken link'}, not a Markdown file or a campaign folder, so it is ignored: rename or remove it`, 'ignored-file'), severity: 'warning' });
      continue;
    }
    if (isDir(abs, entry)) {
      if (options.only && !options.only.includes(entry.name)) continue;
      const result = loadCampaign(root, entry.name, realDir, options);
      problems.push(...result.problems);
      if (result.campaign && !result.problems.some((p) => p.severity === 'error')) campaigns.push(result.campaign);
    } else if ((!options.only || options.folderProblems) && /\.(md|markdown)$/i.test(entry.name)) {
      problems.push(err(rel, 'this Markdown file is not in a campaign folder, so it is never published: move it into a folder under advisories/ that has a campaign.yaml (e.g. advisories/national-day/)', 'markdown-outside-campaign'));
    }
  }
  return { campaigns, problems };
}

function loadCampaign(root: string, id: string, realAdvisories: string, options: LoadOptions): { campaign?: Campaign; problems: Problem[] } {
  const dir = `advisories/${id}`;
  const absDir = join(root, dir);
  const file = `${dir}/campaign.yaml`;
  const problems: Problem[] = [];
  if (!SLUG.test(id)) {
    problems.push(err(file, `the campaign folder name "${id}" is used in web addresses and delivery keys, so it must be lower-case letters, digits and dashes (e.g. 2014-national-day): rename the folder`, 'campaign-id'));
  }
  const absFile = join(absDir, 'campaign.yaml');
  if (!existsSync(absFile)) {
    const other = ['campaign.yml', 'Campaign.yaml', 'campaign.yaml.txt'].find((n) => existsSync(join(absDir, n)));
    problems.push(err(file, `the campaign folder ${dir}/ has no campaign.yaml${other ? `; found "${other}": rename it to campaign.yaml` : ': add one (title, issuer, summary, schedule; `advisory new <id>` writes an example)'}`, 'missing-campaign-yaml'));
    return { problems };
  }
  const read = readBytes(absFile, file, realAdvisories, MAX_CONTENT_BYTES);
  if (!read.ok) return { problems: [...problems, read.problem] };
  const decoded = decodeUtf8(read.bytes, file);
  if (!decoded.ok) return { problems: [...problems, decoded.problem] };
  const parsed = parseCampaign(decoded.text, file, options);
  problems.push(...parsed.problems);

  const advisories = loadAdvisories(root, dir, realAdvisories, options);
  problems.push(...advisories.problems);
  if (!parsed.data) return { problems };

  const refs = checkRefs({ root, dir, file, data: parsed.data, source: parsed.source, advisories: advisories.items });
  problems.push(...refs.problems);
  if (advisories.items.length === 0 && !advisories.problems.some((p) => p.severity === 'error')) {
    problems.push(err(file, `the campaign has no advisories: add at least one Markdown file next to campaign.yaml, e.g. ${dir}/01-burglary.md`, 'no-advisories'));
  }
  const { schedule, ...rest } = parsed.data;
  const campaign: Campaign = {
    ...rest,
    ...(rest.cover !== undefined ? { cover: normalizeRef(rest.cover) } : {}),
    id,
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
      problems.push({ ...err(file, `min_interval: "${String(text)}" is not a duration: write the least time between two posts as 30m, 1h or 1d, or 0 for no minimum`, 'channel-config'), line: Math.max(line, 1) });
    } else {
      values[channel] = seconds;
    }
  }
  return { values, problems };
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
