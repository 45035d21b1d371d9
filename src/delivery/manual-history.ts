/**
 * What earlier `publish --now` runs of a campaign left, per channel, and what
 * a new run does about it (plan, then apply: `planManualPublish` is pure).
 *
 * For each channel asked for, the newest manual occurrence that created that
 * channel's deliveries decides:
 * - unfinished (rows pending or sending): the run finishes it, never starts a
 *   second one (not even with --again). If the content changed since (an edit
 *   after a crash), its unsent deliveries first take the current content, so
 *   each subscriber still gets one message and nothing that went out goes again;
 * - finished, same content: "already published" (with --again: published anew);
 * - finished with other content, or none: published.
 */
import type { ChannelName } from '../channels/channel.js';
import { DELIVERY_STATES, type DeliveryQueue, type DeliveryState } from './store/index.js';
import { publishProgressMessages } from '../i18n/messages-publish.js';

export interface EarlierPublish {
  channel: ChannelName;
  occurrence: string;
  at: string;
  /** The approval hash it was recorded with. */
  contentHash: string;
  counts: Record<DeliveryState, number>;
  unfinished: boolean;
  /** e.g. `1 sent` or `298 sent, 2 failed`. */
  summary: string;
}

const emptyCounts = () => Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;

export function summarize(counts: Record<DeliveryState, number>): string {
  const m = publishProgressMessages();
  return DELIVERY_STATES.filter((s) => counts[s] > 0).map((s) => m.count(counts[s], s)).join(m.countSep) || m.nothingCreated;
}

/** Per channel, the newest manual publish of the campaign that created its deliveries (any content). */
export async function earlierPublishes(store: DeliveryQueue, campaign: string): Promise<Map<ChannelName, EarlierPublish>> {
  const out = new Map<ChannelName, EarlierPublish>();
  // Newest first: the first occurrence that created a channel is that channel's latest publish.
  for (const occ of await store.occurrences({ campaign, kind: 'manual' })) {
    const created = (await store.occurrenceChannels(occ.key)).filter((c) => c.state === 'created' && !out.has(c.channel));
    if (created.length === 0) continue;
    const progress = await store.progress(occ.key);
    for (const { channel } of created) {
      const counts = emptyCounts();
      for (const r of progress.filter((p) => p.channel === channel)) counts[r.state] = r.n;
      out.set(channel, {
        channel, occurrence: occ.key, at: occ.createdAt, contentHash: occ.contentHash, counts,
        unfinished: counts.pending + counts.sending > 0, summary: summarize(counts),
      });
    }
  }
  return out;
}

export interface ManualPublishPlan {
  /** Channels of unfinished earlier publishes, finished by this run. */
  resume: EarlierPublish[];
  /** Of those, the ones recorded with other content: their unsent deliveries take the current content first. */
  changed: EarlierPublish[];
  /** Channels already published with this content (not published again without --again). */
  skipped: EarlierPublish[];
  /** Channels published by this run. */
  fresh: ChannelName[];
  /** --again asked on channels whose publish is unfinished: finished instead. */
  againDeferred: ChannelName[];
}

export function planManualPublish(earlier: ReadonlyMap<ChannelName, EarlierPublish>, channels: ChannelName[], contentHash: string, again: boolean): ManualPublishPlan {
  const plan: ManualPublishPlan = { resume: [], changed: [], skipped: [], fresh: [], againDeferred: [] };
  // An occurrence with anything still pending or sending is one unfinished publish, whichever channel asks.
  const open = new Set([...earlier.values()].filter((p) => p.unfinished).map((p) => p.occurrence));
  for (const channel of channels) {
    const prior = earlier.get(channel);
    if (prior && open.has(prior.occurrence)) {
      plan.resume.push(prior);
      if (prior.contentHash !== contentHash) plan.changed.push(prior);
      if (again) plan.againDeferred.push(channel);
    } else if (prior && prior.contentHash === contentHash && !again) plan.skipped.push(prior);
    else plan.fresh.push(channel);
  }
  return plan;
}
