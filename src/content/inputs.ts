/**
 * What a campaign's load and render are made from, as one digest, known
 * before anything is parsed: every file in its folder (names and bytes, in
 * sub-folders too, links followed) and the project's settings (channels/*.yaml:
 * limits and intervals the checks apply; the holiday calendar). Callers add the
 * templates hash, their options and the date (for "expired" warnings); a cache
 * keyed by the sum can skip loading and rendering an unchanged campaign.
 */
import { createHash, type Hash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { officialDataIdentity } from '../calendar/official-data.js';
import { jsonCache } from '../fs/json-cache.js';
import { lang } from '../i18n/index.js';

export interface CampaignInputs {
  /** Digest of every file under advisories/<id>/. Unreadable entries count by name and kind, so they still change it. */
  hash: string;
  /**
   * Some file says `expires`: its "expired" warnings depend on the minute it is
   * checked, so a cache must key it by the minute too.
   */
  mentionsExpiry: boolean;
}

export function campaignInputs(root: string, id: string): CampaignInputs {
  const h = createHash('sha256');
  const seen = { expiry: false };
  addTree(h, join(root, 'advisories', id), '', seen);
  return { hash: h.digest('hex'), mentionsExpiry: seen.expiry };
}

/**
 * Digest of the project's settings a campaign's checks depend on: channels/*.yaml and calendar/*.yaml
 * (names and bytes), and the copy of chinese-days' holiday data in use.
 */
export function projectSettingsHash(root: string): string {
  const h = createHash('sha256');
  for (const folder of ['channels', 'calendar']) {
    const dir = join(root, folder);
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
    } catch {
      // no such folder: the defaults
    }
    for (const name of names) addFile(h, join(dir, name), `${folder}/${name}`, { expiry: false });
  }
  h.update(`chinese-days:${officialDataIdentity()}\n`);
  return h.digest('hex');
}

/** Records kept per campaign between runs, each valid only for the inputs it was made from. */
export interface CampaignCache<T> {
  get(id: string): T | undefined;
  set(id: string, record: T): void;
}

/**
 * A record per campaign folder in `dir` (under var/cache/), keyed by `common` (what every campaign's answer
 * depends on: templates, settings, options, the day…), the language (a record holds problems as they were
 * said: one checked in Chinese is not an answer in English) and the campaign's own files. With `now`, a
 * campaign whose files say `expires` is keyed by its minute as well ("expired" warnings change with the clock).
 */
export function campaignCache<T>(root: string, dir: string, common: string, now?: Date): CampaignCache<T> {
  const store = jsonCache<T>(dir);
  const keys = new Map<string, string>();
  const key = (id: string): string => {
    let k = keys.get(id);
    if (k === undefined) {
      const inputs = campaignInputs(root, id);
      k = `${common}\0${lang()}\0${inputs.hash}${now && inputs.mentionsExpiry ? `\0${now.toISOString().slice(0, 16)}` : ''}`;
      keys.set(id, k);
    }
    return k;
  };
  return { get: (id) => store.get(id, key(id)), set: (id, record) => store.set(id, key(id), record) };
}

/** The campaign folder a problem's file is in; undefined for the advisories/ folder itself and the project's settings. */
export function campaignOfProblem(p: { file: string }): string | undefined {
  return /^advisories\/([^/]+)\//.exec(p.file)?.[1];
}

/** Larger files (the loader refuses them) count by size and time, not read. */
const MAX_HASHED_BYTES = 16 * 1024 * 1024;

function addTree(h: Hash, dir: string, rel: string, seen: { expiry: boolean }, depth = 0): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    h.update(`!${rel}:${(err as NodeJS.ErrnoException).code}\n`);
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const label = `${rel}/${name}`;
    let st;
    try {
      st = statSync(path);
    } catch {
      h.update(`?${label}\n`); // a broken link
      continue;
    }
    if (st.isDirectory()) {
      if (depth < 8) addTree(h, path, label, seen, depth + 1);
      else h.update(`d${label}\n`);
    } else if (st.isFile() && st.size > MAX_HASHED_BYTES) h.update(`b${label}:${st.size}:${st.mtimeMs}\n`); // refused by the loader anyway
    else if (st.isFile()) addFile(h, path, label, seen);
    else h.update(`s${label}\n`); // a pipe or device: never read
  }
}

const EXPIRES = Buffer.from('expires');

function addFile(h: Hash, path: string, label: string, seen: { expiry: boolean }): void {
  try {
    const bytes = readFileSync(path);
    h.update(`f${label}:${bytes.length}\n`);
    h.update(bytes);
    if (!seen.expiry && bytes.includes(EXPIRES)) seen.expiry = true;
  } catch (err) {
    h.update(`!${label}:${(err as NodeJS.ErrnoException).code}\n`);
  }
}
