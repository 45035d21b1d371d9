/**
 * Enumerating the firings of a 5-field cron expression in a time zone, with
 * cron-parser (which works in the given zone, not the process's).
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';

/** A safety stop: a per-minute cron over a year is ~525,000 firings. */
export const MAX_FIRINGS_PER_SERIES = 600_000;

export type CronCheck = { ok: true } | { ok: false; message: string };

export function checkCron(expression: string): CronCheck {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return { ok: false, message: `expected 5 fields (minute hour day-of-month month day-of-week), like "0 8 * * *"; got ${fields.length}` };
  }
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return { ok: true };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
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
