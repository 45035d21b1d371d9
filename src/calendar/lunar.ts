/**
 * Festival dates from the lunar calendar and the solar terms, computed from
 * chinese-days' tables (`monthDays`, `getYearLeapMonth`: pure lookups) with our
 * own date arithmetic. Why not its `getSolarDateFromLunar`/`getSolarTermDate`?
 * They format their result with local-time getters, so the answer moves by a
 * day with the process's TZ (measured: 2027 正月初一 is 2027-02-06 under UTC,
 * 2027-02-07 under America/New_York). The planner must not depend on TZ.
 */
import chineseDays from 'chinese-days';
import { addDays } from './dates.js';

/** Lunar 1900-01-01 (正月初一) fell on this solar date: the tables count from here. */
const LUNAR_EPOCH = '1900-01-31';

function lunarYearDays(year: number): number {
  let days = chineseDays.getYearLeapMonth(year).days;
  for (let m = 1; m <= 12; m++) days += chineseDays.monthDays(year, m);
  return days;
}

/** The solar date (`YYYY-MM-DD`) of lunar `month`/`day` in lunar year `year` (the regular month, not a leap one). */
export function solarFromLunar(year: number, month: number, day: number): string {
  let offset = 0;
  for (let y = 1900; y < year; y++) offset += lunarYearDays(y);
  const { leapMonth, days: leapDays } = chineseDays.getYearLeapMonth(year);
  for (let m = 1; m < month; m++) {
    offset += chineseDays.monthDays(year, m);
    if (m === leapMonth) offset += leapDays;
  }
  return addDays(LUNAR_EPOCH, offset + day - 1);
}

/** 清明 (the pure-brightness solar term): [Y·D + C] − L, the formula chinese-days uses, C = 5.59 (1900s) / 4.81 (2000s). */
export function qingmingDate(year: number): string {
  const y = year % 100;
  const c = year >= 2000 ? 4.81 : 5.59;
  const day = Math.floor(y * 0.2422 + c) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}
