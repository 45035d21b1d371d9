/**
 * The holiday calendar: a holiday key and a year → the official days off and
 * the State Council's swapped working days, from the project's own
 * `calendar/<year>.yaml` when it lists the holiday (local.ts), else from
 * chinese-days. Weekends that
 * join the holiday count as days off (2014's Dragon Boat Festival is listed as
 * Jun 2 only, but people were off May 31–Jun 2), and a break shared by two
 * festivals (mid-autumn inside national-day, 2017/2020/2023/2025) resolves to
 * the whole shared break for both keys, with `mergedWith` naming the other.
 *
 * chinese-days answers for an uncovered year as if there were no holiday at
 * all, so a key with no day off in the year falls back to the festival's date
 * (estimate.ts), marked `estimated` with a warning.
 */
import { AdvisoryError } from '../errors.js';
import { calendarMessages } from '../i18n/messages-calendar.js';
import { HOLIDAY_KEYS, HOLIDAY_NAMES as NAMES, type HolidayKey } from './keys.js';
import { addDays, eachDay, weekday } from './dates.js';
import { estimatePeriod } from './estimate.js';
import { localPeriods } from './local.js';
import { officialData } from './official-data.js';
import type { Calendar, HolidayPeriod, LocalYear } from './types.js';

export type { Calendar, CalendarSource, EstimateReason, HolidayPeriod, LocalYear } from './types.js';
/** The Chinese name readers know a holiday by (国庆节 for national-day); the key itself for an unknown one. */
export function holidayName(key: string): string {
  return (NAMES as Record<string, { zh: string } | undefined>)[key]?.zh ?? key;
}

const KEY_BY_EN = new Map(HOLIDAY_KEYS.map((k) => [NAMES[k].en, k] as const));

/** Swapped working days lie within a few weeks of the break. */
const SWAP_MARGIN_DAYS = 45;
/** The years the calendar answers for (chinese-days' lunar tables). */
export const CALENDAR_YEARS = { first: 1901, last: 2099 } as const;

interface DayInfo {
  date: string;
  work: boolean;
  /** The holiday this day belongs to (as a day off or a swapped working day). */
  key?: HolidayKey;
}

/** chinese-days' periods by `key/year`, shared by every calendar (they hold no local file's days). */
const officialPeriods = new Map<string, HolidayPeriod | undefined>();

/**
 * `local`: the years a project enters itself (calendar/<year>.yaml, read by content/project-calendar.ts);
 * a holiday such a file lists takes precedence over chinese-days for that year, even a year the package covers.
 */
