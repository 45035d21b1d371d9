/**
 * The festival's own dates, for a year chinese-days has no official schedule
 * for. A fallback only: the State Council decides the real days off (and the
 * swapped working days) each autumn for the following year.
 */
import type { HolidayKey } from './keys.js';
import { addDays, describeRange, eachDay } from './dates.js';
import { qingmingDate, solarFromLunar } from './lunar.js';
import type { HolidayPeriod } from './types.js';

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

/** What an estimate of `key` is made from, for people: `the lunar date 正月初一` … */
export function estimateBasis(key: HolidayKey): string {
  switch (key) {
    case 'spring-festival':
      return 'the lunar date (除夕 to 初六)';
    case 'dragon-boat':
      return 'the lunar date (五月初五)';
    case 'mid-autumn':
      return 'the lunar date (八月十五)';
    case 'qingming':
      return 'the solar term 清明';
    case 'new-year':
      return 'the fixed date (Jan 1)';
    case 'labour-day':
      return 'the fixed dates (May 1–5)';
    case 'national-day':
      return 'the fixed dates (Oct 1–7)';
  }
}

export function estimatePeriod(
  key: HolidayKey,
  year: number,
  name: string,
  why: { reason: string; advice?: string },
): HolidayPeriod {
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
    warning: `${key} ${year}: ${why.reason}, so the dates are estimated (${describeRange(start, end)}).${why.advice ? ` ${why.advice}` : ''}`,
  };
}
