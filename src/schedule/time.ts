/**
 * Durations, holiday offsets and ISO output for the planner. Reading the
 * date-times written in content is content/datetime.ts's job (check uses it too).
 */
import type { DateTime } from 'luxon';

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
