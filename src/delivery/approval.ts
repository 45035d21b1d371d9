/**
 * What a person approves: the campaign's content and the templates it is
 * rendered with. Editing either changes the hash, and live deliveries wait
 * (`held`) until the new hash is approved.
 */
import { AWAITING_APPROVAL } from './store/index.js';
import { sha256 } from '../hash.js';

export function approvalHash(campaignContentHash: string, templatesHash: string): string {
  return sha256(`content:${campaignContentHash}\ntemplates:${templatesHash}\n`);
}

/** The short form people read and type (like a git commit id). */
export const shortHash = (hash: string) => hash.slice(0, 12);

export const awaitingApproval = (hash: string) => `${AWAITING_APPROVAL}${shortHash(hash)} (run: advisory approve <campaign> --by NAME)`;
