/**
 * How often a schedule may post to a channel (issue 12): a cron such as
 * `* * * * * *` would otherwise send 86,400 Weibo posts a holiday day. Each
 * channel has a least interval between two posts (`min_interval` in
 * channels/<name>.yaml; built in: Weibo and WeChat 1 h, e-mail 1 day, website
 * none). Checked per cron entry from its fields (times of day × which days),
 * and across the entries of a campaign that post to the same channel, from
 * their firings over the campaign's year. Intervals are measured on the local
 * clock, so a daily post is a day apart across a daylight-saving change. Pure.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { CHANNEL_NAMES, type ChannelName } from '../config/channel-names.js';
import { CHANNEL_DEFAULTS } from '../config/channels.js';
import { scheduleMessages, type FrequencyKind } from '../i18n/messages-schedule.js';

export type MinIntervals = Readonly<Partial<Record<ChannelName, number>>>;

/** `90s`, `30m`, `1h`, `1d`, `0` (none) → seconds; undefined for anything else. */
export function parseInterval(text: string): number | undefined {
  const m = /^\s*(\d{1,5})\s*(s|m|min|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === undefined) return n === 0 ? 0 : undefined;
  return n * { s: 1, m: 60, min: 60, h: 3_600, d: 86_400 }[m[2] as 's' | 'm' | 'min' | 'h' | 'd'];
}

/** Seconds; 0 = no minimum. The built-in `min_interval` of each channel (Weibo and WeChat 1 h, e-mail 1 day, website none). */
export const DEFAULT_MIN_INTERVALS: Readonly<Record<ChannelName, number>> = Object.fromEntries(
  CHANNEL_NAMES.map((c) => [c, parseInterval(String(CHANNEL_DEFAULTS[c].min_interval ?? '0')) ?? 0]),
) as Record<ChannelName, number>;

/** 3600 → "1 h" (1 小时), 90 → "90 s", 86400 → "1 day". */
export function formatInterval(seconds: number): string {
  return scheduleMessages().interval(seconds);
}

export interface CronFrequency {
  /** Firings on a day it fires. */
  perDay: number;
  /** The least time between two firings, in seconds of the local clock (Infinity: fires at most once ever in the days looked at). */
  minGap: number;
  /** "every minute", or "as little as 30 min apart" (in the reader's language: the frequency itself is cached). */
  readonly describe: string;
  /** Seconds after local midnight of each firing on a day it fires, ascending. */
  times: number[];
}

const DAY = 86_400;

/**
 * Days (as UTC day numbers of local dates) in [fromDay, toDay) on which the
 * expression's day fields fire: from the parsed fields (cron's rule: with both
 * day-of-month and day-of-week restricted, either matches), as the planner's
 * countCronFirings reads them; `L`, `W` and `#` by cron-parser's own
 * enumeration (a few hundred steps, slower by far).
 */
