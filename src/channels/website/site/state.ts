/**
 * The website's own state under `var/site-state/`: which campaigns are
 * published (embargo: nothing else ever reaches the public site) and the frozen
 * payload body of each one's last published website delivery.
 *
 *   published/<campaign>.json   { deliveryKey, publishedAt, hash, body }
 *   index.json                  per campaign: the same without the pages (small, read on every build)
 */
import { mkdirSync, readFileSync, existsSync, statSync } from 'node:fs';
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

let lastRead: { file: string; identity: string; value: unknown } | undefined;

/**
 * JSON.parse of `file`, or the value parsed the last time if the file is still the same one (inode, size, time):
 * writeAtomic replaces a file by renaming a new one over it, so a change is always a new identity.
 * The value is shared: callers must not change it.
 */
function readJsonOnce<T>(file: string): T {
  const st = statSync(file);
  const identity = `${st.ino}:${st.size}:${st.mtimeMs}`;
  if (lastRead?.file === file && lastRead.identity === identity) return lastRead.value as T;
  const value = JSON.parse(readFileSync(file, 'utf8')) as T;
  lastRead = { file, identity, value };
  return value;
}

export function readPublished(varDir: string, campaignId: string): PublishedRecord {
  return JSON.parse(readFileSync(join(stateDir(varDir), 'published', `${campaignId}.json`), 'utf8')) as PublishedRecord;
}

/** Records campaigns as published (one index write for all of them) and returns the updated index. */
export function recordPublished(
  varDir: string,
  records: PublishedRecord[],
  index: Record<string, SiteEntry> = readIndex(varDir),
): Record<string, SiteEntry> {
  const dir = stateDir(varDir);
  mkdirSync(join(dir, 'published'), { recursive: true });
  for (const record of records) {
    writeAtomic(join(dir, 'published', `${record.body.campaign.id}.json`), JSON.stringify(record));
    index[record.body.campaign.id] = entryOf(record);
  }
  writeAtomic(join(dir, 'index.json'), JSON.stringify({ campaigns: index }));
  return index;
}
