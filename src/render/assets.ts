/**
 * Images a payload carries (WeChat cover, Weibo picture), referenced by
 * project-relative path and sha256 so the frozen payload stays small and the
 * publisher can verify it uploads the bytes that were approved. The hashes are
 * the content loader's (the bytes it read into the approval hash): a file
 * changed on disk since cannot slip into a payload under the approved hash.
 */
import { normalize, sep } from 'node:path';
import type { Campaign } from '../content/model.js';

export interface PayloadAsset {
  path: string;
  sha256: string;
  role: string;
}

/** An image the campaign's content references (relative to its folder); null if it is not one the loader read. */
export function campaignAsset(campaign: Campaign, relPath: string, role: string): PayloadAsset | null {
  const rel = normalize(relPath);
  if (rel.startsWith('..') || rel.startsWith(sep) || /^[a-z]+:/i.test(relPath)) return null;
  const path = `${campaign.dir}/${rel.split(sep).join('/')}`;
  const digest = campaign.assets?.[path];
  return digest ? { path, sha256: digest, role } : null;
}

/** The placeholder a body carries where the publisher puts the uploaded asset's id/URL. */
export function assetPlaceholder(role: string): string {
  return `asset:${role}`;
}
