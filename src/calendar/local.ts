/**
 * A year of the State Council's schedule as a project enters it (`calendar/<year>.yaml`, parsed by
 * content/calendar-file.ts) → the holiday periods, by the same rules as chinese-days' data: the weekend
 * that joins a break counts as days off (a notice's "1月1日放假，与周末连休"), and holidays whose breaks
 * touch share one break (mid-autumn inside national-day), each key resolving to the whole of it.
 */
import { HOLIDAY_KEYS, HOLIDAY_NAMES, type HolidayKey } from './keys.js';
import { addDays, eachDay, weekday } from './dates.js';
import type { HolidayPeriod, LocalYear } from './types.js';

const isWeekend = (date: string) => weekday(date) === 0 || weekday(date) === 6;

/**
 * The break the days off make: from the first to the last, with the weekend days next to it or between them
 * (unless listed as working days) joined. `missing`: working days (weekdays, or listed working days) inside
 * it that are not listed as off, so the days off are not one unbroken break.
 */
export function joinBreak(off: readonly string[], work: ReadonlySet<string>): { days: string[]; missing: string[] } {
  if (off.length === 0) return { days: [], missing: [] };
  const sorted = [...new Set(off)].sort();
  const listed = new Set(sorted);
  const joins = (d: string) => isWeekend(d) && !work.has(d);
  let start = sorted[0];
  let end = sorted[sorted.length - 1];
  for (let i = 0; i < 2 && joins(addDays(start, -1)); i++) start = addDays(start, -1);
  for (let i = 0; i < 2 && joins(addDays(end, 1)); i++) end = addDays(end, 1);
  const days = eachDay(start, end);
  return { days, missing: days.filter((d) => !listed.has(d) && !joins(d)) };
}

/** Every holiday of the year the file lists, as periods marked `source: 'local'` with the file's name. */
export function localPeriods(local: LocalYear): Map<HolidayKey, HolidayPeriod> {
  const keys = HOLIDAY_KEYS.filter((k) => local.holidays[k] !== undefined);
  const allWork = new Set(keys.flatMap((k) => local.holidays[k]!.work));
  const breaks = new Map(keys.map((k) => [k, joinBreak(local.holidays[k]!.off, allWork).days] as const));
  // Holidays whose breaks overlap or touch are one break (2023: mid-autumn Sep 29 + national-day Oct 1–6).
  const groups: HolidayKey[][] = [];
  for (const k of keys) {
    const days = breaks.get(k)!;
    if (days.length === 0) continue;
    const touching = groups.filter((g) => g.some((o) => touches(days, breaks.get(o)!)));
    const merged = [...touching.flat(), k];
    for (const g of touching) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  const out = new Map<HolidayKey, HolidayPeriod>();
  for (const group of groups) {
    const inOrder = HOLIDAY_KEYS.filter((k) => group.includes(k));
    const daysOff = [...new Set(inOrder.flatMap((k) => breaks.get(k)!))].sort();
    // a gap between two touching breaks cannot be (they touch), so the union is contiguous
    const swappedWorkdays = [...new Set(inOrder.flatMap((k) => local.holidays[k]!.work))].sort();
    for (const key of inOrder) {
      const mergedWith = inOrder.filter((k) => k !== key);
      out.set(key, {
        key,
        year: local.year,
        name: inOrder.map((k) => HOLIDAY_NAMES[k].zh).join('、'),
        start: daysOff[0],
        end: daysOff[daysOff.length - 1],
        daysOff,
        swappedWorkdays,
        estimated: false,
        source: 'local',
        file: local.file,
        ...(mergedWith.length > 0 ? { mergedWith } : {}),
      });
    }
  }
  return out;
}

/** Two runs of days overlap or are next to each other. */
function touches(a: readonly string[], b: readonly string[]): boolean {
  return a[0] <= addDays(b[b.length - 1], 1) && b[0] <= addDays(a[a.length - 1], 1);
}
