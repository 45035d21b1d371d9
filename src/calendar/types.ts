import type { HolidayKey } from './keys.js';

/** A public holiday of one year as the State Council scheduled it (or as estimated). Dates are `YYYY-MM-DD`, China local. */
export interface HolidayPeriod {
  key: HolidayKey;
  year: number;
  /** Chinese name, e.g. `国庆节`; for a merged break both names, e.g. `中秋节、国庆节`. */
  name: string;
  /** First and last day off. */
  start: string;
  end: string;
  /** Every day off from `start` to `end`, in order (contiguous: weekends that join the holiday included). */
  daysOff: string[];
  /** Weekend days the State Council turned into working days to make up for the break. */
  swappedWorkdays: string[];
  /** True when chinese-days has no official schedule and the festival's date was used instead. */
  estimated: boolean;
  /** Other holiday keys sharing this break (e.g. mid-autumn inside national-day in 2023). */
  mergedWith?: HolidayKey[];
  /** Set when `estimated`: says why and what to do. */
  warning?: string;
}

export interface Calendar {
  resolve(key: HolidayKey, year: number): HolidayPeriod;
}
