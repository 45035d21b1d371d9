import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { assertKnownCampaigns } from './campaign-arg.js';
import { AdvisoryError, ConfigError, TemplateError, UsageError, formatProblem, type Problem } from '../../errors.js';
import { listCampaigns, loadProject, projectRootProblem } from '../../content/load.js';
import { fileNameId } from '../../content/load-advisories.js';
import { channelChecker } from '../../channels/check-all.js';
import { baseUrlProblem, loadChannelConfig, siteConfig, type SiteConfig } from '../../config/channels.js';
import { advisoryUrl, campaignUrl } from '../../render/urls.js';
import { loadProjectCalendar } from '../../content/project-calendar.js';
import type { ChannelProblem } from '../../channels/channel.js';
import type { Campaign } from '../../content/model.js';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { campaignCache, campaignOfProblem, projectSettingsHash } from '../../content/inputs.js';
import { readTemplateFiles } from '../../render/template-files.js';
import { checkMessages } from '../../i18n/messages-check.js';

export const checkCommand: Command = {
  name: 'check',
  get usage() {
    return checkMessages().usage;
  },
  options: { json: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    const notAProject = projectRootProblem(root);
    if (notAProject) throw new UsageError(notAProject);
    const names = assertKnownCampaigns(root, positionals);
    const only = names.length ? names : undefined;
    const now = io.now();
    const ids = only ?? listCampaigns(root);
    // An unchanged campaign (same files, templates, channels/*.yaml, program) is answered from
    // var/cache/check/ without loading or rendering it; the others are checked and remembered.
    // the day (in China): an evergreen campaign's next holiday, and so its calendar warning, changes when one ends
    // (campaignCache adds the language: the problems and notes are kept as they were said)
    const common = JSON.stringify([readTemplateFiles(root).hash, projectSettingsHash(root), localDay(now)]);
    const cache = campaignCache<CheckRecord>(root, join(root, 'var', 'cache', 'check'), common, now);
    const records = new Map<string, CheckRecord>();
    for (const id of ids) {
      const record = cache.get(id);
      if (record) records.set(id, record);
    }
    const misses = ids.filter((id) => !records.has(id));
    for (const id of misses) records.set(id, { load: [], channel: [], advisories: null, notes: [] });
    // calendar/*.yaml: its problems are the project's (reported here whichever campaigns are checked), and the
    // campaigns are checked against what of it reads, so theirs are reported too
    const projectCalendar = loadProjectCalendar(root);
    const loaded = loadProject(root, { only: misses, folderProblems: !only, now, calendar: projectCalendar.calendar });
    const general: Problem[] = [...projectCalendar.problems]; // the advisories/ folder's own, channels/*.yaml's, calendar/*.yaml's
    for (const p of loaded.problems) (records.get(campaignOfProblem(p) ?? '')?.load ?? general).push(p);
    const checkOne = channelChecker(root);
    const site = lazySite(root);
    for (const campaign of loaded.campaigns) {
      const record = records.get(campaign.folder)!;
      record.advisories = campaign.advisories.map((a) => a.id);
      if (campaign.id !== campaign.folder) record.id = campaign.id;
      record.notes = pinyinNotes(site, campaign);
      record.channel = channelProblems(checkOne, campaign);
    }
    for (const id of misses) cache.set(id, records.get(id)!);

    const problems = [...general, ...ids.flatMap((id) => records.get(id)!.load)];
    const seen = new Set(problems.map(formatProblem));
    for (const id of ids) {
      // A shared template problem is reported once, not once per campaign.
      for (const p of records.get(id)!.channel) if (!seen.has(formatProblem(p)) && seen.add(formatProblem(p))) problems.push(p);
    }
    const campaigns = ids.flatMap((id) => {
      const { advisories, id: campaignId } = records.get(id)!;
      // a folder named in Chinese (2027-春节) shows its id (2027-chun-jie) and its name
      return advisories ? [{ id: campaignId ?? id, ...(campaignId !== undefined && campaignId !== id ? { folder: id } : {}), advisories }] : [];
    });
    const siteProblem = campaigns.length > 0 ? baseUrlOf(root, io.env) : null;
    if (siteProblem) problems.push(siteProblem);
    problems.sort(byPlace);

    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - errors;
    // every advisory file checked, those of campaigns with errors too ("0 advisories" for a campaign of 3 files misled)
    const advisories = ids.reduce((n, id) => n + advisoryFiles(root, id), 0);
    const summary = { campaigns: ids.length, valid: campaigns.length, advisories, errors, warnings };
    if (values.json) {
      io.out(JSON.stringify({ ok: errors === 0, campaigns, problems, summary }, null, 2));
    } else {
      for (const p of problems) io.out(formatProblem(p));
      for (const id of ids) for (const note of records.get(id)!.notes ?? []) io.out(note);
      io.out(checkMessages().summary(ids.length, ids.length - campaigns.length, advisories, errors, warnings));
    }
    return errors === 0 ? EXIT.OK : EXIT.FAILED;
  },
};

