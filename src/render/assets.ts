/**
 * Images a payload carries (WeChat cover, Weibo picture), referenced by
 * project-relative path and sha256 so the frozen payload stays small and the
 * publisher can verify it uploads the bytes that were approved.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { Campaign } from '../content/model.js';
import { sha256 } from '../hash.js';

export interface PayloadAsset {
  path: string;
  sha256: string;
  role: string;
}

/** A file named in the campaign's content (relative to its folder); null if missing or outside the folder. */
export function campaignAsset(campaign: Campaign, relPath: string, role: string): PayloadAsset | null {
  const rel = normalize(relPath);
  if (rel.startsWith('..') || rel.startsWith(sep) || /^[a-z]+:/i.test(relPath)) return null;
  const abs = join(campaign.absDir, rel);
  if (!existsSync(abs)) return null;
  const digest = sha256(readFileSync(abs));
  return { path: `${campaign.dir}/${rel.split(sep).join('/')}`, sha256: digest, role };
}

/** The placeholder a body carries where the publisher puts the uploaded asset's id/URL. */
export function assetPlaceholder(role: string): string {
  return `asset:${role}`;
}
