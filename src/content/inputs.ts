/**
 * What a campaign's load and render are made from, as one digest, known
 * before anything is parsed: every file in its folder (names and bytes, in
 * sub-folders too, links followed) and the project's channel settings
 * (channels/*.yaml: limits and intervals the checks apply). Callers add the
 * templates hash, their options and the date (for "expired" warnings); a cache
 * keyed by the sum can skip loading and rendering an unchanged campaign.
 */
import { createHash, type Hash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Digest of every file under advisories/<id>/. Unreadable entries count by name and kind, so they still change the digest. */
export function campaignInputsHash(root: string, id: string): string {
  const h = createHash('sha256');
  addTree(h, join(root, 'advisories', id), '');
  return h.digest('hex');
}

/** Digest of channels/*.yaml (names and bytes). */
export function channelSettingsHash(root: string): string {
  const h = createHash('sha256');
  const dir = join(root, 'channels');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch {
    // no channels/ folder: the defaults
  }
  for (const name of names) addFile(h, join(dir, name), name);
  return h.digest('hex');
}

/** Larger files (the loader refuses them) count by size and time, not read. */
const MAX_HASHED_BYTES = 16 * 1024 * 1024;

function addTree(h: Hash, dir: string, rel: string, depth = 0): void {
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
      if (depth < 8) addTree(h, path, label, depth + 1);
      else h.update(`d${label}\n`);
    } else if (st.isFile() && st.size > MAX_HASHED_BYTES) h.update(`b${label}:${st.size}:${st.mtimeMs}\n`); // refused by the loader anyway
    else if (st.isFile()) addFile(h, path, label);
    else h.update(`s${label}\n`); // a pipe or device: never read
  }
}

function addFile(h: Hash, path: string, label: string): void {
  try {
    const bytes = readFileSync(path);
    h.update(`f${label}:${bytes.length}\n`);
    h.update(bytes);
  } catch (err) {
    h.update(`!${label}:${(err as NodeJS.ErrnoException).code}\n`);
  }
}