export function cronDays(expression: string, fromDay: number, toDay: number): Set<number> {
  const days = new Set<number>();
  const [dom, month, dow] = expression.trim().split(/\s+/).slice(-3);
  if (/[LW#?]/i.test(`${dom} ${dow}`)) {
    const it = CronExpressionParser.parse(`0 0 0 ${dom} ${month} ${dow}`, { tz: 'UTC', currentDate: new Date(fromDay * DAY * 1000 - 1000), endDate: new Date(toDay * DAY * 1000) });
    while (it.hasNext()) {
      const d = Math.floor(it.next().getTime() / 1000 / DAY);
      if (d >= toDay) break;
      days.add(d);
    }
    return days;
  }
  const { fields } = CronExpressionParser.parse(expression, { tz: 'UTC' });
  const months = new Set<number>(fields.month.values as number[]);
  const doms = new Set<number>(fields.dayOfMonth.values as number[]);
  const dows = new Set<number>((fields.dayOfWeek.values as number[]).map((d) => d % 7));
  const [domAll, dowAll] = [fields.dayOfMonth.isWildcard, fields.dayOfWeek.isWildcard];
  for (let d = fromDay; d < toDay; d++) {
    const date = new Date(d * DAY * 1000);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const byDom = doms.has(date.getUTCDate());
    const byDow = dows.has(date.getUTCDay());
    if (domAll && dowAll ? true : domAll ? byDow : dowAll ? byDom : byDom || byDow) days.add(d);
  }
  return days;
}

/**
 * A valid cron expression's frequency. Times of day come from its second,
 * minute and hour fields; whether two days in a row fire (so a late firing and
 * the next day's early one are close) from its day fields over two sample years.
 */
export function cronFrequency(expression: string): CronFrequency {
  let known = frequencies.get(expression);
  if (!known) {
    known = computeFrequency(expression);
    if (frequencies.size >= 1_000) frequencies.delete(frequencies.keys().next().value!);
    frequencies.set(expression, known);
  }
  return known;
}

/** Every campaign and channel asks about the same few expressions (each answer is frozen). */
const frequencies = new Map<string, CronFrequency>();

function computeFrequency(expression: string): CronFrequency {
  const { fields } = CronExpressionParser.parse(expression, { tz: 'UTC' });
  const times: number[] = [];
  for (const h of fields.hour.values as number[]) for (const m of fields.minute.values as number[]) for (const s of fields.second.values as number[]) times.push(h * 3_600 + m * 60 + s);
  times.sort((a, b) => a - b);
  let minGap = Infinity;
  for (let i = 1; i < times.length; i++) minGap = Math.min(minGap, times[i] - times[i - 1]);
  // Across midnight: the nearest following day that fires (2027–2028 hold every weekday of every date, and a 29 February).
  const from = Date.UTC(2027, 0, 1) / 1000 / DAY;
  const days = [...cronDays(expression, from, from + 731)].sort((a, b) => a - b);
  let apart = Infinity;
  for (let i = 1; i < days.length && apart > 1; i++) apart = Math.min(apart, days[i] - days[i - 1]);
  if (apart !== Infinity) minGap = Math.min(minGap, apart * DAY + times[0] - times[times.length - 1]);
  const even = times.length > 1 && times.every((t, i) => i === 0 || t - times[i - 1] === minGap) && apart === 1 && DAY + times[0] - times[times.length - 1] === minGap;
  const kind: FrequencyKind = times.length === 1 && apart === 1 ? 'daily' : even ? 'even' : minGap === Infinity ? 'once' : 'apart';
  return Object.freeze({
    perDay: times.length,
    minGap,
    get describe() {
      return scheduleMessages().frequency(kind, minGap);
    },
    times: Object.freeze(times) as number[],
  });
}

/** "fires weibo 1,440 times a day (every minute); the least interval allowed for weibo is 1 h …", or undefined when it may. */
export function cronIntervalProblem(expression: string, channel: ChannelName, minInterval: number, configFile: string): string | undefined {
  if (minInterval <= 0) return undefined;
  const f = cronFrequency(expression);
  if (f.minGap >= minInterval) return undefined;
  return scheduleMessages().cronTooFrequent(expression, channel, f.perDay, f.describe, minInterval, configFile);
}

/** One firing of an entry, for the across-entries check. */
export interface Firing {
  entry: number;
  /** Milliseconds since the epoch. */
  utc: number;
  /** Seconds on the entry zone's local clock (as if that clock were UTC). */
  local: number;
  zone: string;
}

/** Firings of a cron entry on the given local days, from its times of day (a DST change inside a day moves nothing here). */
export function cronFiringsOnDays(entry: number, times: number[], days: Iterable<number>, zone: string): Firing[] {
  const out: Firing[] = [];
  for (const d of days) {
    const date = new Date(d * DAY * 1000);
    const midnight = DateTime.fromObject({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, { zone });
    const offset = midnight.offset * 60;
    for (const t of times) out.push({ entry, utc: (d * DAY + t - offset) * 1000, local: d * DAY + t, zone });
  }
  return out;
}

/** The closest pair of firings from different entries less than `minInterval` apart, or undefined. */
export function closestPair(firings: Firing[], minInterval: number): [Firing, Firing, number] | undefined {
  const sorted = [...firings].sort((a, b) => a.utc - b.utc);
  let best: [Firing, Firing, number] | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a.entry === b.entry) continue;
    const gap = a.zone === b.zone ? Math.abs(b.local - a.local) : (b.utc - a.utc) / 1000;
    if (gap < minInterval && (!best || gap < best[2])) best = [a, b, gap];
  }
  return best;
}