export function createCalendar(local: readonly LocalYear[] = []): Calendar {
  const { holidays, workdays } = officialData();
  const localByYear = new Map(local.map((y) => [y.year, y] as const));
  const localYears = new Map(local.map((y) => [y.year, y.file] as const));
  const brokenIn = new Map(local.map((y) => [y.year, y.broken ?? []] as const));
  const localCache = new Map<number, Map<HolidayKey, HolidayPeriod>>();
  const fromFile = (key: HolidayKey, year: number): HolidayPeriod | undefined => {
    const file = localByYear.get(year);
    if (!file) return undefined;
    let periods = localCache.get(year);
    if (!periods) localCache.set(year, (periods = localPeriods(file)));
    return periods.get(key);
  };
  const days = new Map<string, DayInfo>();
  const periods = new Map<string, HolidayPeriod>();

  const info = (date: string): DayInfo => {
    let d = days.get(date);
    if (!d) {
      // chinese-days' rule: a listed working day, else a listed holiday, else weekends off.
      const name = workdays[date] ?? holidays[date];
      const work = workdays[date] !== undefined || (holidays[date] === undefined && weekday(date) !== 0 && weekday(date) !== 6);
      d = { date, work, key: name === undefined ? undefined : KEY_BY_EN.get(name.split(',')[0]) };
      days.set(date, d);
    }
    return d;
  };

  /** The contiguous days off around `date` (bounded so a data error cannot loop). */
  const runAround = (date: string): string[] => {
    let start = date;
    let end = date;
    for (let i = 0; i < 31 && !info(addDays(start, -1)).work; i++) start = addDays(start, -1);
    for (let i = 0; i < 31 && !info(addDays(end, 1)).work; i++) end = addDays(end, 1);
    return eachDay(start, end);
  };

  // The listed holiday dates by year: a day off of `key` is always one of them (weekends have no key).
  let listedByYear: Map<string, string[]> | undefined;
  const listed = (year: number): string[] => {
    if (!listedByYear) {
      listedByYear = new Map();
      for (const d of Object.keys(holidays).sort()) {
        const y = d.slice(0, 4);
        const list = listedByYear.get(y);
        if (list) list.push(d);
        else listedByYear.set(y, [d]);
      }
    }
    return listedByYear.get(String(year)) ?? [];
  };

  const official = (key: HolidayKey, year: number): HolidayPeriod | undefined => {
    // the package's data is the same for every calendar of this process: each period is worked out once
    const id = `${key}/${year}`;
    if (officialPeriods.has(id)) return officialPeriods.get(id);
    const period = officialPeriod(key, year);
    officialPeriods.set(id, period);
    return period;
  };

  const officialPeriod = (key: HolidayKey, year: number): HolidayPeriod | undefined => {
    const anchors = listed(year).filter((d) => {
      const i = info(d);
      return !i.work && i.key === key;
    });
    if (anchors.length === 0) return undefined;
    // each anchor's run of days off; an anchor inside a run already found has that run
    let runs: string[][] = [];
    const inRun = new Set<string>();
    for (const a of anchors) {
      if (inRun.has(a)) continue;
      const run = runAround(a);
      for (const d of run) inRun.add(d);
      runs.push(run);
    }
    // Late-December days of next year's New Year break are not this year's New Year.
    if (key === 'new-year') runs = runs.filter((r) => r.some((d) => d.startsWith(`${year}-01-`)));
    const daysOff = [...new Set(runs.flat())].sort();
    if (daysOff.length === 0) return undefined;
    const start = daysOff[0];
    const end = daysOff[daysOff.length - 1];
    const keysInBreak = [...new Set(daysOff.map((d) => info(d).key).filter((k): k is HolidayKey => k !== undefined))];
    const mergedWith = keysInBreak.filter((k) => k !== key);
    // the listed working days near the break that belong to one of its holidays (every other day near it is no swap)
    const [from, to] = [addDays(start, -SWAP_MARGIN_DAYS), addDays(end, SWAP_MARGIN_DAYS)];
    const swappedWorkdays = listedWorkdays().filter((d) => {
      if (d < from || d > to) return false;
      const i = info(d);
      return i.work && i.key !== undefined && keysInBreak.includes(i.key);
    });
    return {
      key,
      year,
      name: keysInBreak.map((k) => NAMES[k].zh).join('、'),
      start,
      end,
      daysOff,
      swappedWorkdays,
      estimated: false,
      source: 'chinese-days',
      ...(mergedWith.length > 0 ? { mergedWith } : {}),
    };
  };

  const yearCovered = (year: number): boolean => listed(year).length > 0;
  let workdaysSorted: string[] | undefined;
  const listedWorkdays = (): string[] => (workdaysSorted ??= Object.keys(workdays).sort());

  return {
    localYears,
    resolve(key, year) {
      if (!HOLIDAY_KEYS.includes(key)) {
        throw new AdvisoryError('ECALENDAR', calendarMessages().unknownHoliday(key, HOLIDAY_KEYS.join(', ')));
      }
      if (!Number.isInteger(year) || year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) {
        throw new AdvisoryError('ECALENDAR', calendarMessages().yearOutOfRange(key, year, CALENDAR_YEARS.first, CALENDAR_YEARS.last));
      }
      const id = `${key}/${year}`;
      let period = periods.get(id);
      if (!period) {
        const file = localYears.get(year);
        period =
          fromFile(key, year) ??
          official(key, year) ??
          estimatePeriod(key, year, NAMES[key].zh, file
            ? (brokenIn.get(year)?.includes(key) ? { kind: 'error-in-file', file } : { kind: 'not-in-file', file })
            : yearCovered(year) ? { kind: 'no-day-off' } : { kind: 'year-not-covered' });
        Object.freeze(period.daysOff);
        Object.freeze(period.swappedWorkdays);
        periods.set(id, Object.freeze(period));
      }
      return period;
    },
  };
}
