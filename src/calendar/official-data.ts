/**
 * chinese-days' official schedule as data: its documented JSON file
 * (`chinese-days/dist/chinese-days.json`: `holidays` and `workdays`, date →
 * `'National Day,国庆节,3'`). We read the data rather than call
 * `getDayDetail`, which formats dates with local-time getters and so answers
 * for the wrong day under a negative-offset TZ (measured: America/New_York
 * counted 2017-10-09 as a day off).
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AdvisoryError } from '../errors.js';
import { calendarMessages } from '../i18n/messages-calendar.js';

export interface OfficialData {
  /** Days off: date → `English name,中文名,n`. */
  holidays: Readonly<Record<string, string>>;
  /** Swapped working days (weekend days worked): date → name. */
  workdays: Readonly<Record<string, string>>;
}

const isDateMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && Object.entries(v).every(([k, s]) => /^\d{4}-\d{2}-\d{2}$/.test(k) && typeof s === 'string');

let cached: OfficialData | undefined;

export function officialData(): OfficialData {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let raw: unknown;
  try {
    raw = require('chinese-days/dist/chinese-days.json');
  } catch (err) {
    throw new AdvisoryError('ECALENDAR', calendarMessages().packageUnreadable, { cause: err });
  }
  const data = raw as { holidays?: unknown; workdays?: unknown };
  if (!isDateMap(data.holidays) || !isDateMap(data.workdays)) {
    throw new AdvisoryError('ECALENDAR', calendarMessages().packageShape);
  }
  cached = Object.freeze({ holidays: Object.freeze({ ...data.holidays }), workdays: Object.freeze({ ...data.workdays }) });
  return cached;
}

/**
 * Which copy of chinese-days' data this is (its path, size and time), for caches whose answers depend on the
 * holiday calendar: updating the package makes them misses. Empty when it cannot be found (officialData says why).
 */
export function officialDataIdentity(): string {
  try {
    const file = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
    const st = statSync(file);
    return `${file}:${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}
