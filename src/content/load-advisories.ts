/** Reads the advisories (`*.md`, in file-name order) of one campaign folder. */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import type { Advisory } from './model.js';
import { decodeUtf8, MAX_CONTENT_BYTES, readBytes } from './read-file.js';
import { parseAdvisory, type ParsedAdvisory } from './parse.js';
import type { CheckOptions } from './validate-campaign.js';

export interface LoadedAdvisory {
  advisory: Advisory;
  bytes: Buffer;
  parsed: ParsedAdvisory;
}

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export function loadAdvisories(root: string, dir: string, realAdvisories: string, options: CheckOptions): { items: LoadedAdvisory[]; problems: Problem[] } {
  const items: LoadedAdvisory[] = [];
  const problems: Problem[] = [];
  const names = readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.md') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
    const derived = name.replace(/\.md$/i, '').replace(/^\d+[-_]/, '');
    const id = parsed.frontMatter.id ?? derived;
    const place = parsed.frontMatter.id && parsed.source ? parsed.source.locate(['id']) : { line: 1, column: 1 };
    if (!parsed.frontMatter.id && !SLUG.test(id)) {
      problems.push({ file, ...place, severity: 'error', rule: 'advisory-id', message: `the advisory id "${id}" (from the file name) must be lower-case letters, digits and dashes, as it is used in web addresses: rename the file (e.g. 01-burglary.md) or set id: burglary in the front matter` });
      continue;
    }
    const first = ids.get(id);
    if (first) {
      problems.push({ file, ...place, severity: 'error', rule: 'duplicate-id', message: `the advisory id "${id}" is already used by ${first}: ids must be unique within a campaign; rename the file or set a different id: in the front matter` });
      continue;
    }
    ids.set(id, file);
    const advisory: Advisory = {
      ...parsed.frontMatter,
      id,
      file,
      index: items.length,
      body: parsed.body,
      bodyLine: parsed.bodyLine,
      hash: createHash('sha256').update(read.bytes).digest('hex'),
    };
    items.push({ advisory, bytes: read.bytes, parsed });
  }
  return { items, problems };
}
