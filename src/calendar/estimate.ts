/**
 * The festival's own dates, for a year chinese-days has no official schedule
 * for. A fallback only: the State Council decides the real days off (and the
 * swapped working days) each autumn for the following year.
 */
import type { HolidayKey } from './keys.js';
import { addDays, eachDay } from './dates.js';
import { qingmingDate, solarFromLunar } from './lunar.js';
import type { EstimateReason, HolidayPeriod } from './types.js';
import { calendarMessages } from '../i18n/messages-calendar.js';

const lunar = solarFromLunar;

/** First and last day of the festival as people observe it without an official schedule. */
export function festivalDays(key: HolidayKey, year: number): [string, string] {
  switch (key) {
    case 'new-year':
      return [`${year}-01-01`, `${year}-01-01`];
    case 'spring-festival': {
      // 除夕 (the eve) through 初六: the customary seven-day break.
      const eve = addDays(lunar(year, 1, 1), -1);
      return [eve, addDays(eve, 6)];
    }
    case 'qingming': {
      const day = qingmingDate(year);
      return [day, day];
    }
    case 'labour-day':
      return [`${year}-05-01`, `${year}-05-05`];
    case 'dragon-boat': {
      const day = lunar(year, 5, 5);
      return [day, day];
    }
    case 'mid-autumn': {
      const day = lunar(year, 8, 15);
      return [day, day];
    }
    case 'national-day':
      return [`${year}-10-01`, `${year}-10-07`];
  }
}

/** What an estimate of `key` is made from, for people: `the lunar date (除夕 to 初六)`, `农历日期（除夕至初六）`. */
export function estimateBasis(key: HolidayKey): string {
  return calendarMessages().basis(key);
}

/** The festival's own dates for `key` in `year`, marked estimated; its warning says `why` in the language of whoever reads it. */
export function estimatePeriod(key: HolidayKey, year: number, name: string, why: EstimateReason): HolidayPeriod {
  const [start, end] = festivalDays(key, year);
  return {
    key,
    year,
    name,
    start,
    end,
    daysOff: eachDay(start, end),
    swappedWorkdays: [],
    estimated: true,
    source: 'estimated',
    estimateReason: why,
    get warning() {
      return calendarMessages().estimated(key, name, year, start, end, why);
    },
  };
}
