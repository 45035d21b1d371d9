/**
 * Reading the times written in campaign.yaml, always in an explicit IANA zone
 * (never the process's TZ), with luxon.
 */
import { DateTime, IANAZone } from 'luxon';
import { DATE_ONLY } from '../content/schema.js';

export const isValidZone = (zone: string): boolean => IANAZone.isValidZone(zone);

/** A date and time from content: with an offset it is that instant; without one it is read in `zone`. */
export function parseDateTime(text: string, zone: string): DateTime | undefined {
  const dt = DateTime.fromISO(text.trim().replace(' ', 'T'), { zone });
  return dt.isValid ? dt.setZone(zone) : undefined;
}

/** 00:00 of a `YYYY-MM-DD` date in `zone`. */
export function startOfDate(date: string, zone: string): DateTime {
  return DateTime.fromISO(date, { zone }).startOf('day');
}

/**
 * The first moment after a bound written as a date (the end of that whole day)
 * or a date and time (that instant included). Used for `until` and `expires`.
 */
export function endOfBound(text: string, zone: string): DateTime | undefined {
  if (DATE_ONLY.test(text)) return startOfDate(text, zone).plus({ days: 1 });
  return parseDateTime(text, zone)?.plus({ milliseconds: 1 });
}

/** The first moment of a bound written as a date (00:00) or a date and time. Used for `from`. */
export function startOfBound(text: string, zone: string): DateTime | undefined {
  if (DATE_ONLY.test(text)) return startOfDate(text, zone);
  return parseDateTime(text, zone);
}

/** `90m`, `6h`, `2d` → luxon duration object; undefined for anything else. */
export function parseDuration(text: string): { minutes: number } | { hours: number } | { days: number } | undefined {
  const m = /^(\d{1,4})([mhd])$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'm' ? { minutes: n } : m[2] === 'h' ? { hours: n } : { days: n };
}

/** `-2d` / `+12h` → a luxon duration; undefined when malformed. */
export function parseHolidayOffset(text: string): { days: number } | { hours: number } | undefined {
  const m = /^([+-]?)(\d{1,3})([dh])$/.exec(text);
  if (!m) return undefined;
  const n = (m[1] === '-' ? -1 : 1) * Number(m[2]);
  return m[3] === 'd' ? { days: n } : { hours: n };
}

/** `2014-09-29T01:00:00Z`: UTC, second precision. */
export const utcIso = (dt: DateTime): string => dt.toUTC().startOf('second').toISO({ suppressMilliseconds: true })!;

/** `2014-09-29T09:00:00+08:00`: local time with offset, second precision. */
export const localIso = (dt: DateTime): string => dt.startOf('second').toISO({ suppressMilliseconds: true })!;
