/**
 * Dates that are valid but almost certainly not meant (issue 12): `at:
 * 9999-09-29T09:00` in a 2014 campaign, and a local time the clocks skip
 * (02:30 on the night daylight saving starts), which the planner moves to the
 * next valid time without a word. Both are warnings: the content still works,
 * but not as written. Pure.
 */
import { DateTime } from 'luxon';
import type { Calendar } from '../calendar/types.js';
import type { CampaignData } from './schema.js';
import { dateProblem, isKnownTimeZone, startOfBound, startOfDate } from './datetime.js';
import { scheduleMessages } from '../i18n/messages-schedule.js';

/** More than this far from the campaign's holiday (or year) is taken for a typo. */
const FAR_DAYS = 366;
/** The holiday calendar and `year:` cover 2000–2099; a date outside is a typo in any campaign. */
const YEARS = { first: 2000, last: 2099 };

/**
 * Why a date written in the campaign lies implausibly far from it ("… more than a year from
 * the campaign's holiday (2014-10-01): check the year"), or undefined.
 */
export function implausibleDate(text: string | undefined, zone: string, data: CampaignData, calendar: () => Calendar): string | undefined {
  if (text === undefined || dateProblem(text) || !isKnownTimeZone(zone)) return undefined;
  const when = startOfBound(text, zone);
  if (!when?.isValid) return undefined;
  if (when.year < YEARS.first || when.year > YEARS.last) return scheduleMessages().outsideYears(YEARS.first, YEARS.last);
  if (data.year === undefined) return undefined; // an evergreen campaign has no year to be near
  const anchor = data.holiday ? calendar().resolve(data.holiday, data.year).start : `${data.year}-07-01`;
  const from = startOfDate(anchor, zone); // 00:00 of that day, as DateTime.fromISO reads a date
  const days = Math.abs(when.toMillis() - from.toMillis()) / 86_400_000;
  const reach = data.holiday ? FAR_DAYS : FAR_DAYS + 183; // without a holiday: anywhere in the year, and half a year either side
  if (days <= reach) return undefined;
  return data.holiday ? scheduleMessages().farFromHoliday(Math.round(days), anchor) : scheduleMessages().farFromYear(Math.round(days), data.year);
}

/**
 * When a local date-time without an offset does not exist in `zone` (the clocks
 * jump over it), what it becomes: "2021-03-14T02:30 does not exist in
 * America/New_York (the clocks go forward then); it is sent at 03:30 (-04:00)".
 */
export function dstGapProblem(text: string, zone: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,3})?$/.exec(text.trim());
  if (!m || dateProblem(text) || !isKnownTimeZone(zone)) return undefined;
  const dt = DateTime.fromISO(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}`, { zone });
  if (!dt.isValid) return undefined;
  if (dt.toFormat('yyyy-MM-dd HH:mm') === `${m[1]} ${m[2]}:${m[3]}`) return undefined;
  return scheduleMessages().dstGap(`${m[1]} ${m[2]}:${m[3]}`, zone, dt.toFormat('yyyy-MM-dd HH:mm'), dt.toFormat('ZZ'));
}
