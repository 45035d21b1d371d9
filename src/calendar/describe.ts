/**
 * A holiday period in words, for `advisory plan` and `advisory calendar`: its days and where they come
 * from. Every message of the calendar shown to people is here (to move into the message catalogue).
 */
import { describeRange } from './dates.js';
import { estimateBasis } from './estimate.js';
import type { HolidayPeriod } from './types.js';

/** `official (local file calendar/2027.yaml)`, `official (chinese-days)`, `estimated`. */
export function sourceLabel(period: HolidayPeriod): string {
  switch (period.source) {
    case 'local':
      return `official (local file ${period.file})`;
    case 'chinese-days':
      return 'official (chinese-days)';
    case 'estimated':
      return 'estimated';
  }
}

/** Where the dates come from, in a sentence: the package, the file, or what the estimate is made from. */
export function sourceSentence(period: HolidayPeriod, packageVersion?: string): string {
  switch (period.source) {
    case 'local':
      return `official, from the local file ${period.file}`;
    case 'chinese-days':
      return `official, from the built-in package chinese-days${packageVersion ? ` ${packageVersion}` : ''}`;
    case 'estimated':
      return `estimated from ${estimateBasis(period.key)}: no official schedule for ${period.year}`;
  }
}

/** `Feb 14, Feb 20` (or `none`). */
export function dayList(days: readonly string[]): string {
  return days.length === 0 ? 'none' : days.map((d) => describeRange(d, d)).join(', ');
}

/** One line: `春节 2027: off Feb 5–13, working days Feb 14, Feb 20 — official (local file calendar/2027.yaml)`. */
export function holidayLine(period: HolidayPeriod): string {
  const work = period.swappedWorkdays.length > 0 ? `, swapped working days ${dayList(period.swappedWorkdays)}` : '';
  return `${period.name} ${period.year}: off ${describeRange(period.start, period.end)}${work} — ${sourceLabel(period)}`;
}
