import type { ChannelName } from '../content/schema.js';

/**
 * One firing of a schedule, as plain data (the output of plan()).
 * The dispatcher turns each (occurrence, channel) into a delivery whose key is
 * `keys[channel]` = `campaign/schedule/channel/dueUtc`.
 */
export interface Occurrence {
  /** `campaign/schedule/dueUtc`, e.g. `2014-national-day/bulletin/2014-09-29T01:00:00Z`. */
  key: string;
  campaign: string;
  schedule: string;
  channels: ChannelName[];
  /** Delivery key per channel: `campaign/schedule/channel/dueUtc`. */
  keys: Partial<Record<ChannelName, string>>;
  /** Due time in UTC, ISO 8601 with `Z`, second precision. */
  dueUtc: string;
  /** Due time in the campaign's zone, ISO 8601 with offset, e.g. `2014-09-29T09:00:00+08:00`. */
  dueLocal: string;
  timezone: string;
  /** Advisory ids this firing carries, in order. */
  advisories: string[];
  /** Last moment (UTC ISO) a missed firing may still be sent late. */
  windowEndsUtc: string;
  /** `at` (one-off) or `cron` (repeating). */
  kind: 'at' | 'cron';
}

export function deliveryKey(campaign: string, schedule: string, channel: ChannelName, dueUtc: string): string {
  return `${campaign}/${schedule}/${channel}/${dueUtc}`;
}
