/**
 * Calendar checks the schema's regular expressions cannot make: 2014-02-30,
 * 25:00, an unknown IANA time zone. Pure; returns a reason or undefined.
 * Also the one reader of the times written in content (with luxon, always in
 * an explicit IANA zone, never the process's TZ), for check and plan alike.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { DATE_ONLY } from './schema.js';
import { scheduleMessages } from '../i18n/messages-schedule.js';

const PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function dateProblem(s: string): string | undefined {
  const m = PARTS.exec(s);
  if (!m) return undefined; // the schema already reported the shape
  const [, y, mo, d, h, mi, sec, offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const says = scheduleMessages();
  if (month < 1 || month > 12) return says.noSuchMonth(mo);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return says.noSuchDay(`${y}-${mo}`, days, d);
  if (h !== undefined && Number(h) > 23) return says.noSuchHour(h);
  if (mi !== undefined && Number(mi) > 59) return says.noSuchMinute(mi);
  if (sec !== undefined && Number(sec) > 59) return says.noSuchSecond(sec);
  if (offset && offset !== 'Z') {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(-2));
    if (oh > 14 || om > 59) return says.noSuchOffset(offset);
  }
  return undefined;
}

const knownZones = new Map<string, boolean>();

/** Cached: building an Intl.DateTimeFormat costs ≈ 30 µs, and every campaign and entry asks. */
export function isKnownTimeZone(tz: string): boolean {
  let known = knownZones.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(tz, known);
  }
  return known;
}

/**
 * Five fields (minute hour day month weekday) or six (with seconds first), as
 * node-cron reads them. cron-parser alone would accept four fields by filling
 * in defaults, and its `H` (random) would make the plan non-deterministic.
 */
export function cronProblem(expr: string, tz: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  const macro = MACROS[fields[0]?.toLowerCase() ?? ''];
  if (fields.length === 1 && fields[0]?.startsWith('@')) {
    return scheduleMessages().cronShortcut(fields[0], macro);
  }
  if (fields.length < 5 || fields.length > 6) {
    return scheduleMessages().cronFieldCount(fields.length);
  }
  if (fields.some((f) => /H/i.test(f) && !/^[A-Z]{3}/i.test(f))) return scheduleMessages().cronRandom;
  try {
    CronExpressionParser.parse(expr, { tz: isKnownTimeZone(tz) ? tz : 'UTC' });
    return undefined;
  } catch (err) {
    return scheduleMessages().cronParser((err as Error).message);
  }
}

const MACROS: Record<string, string> = { '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *' };

/** A zone to read times in: `tz` when known, else UTC (an unknown zone is reported on its own). */
const readZone = (tz: string): string => (isKnownTimeZone(tz) ? tz : 'UTC');

/**
 * Milliseconds since the epoch of the first moment of a date (00:00) or date-time, read in `tz` when it has
 * no offset: the moment the planner starts a bound at (`startOfBound`), so check and plan agree.
 */
export function toInstant(s: string, tz: string): number | undefined {
  if (!PARTS.test(s) || dateProblem(s)) return undefined;
  return startOfBound(s, readZone(tz))?.toMillis();
}

/** Milliseconds since the epoch of the first moment after a bound (`endOfBound`): a date includes its whole day. */
export function toEndInstant(s: string, tz: string): number | undefined {
  if (!PARTS.test(s) || dateProblem(s)) return undefined;
  return endOfBound(s, readZone(tz))?.toMillis();
}

/** A date and time from content: with an offset it is that instant; without one it is read in `zone`. */
export function parseDateTime(text: string, zone: string): DateTime | undefined {
  return remembered(`${zone}\u0000${text}`, () => {
    const dt = DateTime.fromISO(text.trim().replace(' ', 'T'), { zone });
    return dt.isValid ? dt.setZone(zone) : undefined;
  });
}

/** 00:00 of a `YYYY-MM-DD` date in `zone`. */
export function startOfDate(date: string, zone: string): DateTime {
  return remembered(`${zone}\u0000${date}\u0000day`, () => DateTime.fromISO(date, { zone }).startOf('day'));
}

/**
 * Luxon works out a zone's offset through Intl for every parse (≈ 0.1 ms), and a campaign's dates repeat: each
 * answer is kept (DateTimes are immutable), the last 10,000 at most.
 */
const parsedDateTimes = new Map<string, DateTime | undefined>();
function remembered<T extends DateTime | undefined>(key: string, make: () => T): T {
  if (parsedDateTimes.has(key)) return parsedDateTimes.get(key) as T;
  const value = make();
  if (parsedDateTimes.size >= 10_000) parsedDateTimes.clear();
  parsedDateTimes.set(key, value);
  return value;
}

/**
 * The first moment after a bound written as a date (the end of that whole day)
 * or a date and time (that instant included). Used for `until` and `expires`.
 */
export function endOfBound(text: string, zone: string): DateTime | undefined {
  if (DATE_ONLY.test(text)) return startOfDate(text, zone).plus({ days: 1 });
  return parseDateTime(text, zone)?.plus({ milliseconds: 1 });
}

/** The first moment of a bound written as a date (00:00) or a date and time. Used for `from` and `starts`. */
export function startOfBound(text: string, zone: string): DateTime | undefined {
  if (DATE_ONLY.test(text)) return startOfDate(text, zone);
  return parseDateTime(text, zone);
}
