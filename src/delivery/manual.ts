/** The occurrence `advisory publish` creates: schedule `manual`, due now, all of the campaign's advisories. */
import type { Campaign } from '../content/model.js';
import type { ChannelName } from '../channels/channel.js';
import { deliveryKey, type Occurrence } from '../schedule/types.js';
import { CHANNEL_NAMES } from '../content/schema.js';

export const MANUAL_SCHEDULE = 'manual';
/** A manual publish that cannot go out within this time is reported missed rather than sent late. */
export const MANUAL_WINDOW_MS = 6 * 3_600_000;

/** Every channel the campaign's schedules name, in the registry's order (all four when it names none). */
export function campaignChannels(campaign: Campaign): ChannelName[] {
  const named = new Set(campaign.schedule.flatMap((s) => s.channels));
  return CHANNEL_NAMES.filter((c) => named.size === 0 || named.has(c));
}

/**
 * `n` > 1 numbers a further publish within the same second (`--again`, another channel's run): its keys end in
 * `~n`, and it is still due now.
 */
export function manualOccurrence(campaign: Campaign, channels: ChannelName[], now: Date, n = 1): Occurrence {
  const dueUtc = `${now.toISOString().slice(0, 19)}Z`;
  const suffix = n > 1 ? `~${n}` : '';
  const keys = Object.fromEntries(channels.map((c) => [c, `${deliveryKey(campaign.id, MANUAL_SCHEDULE, c, dueUtc)}${suffix}`]));
  return {
    key: `${campaign.id}/${MANUAL_SCHEDULE}/${dueUtc}${suffix}`,
    campaign: campaign.id,
    schedule: MANUAL_SCHEDULE,
    channels,
    keys,
    dueUtc,
    dueLocal: dueUtc,
    timezone: campaign.timezone,
    advisories: campaign.advisories.map((a) => a.id),
    windowEndsUtc: new Date(now.getTime() + MANUAL_WINDOW_MS).toISOString().slice(0, 19) + 'Z',
    kind: 'at',
  };
}
