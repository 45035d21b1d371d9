/**
 * Enumerating the firings of a 5-field (or 6-field, seconds first) cron expression in a time zone, with
 * cron-parser (which works in the given zone, not the process's).
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { cronProblem } from '../content/datetime.js';

/** A safety stop: a per-minute cron over a year is ~525,000 firings. */
export const MAX_FIRINGS_PER_SERIES = 600_000;

export type CronCheck = { ok: true } | { ok: false; message: string };

/** The same rules `advisory check` applies (5 fields, or 6 with seconds first), so plan never skips what check passed. */
export function checkCron(expression: string, zone = 'UTC'): CronCheck {
  const reason = cronProblem(expression, zone);
  return reason === undefined ? { ok: true } : { ok: false, message: reason };
}

/**
 * Firings at or after `startMs` and before `endMs`, in order, as DateTimes in `zone`.
 * Stops (and says so through `truncated`) after MAX_FIRINGS_PER_SERIES.
 */
export function cronFirings(
  expression: string,
  zone: string,
  startMs: number,
  endMs: number,
): { firings: DateTime[]; truncated: boolean } {
  const firings: DateTime[] = [];
  if (endMs <= startMs) return { firings, truncated: false };
  const it = CronExpressionParser.parse(expression, {
    tz: zone,
    currentDate: new Date(startMs - 1000),
    endDate: new Date(endMs),
  });
  while (it.hasNext()) {
    const ms = it.next().getTime();
    if (ms >= endMs) break;
    if (ms < startMs) continue;
    if (firings.length >= MAX_FIRINGS_PER_SERIES) return { firings, truncated: true };
    firings.push(DateTime.fromMillis(ms, { zone }));
  }
  return { firings, truncated: false };
}
