/**
 * Re-approval. When hash H of a campaign is approved, its live deliveries that
 * were frozen from other content and have not gone out (held for approval, or
 * pending) are superseded: re-rendered from the current content through the
 * same path as `materialize` (same key), or recorded `missed` once their window
 * has passed. Sent deliveries are never touched. Together with the sender's
 * check (a live delivery goes out only if its hash is the latest approval),
 * nothing sends old content after a newer approval.
 */
import type { Logger } from 'pino';
import type { Campaign } from '../content/model.js';
import type { ChannelName, Payload } from '../channels/channel.js';
import type { Renderer } from '../render/renderer.js';
import type { Occurrence } from '../schedule/types.js';
import type { Planner } from './dispatcher.js';
import { partIndex, renderContext, type DispatchChannel } from './materialize.js';
import { MANUAL_SCHEDULE, manualOccurrence } from './manual.js';
import { shortHash } from './approval.js';
import { withAccount } from './frozen-account.js';
import { AWAITING_APPROVAL, type Delivery, type DeliveryQueue, type SupersedeChange } from './store/index.js';
import { approveMessages } from '../i18n/messages-ledger.js';

export interface SupersedeDeps {
  store: DeliveryQueue;
  channels: ReadonlyMap<ChannelName, DispatchChannel>;
  renderer: Renderer;
  planner: Pick<Planner, 'occurrences'>;
  log: Logger;
}

export interface SupersedeResult {
  superseded: number;
  missed: number;
  /** Deliveries that could not be re-rendered (left as they were, still held or blocked by the sender). */
  errors: Array<{ key: string; message: string }>;
}

/** Deliveries of the campaign frozen from content other than `hash` that may still go out. */
export async function staleDeliveries(store: DeliveryQueue, campaign: string, hash: string, needsApproval: (c: ChannelName) => boolean): Promise<Delivery[]> {
  return (await store.list({ campaign })).filter((d) => d.contentHash !== hash && (
    (d.state === 'held' && (d.reason ?? '').startsWith(AWAITING_APPROVAL)) || (d.state === 'pending' && needsApproval(d.channel))
  ));
}

/** Re-renders (or records as missed) every stale delivery of `campaign` for the approved `hash`. */
export async function supersedeStale(campaign: Campaign, hash: string, deps: SupersedeDeps, now: Date): Promise<SupersedeResult> {
  const result: SupersedeResult = { superseded: 0, missed: 0, errors: [] };
  const stale = await staleDeliveries(deps.store, campaign.id, hash, (c) => deps.channels.get(c)?.approval === true);
  const rendered = new Map<string, Payload[] | Error>();
  const changes: SupersedeChange[] = [];
  for (const d of stale) {
    if (now.getTime() > Date.parse(d.windowEndsUtc)) {
      changes.push({ key: d.key, payload: null, contentHash: d.contentHash, state: 'missed',
        reason: `missed: content ${shortHash(hash)} was approved after this delivery's window ended (${d.windowEndsUtc}); the earlier content it was rendered from was never sent` });
      continue;
    }
    const channel = deps.channels.get(d.channel)!;
    const group = `${d.schedule}/${d.channel}/${d.dueUtc}`;
    if (!rendered.has(group)) rendered.set(group, renderFor(d, campaign, channel, deps));
    const payloads = rendered.get(group)!;
    if (payloads instanceof Error) {
      result.errors.push({ key: d.key, message: payloads.message });
      continue;
    }
    const p = payloads[partIndex(d)];
    if (!p) {
      changes.push({ key: d.key, payload: null, contentHash: d.contentHash, state: 'missed', reason: `superseded: content ${shortHash(hash)} no longer has this part` });
      continue;
    }
    // Per-recipient rows share the part's payload: what differs per subscriber was frozen in the row at creation.
    changes.push({ key: d.key, payload: p, contentHash: hash, state: 'pending' });
  }
  const n = await deps.store.supersede(changes, now);
  const changed = new Set(changes.map((c) => c.key));
  result.missed = changes.filter((c) => c.state === 'missed').length;
  result.superseded = n - result.missed;
  if (n > 0) deps.log.info({ campaign: campaign.id, contentHash: hash, superseded: result.superseded, missed: result.missed, keys: [...changed].slice(0, 20) }, 'stale deliveries superseded by a newer approval');
  for (const e of result.errors) deps.log.error({ campaign: campaign.id, key: e.key }, `re-rendering for approval ${shortHash(hash)} failed: ${e.message}`);
  return result;
}

function renderFor(d: Delivery, campaign: Campaign, channel: DispatchChannel, deps: SupersedeDeps): Payload[] | Error {
  try {
    const occ = occurrenceOf(d, campaign, deps);
    if (!occ) return new Error(approveMessages().noLongerScheduled(campaign.id, d.schedule, d.dueUtc));
    // Re-rendered for the account it was recorded for (not the approving process's, which may lack the credentials).
    return withAccount(channel.render(renderContext(occ, campaign, channel, deps.renderer)), d.payload?.account);
  } catch (err) {
    return err as Error;
  }
}

/** The occurrence a delivery came from, planned again from the current content. */
function occurrenceOf(d: Delivery, campaign: Campaign, deps: SupersedeDeps): Occurrence | undefined {
  if (d.schedule === MANUAL_SCHEDULE) return manualOccurrence(campaign, [d.channel], new Date(d.dueUtc));
  const due = new Date(d.dueUtc);
  return deps.planner
    .occurrences([campaign], { from: due, to: new Date(due.getTime() + 1) })
    .find((o) => o.schedule === d.schedule && o.dueUtc === d.dueUtc && o.channels.includes(d.channel));
}
