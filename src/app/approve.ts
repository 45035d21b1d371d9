/**
 * Approving a campaign's current content: what `advisory approve` and the
 * staff listener's approve form both do. Records who approved which hash,
 * re-renders live deliveries not yet sent that were rendered from other
 * content (or records them missed past their window), and releases what was
 * held for this hash. `expectHash` refuses (nothing recorded) when the
 * content or templates changed since the approver saw them.
 */
import { pino } from 'pino';
import type { Campaign } from '../content/model.js';
import { approvalHash } from '../delivery/approval.js';
import { staleDeliveries, supersedeStale } from '../delivery/supersede.js';
import type { Runtime } from './runtime.js';
import { StateError } from '../errors.js';
import { approveMessages } from '../i18n/messages-ledger.js';
import { campaignFolderOf, loadProject } from '../content/load.js';
import { saveSnapshot } from './content-diff.js';

export interface ApproveResult {
  hash: string;
  released: number;
  superseded: number;
  missed: number;
  errors: Array<{ key: string; message: string }>;
}

/** The hash `approveCampaign` would record for this campaign now (content and the renderer's templates). */
export function currentApprovalHash(rt: Pick<Runtime, 'renderer'>, campaign: Campaign): string {
  return approvalHash(campaign.contentHash, rt.renderer.templatesHash);
}

/** The approver saw other content than there is now: nothing is recorded. */
export class ContentChangedError extends StateError {
  constructor(readonly expected: string, readonly actual: string) {
    super('ECONTENT_CHANGED', approveMessages().contentChanged(expected.slice(0, 12), actual.slice(0, 12)));
  }
}

export async function approveCampaign(rt: Runtime, campaign: Campaign, by: string, now: Date, options: { expectHash?: string } = {}): Promise<ApproveResult> {
  // What cannot be rendered cannot be approved: the first broken template, with its file and line.
  const broken = rt.renderer.templateErrors?.[0];
  if (broken) throw broken;
  const hash = currentApprovalHash(rt, campaign);
  if (options.expectHash !== undefined && options.expectHash !== hash) throw new ContentChangedError(options.expectHash, hash);
  const store = await rt.store();
  await store.recordApproval(campaign.id, hash, by, now);
  // What was signed, for the next approval's diff (content-diff.ts).
  await saveSnapshot(store, campaign, hash);
  // What happens is reported by the caller; the JSON log lines are the daemon's.
  const log = pino({ level: 'silent' });
  // The registry (and the live/sandbox decision) only matters when something stale may still go out.
  const stale = await staleDeliveries(store, campaign.id, hash, (c) => rt.configs[c].approval);
  const s = stale.length === 0 ? { superseded: 0, missed: 0, errors: [] } : await supersedeStale(campaign, hash, {
    store, channels: rt.channels, renderer: rt.renderer, log, planner: rt.planner,
  }, now);
  const released = await store.releaseApproved(campaign.id, hash, now);
  return { hash, released, superseded: s.superseded, missed: s.missed, errors: s.errors };
}

/** Approves the campaign named `id` as it is on disk now (the staff listener's form), refusing other content than `expectHash`. */
export async function approveById(rt: Runtime, id: string, by: string, now: Date, expectHash: string): Promise<ApproveResult> {
  const folder = campaignFolderOf(rt.root, id); // the id of a folder named in Chinese is its pinyin
  const campaign = folder !== undefined ? loadProject(rt.root, { only: [folder], now }).campaigns.find((c) => c.id === id) : undefined;
  if (!campaign) throw new StateError('ECAMPAIGN_INVALID', approveMessages().unknownOrInvalid(id));
  return approveCampaign(rt, campaign, by, now, { expectHash });
}
