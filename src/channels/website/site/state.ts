/**
 * The website's own state under `var/site-state/`: which campaigns are
 * published (embargo: nothing else ever reaches the public site) and the frozen
 * payload body of each one's last published website delivery.
 *
 *   published/<campaign>.json   { deliveryKey, publishedAt, hash, body }
 *   index.json                  per campaign: the same without the pages (small, read on every build)
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
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
  return (JSON.parse(readFileSync(file, 'utf8')) as { campaigns: Record<string, SiteEntry> }).campaigns;
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
