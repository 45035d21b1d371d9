/**
 * Which stretches of time a cron schedule runs in. A series is the unit the
 * rotation counts in: `pick: rotate` numbers firings from the series' start, so
 * the advisory a firing carries never depends on the planning window.
 *
 * - `during: holiday`: one series per holiday period (the days off, local dates),
 *   narrowed by `from`/`until` when given;
 * - `from`/`until` only: one series between them;
 * - neither: one series per calendar year (the campaign's `year`, or every year
 *   near the window for an evergreen campaign).
 */
import { DateTime } from 'luxon';
import type { Calendar, HolidayPeriod } from '../calendar/types.js';
import type { Campaign, ScheduleEntry } from '../content/model.js';
import { endOfBound, startOfBound, startOfDate } from '../content/datetime.js';
import { plannerMessages } from '../i18n/messages-plan.js';

export interface Series {
  startMs: number;
  /** Exclusive. */
  endMs: number;
  period?: HolidayPeriod;
}

export interface SeriesContext {
  campaign: Campaign;
  entry: ScheduleEntry;
  zone: string;
  calendar: Calendar;
  /** The years to consider (the campaign's year, or the years around the planning window). */
  years: number[];
  /** Far-future end for an open `from:` (the planning window's end is enough). */
  openEndMs: number;
  warn(message: string): void;
}

const ms = (dt: DateTime | undefined): number | undefined => (dt ? dt.toMillis() : undefined);

export function cronSeries(ctx: SeriesContext): Series[] {
  const { campaign, entry, zone, calendar, years } = ctx;
  const where = `${campaign.id}/${entry.name}`;
  const fromMs = entry.from === undefined ? undefined : ms(startOfBound(entry.from, zone));
  const untilMs = entry.until === undefined ? undefined : ms(endOfBound(entry.until, zone));
  if ((entry.from !== undefined && fromMs === undefined) || (entry.until !== undefined && untilMs === undefined)) {
    ctx.warn(plannerMessages().skipped(where, plannerMessages().badBounds(entry.from ?? '', entry.until ?? '')));
    return [];
  }

  if (entry.during === 'holiday') {
    if (!campaign.holiday) {
      ctx.warn(plannerMessages().skipped(where, plannerMessages().duringNeedsHoliday));
      return [];
    }
    const out: Series[] = [];
    for (const year of years) {
      const period = calendar.resolve(campaign.holiday, year);
      const startMs = Math.max(startOfDate(period.start, zone).toMillis(), fromMs ?? -Infinity);
      const endMs = Math.min(startOfDate(period.end, zone).plus({ days: 1 }).toMillis(), untilMs ?? Infinity);
      if (startMs < endMs) out.push({ startMs, endMs, period });
    }
    return out;
  }

  const period = (year: number): HolidayPeriod | undefined =>
    campaign.holiday ? calendar.resolve(campaign.holiday, year) : undefined;

  if (fromMs !== undefined || untilMs !== undefined) {
    // With only `until`, the series starts on Jan 1 of the campaign's year (or of the `until` year):
    // a fixed point, so the rotation does not move with the planning window.
    const startMs =
      fromMs ?? startOfDate(`${campaign.year ?? DateTime.fromMillis(untilMs! - 1, { zone }).year}-01-01`, zone).toMillis();
    const endMs = untilMs ?? ctx.openEndMs;
    const year = campaign.year ?? DateTime.fromMillis(startMs, { zone }).year;
    return startMs < endMs ? [{ startMs, endMs, period: period(year) }] : [];
  }

  return years.map((year) => ({
    startMs: startOfDate(`${year}-01-01`, zone).toMillis(),
    endMs: startOfDate(`${year + 1}-01-01`, zone).toMillis(),
    period: period(year),
  }));
}
