import type { HolidayKey } from './keys.js';

/**
 * Where a holiday period's dates come from: the State Council's schedule as the `chinese-days` package
 * lists it, as the project's own `calendar/<year>.yaml` gives it (taking precedence), or an estimate from
 * the festival's lunar or solar date when neither has the year.
 */
export type CalendarSource = 'chinese-days' | 'local' | 'estimated';

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
  /** True when no official schedule has the year and the festival's date was used instead (`source: 'estimated'`). */
  estimated: boolean;
  source: CalendarSource;
  /** For `source: 'local'`: the project file the dates come from, e.g. `calendar/2027.yaml`. */
  file?: string;
  /** Other holiday keys sharing this break (e.g. mid-autumn inside national-day in 2023). */
  mergedWith?: HolidayKey[];
  /** Set when `estimated`: why (data, for code). */
  estimateReason?: EstimateReason;
  /** Set when `estimated`: why and what to do, said in the process's language when read (estimate.ts). */
  readonly warning?: string;
}

/**
 * Why a holiday's dates are estimated: the project's file for the year does not list the holiday, chinese-days
 * has the year but no day off for it, or neither has the year.
 */
export type EstimateReason = { kind: 'not-in-file'; file: string } | { kind: 'error-in-file'; file: string } | { kind: 'no-day-off' } | { kind: 'year-not-covered' };

export interface Calendar {
  resolve(key: HolidayKey, year: number): HolidayPeriod;
  /** The years a project file (`calendar/<year>.yaml`) gives, with the file of each. */
  readonly localYears: ReadonlyMap<number, string>;
}

/**
 * One year of the State Council's schedule as a project enters it in `calendar/<year>.yaml` (read and
 * validated by content/calendar-file.ts): for each holiday it lists, the days off and the swapped working
 * days (调休上班), every date written out, in order.
 */
export interface LocalYear {
  year: number;
  /** Project-relative, e.g. `calendar/2027.yaml`. */
  file: string;
  holidays: Partial<Record<HolidayKey, { off: readonly string[]; work: readonly string[] }>>;
  /** Holidays the file writes, but with an error (reported by check): estimated until it is fixed. */
  broken?: readonly HolidayKey[];
}
