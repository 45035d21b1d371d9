/**
 * The website's own state under `var/site-state/`: which campaigns are
 * published (embargo: nothing else ever reaches the public site) and the frozen
 * payload body of each one's last published website delivery.
 *
 *   published/<campaign>.json   { deliveryKey, publishedAt, hash, body }
 *   index.json                  per campaign: the same without the pages (small, read on every build)
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { makeDir } from '../../../fs/make-dir.js';
import { writeAtomic } from '../../../fs/write-atomic.js';
import { join } from 'node:path';
import type { SiteAdvisory, SiteBody, SiteCampaign } from '../site-body.js';
import { sha256 } from '../../../hash.js';

/** An advisory as the index keeps it: without its section texts, to keep the index small. */
export type SiteAdvisoryMeta = Omit<SiteAdvisory, 'sections'>;

export interface SiteEntry {
  id: string;
  /** sha256 of the body: names the campaign's immutable page folder. */
  hash: string;
  deliveryKey: string | null;
  /** ISO time of publication (CAP `sent`, feed dates when the campaign has none). */
  publishedAt: string;
  campaign: SiteCampaign;
  advisories: SiteAdvisoryMeta[];
}

export interface PublishedRecord {
  deliveryKey: string | null;
  publishedAt: string;
  hash: string;
  body: SiteBody;
}

export function stateDir(varDir: string): string {
  return join(varDir, 'site-state');
}

export function bodyHash(body: SiteBody): string {
  return sha256(JSON.stringify(body));
}

export function entryOf(record: PublishedRecord): SiteEntry {
  const { body } = record;
  return {
    id: body.campaign.id,
    hash: record.hash,
    deliveryKey: record.deliveryKey,
    publishedAt: record.publishedAt,
    campaign: body.campaign,
    advisories: body.advisories.map(({ sections: _sections, ...meta }) => meta),
  };
}

export function readIndex(varDir: string): Record<string, SiteEntry> {
  const file = join(stateDir(varDir), 'index.json');
  if (!existsSync(file)) return {};
  // A running daemon reads the same index at every publish: parsed again only when the file was replaced.
  const index = readJsonOnce<{ campaigns: Record<string, SiteEntry> }>(file).campaigns;
  return { ...index }; // callers add to their copy (recordPublished)
}

/** Parsed state files by path, with the identity (inode, size, time) of the file they were parsed from: the last few. */
const parsed = new Map<string, { identity: string; value: unknown }>();
const PARSED_KEPT = 32;

const identityOf = (file: string): string => {
  const st = statSync(file);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
};

/**
 * JSON.parse of `file`, or the value parsed before if the file is still the same one: writeAtomic replaces a
 * file by renaming a new one over it, so a change is always a new identity. A running daemon reads the index
 * and the recent campaigns' records at every publish. The value is shared: callers must not change it.
 */
function readJsonOnce<T>(file: string): T {
  const identity = identityOf(file);
  const known = parsed.get(file);
  if (known?.identity === identity) return known.value as T;
  const value = JSON.parse(readFileSync(file, 'utf8')) as T;
  remember(file, value, identity);
  return value;
}

function remember(file: string, value: unknown, identity = identityOf(file)): void {
  parsed.delete(file);
  if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  parsed.set(file, { identity, value });
}

export function readPublished(varDir: string, campaignId: string): PublishedRecord {
  return readJsonOnce<PublishedRecord>(join(stateDir(varDir), 'published', `${campaignId}.json`));
}

/** Records campaigns as published (one index write for all of them) and returns the updated index. */
export function recordPublished(
  varDir: string,
  records: PublishedRecord[],
  index: Record<string, SiteEntry> = readIndex(varDir),
): Record<string, SiteEntry> {
  const dir = stateDir(varDir);
  makeDir(join(dir, 'published'));
  for (const record of records) {
    const file = join(dir, 'published', `${record.body.campaign.id}.json`);
    writeAtomic(file, JSON.stringify(record));
    remember(file, record);
    index[record.body.campaign.id] = entryOf(record);
  }
  const file = join(dir, 'index.json');
  writeAtomic(file, JSON.stringify({ campaigns: index }));
  remember(file, { campaigns: { ...index } }); // the next readIndex need not parse what was just written
  return index;
}
