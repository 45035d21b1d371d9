/**
 * An instant as staff read it in text output: the bureau's local time to the minute (`2026-12-02 22:34`),
 * not the stored ISO UTC form (`2026-12-02T14:34:10.873Z`), which `--json` keeps.
 */
import { DateTime } from 'luxon';
import { DEFAULT_TIMEZONE } from '../content/schema.js';

export function localTime(iso: string, zone: string = DEFAULT_TIMEZONE): string {
  const d = DateTime.fromISO(iso, { zone: 'utc' });
  return d.isValid ? d.setZone(zone).toFormat('yyyy-MM-dd HH:mm') : iso;
}

/** `localTime`, keeping null as null. */
export const localTimeOrNull = (iso: string | null, zone?: string): string | null => (iso === null ? null : localTime(iso, zone));

/** A local time as written with its offset (`2014-09-29T09:00:00+08:00`, a firing's dueLocal), to the minute, in its own zone. */
export function wallClock(isoWithOffset: string): string {
  const d = DateTime.fromISO(isoWithOffset, { setZone: true });
  return d.isValid ? d.toFormat('yyyy-MM-dd HH:mm') : isoWithOffset;
}
