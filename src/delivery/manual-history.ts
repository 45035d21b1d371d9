/**
 * What earlier `publish --now` runs of the same content left, per channel: the
 * newest manual occurrence of that approval hash that created the channel's
 * deliveries, and how they stand. Unfinished (pending or sending rows) is
 * resumed by the next run; completed is "already published".
 */
import type { ChannelName } from '../channels/channel.js';
import { DELIVERY_STATES, type DeliveryQueue, type DeliveryState } from './store/index.js';

export interface EarlierPublish {
  channel: ChannelName;
  occurrence: string;
  at: string;
  counts: Record<DeliveryState, number>;
  unfinished: boolean;
  /** e.g. `1 sent` or `298 sent, 2 failed`. */
  summary: string;
}

const emptyCounts = () => Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;

export function summarize(counts: Record<DeliveryState, number>): string {
  return DELIVERY_STATES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ') || 'nothing created';
}

export async function earlierPublishes(store: DeliveryQueue, campaign: string, contentHash: string): Promise<Map<ChannelName, EarlierPublish>> {
  const out = new Map<ChannelName, EarlierPublish>();
  // Newest first: the first occurrence that created a channel is that channel's latest publish.
  for (const occ of await store.occurrences({ campaign, kind: 'manual', contentHash })) {
    const created = (await store.occurrenceChannels(occ.key)).filter((c) => c.state === 'created' && !out.has(c.channel));
    if (created.length === 0) continue;
    const progress = await store.progress(occ.key);
    for (const { channel } of created) {
      const counts = emptyCounts();
      for (const r of progress.filter((p) => p.channel === channel)) counts[r.state] = r.n;
      out.set(channel, {
        channel, occurrence: occ.key, at: occ.createdAt, counts,
        unfinished: counts.pending + counts.sending > 0, summary: summarize(counts),
      });
    }
  }
  return out;
}
