/** Reads the advisories (`*.md`, in file-name order) of one campaign folder. */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import type { Advisory } from './model.js';
import { decodeUtf8, MAX_CONTENT_BYTES, readBytes } from './read-file.js';
import { parseAdvisory, type ParsedAdvisory } from './parse.js';
import type { CheckOptions } from './validate-campaign.js';
import { posix } from 'node:path';
import { SLUG } from './schema.js';
import { pinyinId } from './pinyin-id.js';
import { sha256 } from '../hash.js';
import { topLevelPlaces } from './yaml-source.js';
import { contentMessages, type FileKind } from '../i18n/messages-content.js';

/** `images\cover.png` (typed on Windows) → `images/cover.png`, the form every channel reads. */
export const normalizeRef = (ref: string): string => posix.normalize(ref.replace(/\\/g, '/'));

export interface LoadedAdvisory {
  advisory: Advisory;
  bytes: Buffer;
  parsed: ParsedAdvisory;
}

export function loadAdvisories(root: string, dir: string, realAdvisories: string, options: CheckOptions): { items: LoadedAdvisory[]; problems: Problem[] } {
  const items: LoadedAdvisory[] = [];
  const problems: Problem[] = [];
  const entries = readdirSync(join(root, dir), { withFileTypes: true });
  const named = entries.filter((e) => e.name.toLowerCase().endsWith('.md') && !e.name.startsWith('.'));
  const names: string[] = [];
  for (const e of named) {
    // A folder, named pipe or device called x.md is no advisory; reading a pipe would wait for ever.
    const kind = e.isSymbolicLink() || !e.isFile() ? fileKind(join(root, dir, e.name)) : 'file';
    if (kind === 'file' || kind === undefined) names.push(e.name); // undefined: a broken link, reported when read
    else problems.push({ file: `${dir}/${e.name}`, line: 1, column: 1, severity: 'warning', rule: 'ignored-file', message: contentMessages().notAFileMd(contentMessages().kindName(kind)) });
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  problems.push(...unpublishedLookalikes(root, dir, entries));
  const ids = new Map<string, string>();
  for (const name of names) {
    const file = `${dir}/${name}`;
    const read = readBytes(join(root, file), file, realAdvisories, MAX_CONTENT_BYTES);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const decoded = decodeUtf8(read.bytes, file);
    if (!decoded.ok) {
      problems.push(decoded.problem);
      continue;
    }
    const parsed = parseAdvisory(decoded.text, file, options);
    problems.push(...parsed.problems);
    if (!parsed.frontMatter) continue;
    const derived = fileNameId(name);
    // a name in Chinese (01-入室盗窃.md) gives its id in pinyin (ru-shi-dao-qie); `check` shows it
    const id = parsed.frontMatter.id ?? (SLUG.test(derived) ? derived : (pinyinId(derived) ?? derived));
    const place = parsed.frontMatter.id && parsed.source ? parsed.source.locate(['id']) : { line: 1, column: 1 };
    if (!parsed.frontMatter.id && !SLUG.test(id)) {
      problems.push({ file, ...place, severity: 'error', rule: 'advisory-id', message: contentMessages().advisoryIdInvalid(id) });
      continue;
    }
    const first = ids.get(id);
    if (first) {
      problems.push({ file, ...place, severity: 'error', rule: 'duplicate-id', message: contentMessages().duplicateId(id, first) });
      continue;
    }
    ids.set(id, file);
    const advisory: Advisory = {
      ...parsed.frontMatter,
      ...(parsed.frontMatter.image !== undefined ? { image: normalizeRef(parsed.frontMatter.image) } : {}),
      id,
      file,
      index: items.length,
      body: parsed.body,
      bodyLine: parsed.bodyLine,
      hash: sha256(read.bytes),
      places: parsed.source ? topLevelPlaces(parsed.source) : {},
    };
    items.push({ advisory, bytes: read.bytes, parsed });
  }
  return { items, problems };
}

/** The id a file name gives (`01-burglary.md` → `burglary`; `01-入室盗窃.md` → `入室盗窃`, made pinyin by the loader). */
export function fileNameId(name: string): string {
  return name.replace(/\.md$/i, '').replace(/^\d+[-_]/, '');
}

/** What is at `abs` (following links): 'file', 'folder', 'fifo' (a named pipe), …; undefined when nothing is. */
export function fileKind(abs: string): 'file' | FileKind | undefined {
  let st;
  try {
    st = statSync(abs);
  } catch {
    return undefined;
  }
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'folder';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'device';
}

/** Text that is easy to mistake for an advisory: Notepad's `.md.txt`, `.markdown`, a `.md` in a subfolder. */
const LOOKALIKE = /\.(markdown|mdown|mkd|txt)$/i;

/**
 * Files a writer probably meant as advisories but that are never published
 * (only `*.md` directly in the campaign folder are): a warning each, so an
 * advisory does not silently go missing. Hidden files and editor backups
 * (`.DS_Store`, `01-x.md~`, `.01-x.md.swp`) are ignored without a word.
 */
function unpublishedLookalikes(root: string, dir: string, entries: Dirent[]): Problem[] {
  const out: Problem[] = [];
  const warn = (file: string, message: string) => out.push({ file, line: 1, column: 1, severity: 'warning', message, rule: 'ignored-file' });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isFile() && LOOKALIKE.test(e.name)) {
      const fixed = e.name.replace(/(\.md)?\.(markdown|mdown|mkd|txt)$/i, '.md');
      warn(`${dir}/${e.name}`, contentMessages().lookalike(fixed));
    } else if (e.isDirectory()) {
      let inside: string[];
      try {
        inside = readdirSync(join(root, dir, e.name)).filter((n) => !n.startsWith('.') && /\.md$/i.test(n));
      } catch {
        continue;
      }
      for (const n of inside.sort()) {
        warn(`${dir}/${e.name}/${n}`, contentMessages().inSubfolder(dir, e.name));
      }
    }
  }
  return out;
}