/** The loopback base_url warning; a channels/*.yaml that does not load is reported by the channel checks instead. */
function baseUrlOf(root: string, env: NodeJS.ProcessEnv): Problem | null {
  try {
    return baseUrlProblem(root, env);
  } catch (err) {
    if (err instanceof ConfigError) return null;
    throw err;
  }
}

/** The channels' limits (title lengths, 140 characters, …) for one valid campaign, as Problems. */
function channelProblems(checkOne: (campaign: Campaign) => ChannelProblem[], campaign: Campaign): Problem[] {
  try {
    return checkOne(campaign).map((p) => ({
      file: p.file ?? campaign.file,
      line: p.line ?? 1,
      column: p.column ?? 1,
      severity: p.severity,
      // a WeChat article's field is named in its message, counted from 1 with its file; the payload path would count from 0
      message: checkMessages().channelSays(p.channel, p.message, p.field && !/^articles\[\d+\]/.test(p.field) ? p.field : undefined),
      rule: p.rule,
    }));
  } catch (err) {
    if (err instanceof ConfigError && err.problems.length > 0) return err.problems;
    if (err instanceof TemplateError) {
      return [{ file: err.file, line: err.line ?? 1, column: err.column ?? 1, severity: 'error', message: err.message, rule: 'template' }];
    }
    if (err instanceof AdvisoryError) {
      return [{ file: campaign.file, line: 1, column: 1, severity: 'error', message: checkMessages().renderFailed(err.message), rule: 'render' }];
    }
    if (err instanceof RangeError) {
      // Input too big or too deep for a renderer (a stack overflow): a content problem to report, not a crash.
      return [{ file: campaign.file, line: 1, column: 1, severity: 'error', message: checkMessages().renderTooBig(err.message), rule: 'render' }];
    }
    throw err;
  }
}

/** What `check` keeps of a campaign between runs (var/cache/check/<id>.json). */
interface CheckRecord {
  /** Problems of its files (parsing, validation). */
  load: Problem[];
  /** The channels' limits, for a valid campaign. */
  channel: Problem[];
  /** Its advisories' ids when valid; null when it has errors. */
  advisories: string[] | null;
  /** Its id when valid, if not the folder's name (a folder named in Chinese; campaign.yaml's id:). */
  id?: string;
  /** Lines that are not problems: the ids made from Chinese file names, with the web address they give. */
  notes?: string[];
}

/** channels/website.yaml's settings, read once for every campaign checked (undefined when broken: the channel checks report that). */
function lazySite(root: string): () => SiteConfig | undefined {
  let site: { value?: SiteConfig } | undefined;
  return () => {
    if (!site) {
      try {
        site = { value: siteConfig(loadChannelConfig(root, 'website', {})) };
      } catch {
        site = {};
      }
    }
    return site.value;
  };
}

/** For the campaign and each advisory whose id was made in pinyin from a Chinese name: which id, and the page's address. */
function pinyinNotes(siteOf: () => SiteConfig | undefined, campaign: Campaign): string[] {
  const notes: string[] = [];
  if (!('id' in campaign.places) && campaign.id !== campaign.folder) {
    const site = siteOf();
    notes.push(checkMessages().campaignIdNote(campaign.dir, campaign.id, site && campaignUrl(site, campaign)));
  }
  for (const a of campaign.advisories) {
    if ('id' in a.places || fileNameId(a.file.split('/').pop()!) === a.id) continue;
    const site = siteOf();
    notes.push(checkMessages().advisoryIdNote(a.file, a.id, site && advisoryUrl(site, campaign, a)));
  }
  return notes;
}

/** How many advisory files (`*.md` directly in it) a campaign folder holds. */
function advisoryFiles(root: string, id: string): number {
  try {
    return readdirSync(join(root, 'advisories', id)).filter((n) => /\.md$/i.test(n) && !n.startsWith('.')).length;
  } catch {
    return 0;
  }
}

/** The date in China (UTC+8 all year) of `now`. */
function localDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function byPlace(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
