/**
 * A holiday period in words, for `advisory plan` and `advisory calendar`: its days and where they come
 * from, in the process's language (the sentences are in the catalogue, i18n/messages-calendar.ts).
 */
import { estimateBasis } from './estimate.js';
import type { HolidayPeriod } from './types.js';
import { calendarMessages } from '../i18n/messages-calendar.js';

/** `official (local file calendar/2027.yaml)`, `official (chinese-days)`, `estimated`. */
export function sourceLabel(period: HolidayPeriod): string {
  return calendarMessages().sourceLabel(period.source, period.file);
}

/** Where the dates come from, in a sentence: the package, the file, or what the estimate is made from. */
export function sourceSentence(period: HolidayPeriod, packageVersion?: string): string {
  return calendarMessages().sourceSentence(period.source, period.file, packageVersion, estimateBasis(period.key), period.year);
}

/** One line: `春节 2027: off Feb 5–13, swapped working days Feb 14, Feb 20 — official (local file calendar/2027.yaml)`. */
export function holidayLine(period: HolidayPeriod): string {
  return calendarMessages().holidayLine(period.name, period.year, period.start, period.end, [...period.swappedWorkdays], sourceLabel(period));
}
