/**
 * Checks on a campaign that need more than its shape: cron expressions, dates
 * that exist, known time zones, schedule rules. Pure: runs on parsed data and
 * places problems through the YAML source. Cross-file checks (advisory ids,
 * image files) are in validate-refs.ts.
 */
import type { Problem } from '../errors.js';
import { DEFAULT_TIMEZONE, type CampaignData, type ScheduleEntry } from './schema.js';
import { cronProblem, dateProblem, isKnownTimeZone, toEndInstant, toInstant } from './datetime.js';
import type { Path, YamlSource } from './yaml-source.js';
import { createCalendar, holidayName, type Calendar } from '../calendar/holidays.js';
import { DateTime } from 'luxon';
import { frequencyProblems } from './validate-frequency.js';
import type { MinIntervals } from './schedule-frequency.js';
import { dstGapProblem, implausibleDate } from './validate-dates.js';
import { scheduleMessages } from '../i18n/messages-schedule.js';
import { contentMessages } from '../i18n/messages-content.js';

const m = scheduleMessages;

let builtIn: Calendar | undefined;

export interface CheckOptions {
  /** The project's holiday calendar (content/project-calendar.ts); default: chinese-days alone. */
  calendar?: Calendar;
  /** When given, `expires` in the past is reported as a warning. */
  now?: Date;
  /** Each channel's least interval between two posts, in seconds (channels/<name>.yaml `min_interval`); default DEFAULT_MIN_INTERVALS. */
  minIntervals?: MinIntervals;
}

export function validateCampaign(data: CampaignData, src: YamlSource, file: string, options: CheckOptions = {}): Problem[] {
  const getCalendar = (): Calendar => options.calendar ?? (builtIn ??= createCalendar());
  const out: Problem[] = [];
  const at = (path: Path, severity: Problem['severity'], message: string, rule: string, target: 'value' | 'key' = 'value') =>
    out.push({ file, ...src.locate(path, target), severity, message, rule });

  const zone = data.timezone ?? DEFAULT_TIMEZONE;
  if (!isKnownTimeZone(zone)) at(['timezone'], 'error', m().unknownTimeZone(zone), 'unknown-timezone');

  checkDate(data.starts, ['starts'], at);
  checkDate(data.expires, ['expires'], at);
  if (data.starts && data.expires) {
    const [s, e] = [toInstant(data.starts, zone), toEndInstant(data.expires, zone)];
    if (s !== undefined && e !== undefined && s >= e) {
      at(['starts'], 'error', m().startsAfterExpires(data.starts, data.expires), 'starts-after-expires');
    }
  }
  if (data.expires && options.now) {
    const t = toEndInstant(data.expires, zone); // a date-only expires includes its whole day, as in plan
    if (t !== undefined && t < options.now.getTime()) {
      at(['expires'], 'warning', m().campaignExpired(data.expires), 'expired');
    }
  }
  const estimated = estimatedPeriod(data, zone, getCalendar(), options.now);
  if (estimated) at(estimated.path, 'warning', estimated.message, 'calendar-estimated');
  if (data.year !== undefined && !data.holiday) {
    at(['year'], 'warning', m().yearWithoutHoliday, 'year-without-holiday');
  }

  if (data.schedule.length === 0) {
    at(src.has(['schedule']) ? ['schedule'] : [], 'warning', m().noSchedule, 'no-schedule');
  }
  const seen = new Map<string, number>();
  data.schedule.forEach((entry, i) => {
    const p = (...rest: Array<string | number>): Path => ['schedule', i, ...rest];
    const first = seen.get(entry.name);
    if (first !== undefined) {
      at(p('name'), 'error', m().duplicateSchedule(entry.name, first + 1), 'duplicate-schedule');
    } else {
      seen.set(entry.name, i);
    }
    checkEntry(entry, data, zone, p, at, getCalendar);
  });
  frequencyProblems(data, zone, getCalendar, at, options);
  for (const key of ['starts', 'expires'] as const) {
    const far = implausibleDate(data[key], zone, data, getCalendar);
    if (far) at([key], 'warning', m().implausible(key, data[key]!, far), 'implausible-date');
  }
  return out;
}

type At = (path: Path, severity: Problem['severity'], message: string, rule: string, target?: 'value' | 'key') => void;

/**
 * The holiday period the campaign falls in when its dates are estimated (no official schedule, no
 * calendar/<year>.yaml): its `year`'s, or for an evergreen campaign whose times follow the holiday the next
 * one (this year's until it ends, then next year's), so staff learn which file to write while there is time.
 */
function estimatedPeriod(data: CampaignData, zone: string, calendar: Calendar, now: Date | undefined): { path: Path; message: string } | undefined {
  if (!data.holiday) return undefined;
  if (data.year !== undefined) {
    const period = calendar.resolve(data.holiday, data.year);
    return period.estimated ? { path: ['year'], message: period.warning ?? m().estimatedDates(data.holiday, data.year) } : undefined;
  }
  // an evergreen campaign whose times do not follow the holiday's dates does not depend on them
  const followsHoliday = data.schedule.some((e) => (typeof e.at === 'object' && e.at !== null) || e.during === 'holiday' || e.window === 'holiday');
  if (!now || !followsHoliday) return undefined;
  const today = DateTime.fromJSDate(now, { zone: isKnownTimeZone(zone) ? zone : DEFAULT_TIMEZONE }).toISODate()!;
  let period = calendar.resolve(data.holiday, Number(today.slice(0, 4)));
  if (period.end < today) period = calendar.resolve(data.holiday, period.year + 1);
  if (!period.estimated || (data.expires && data.expires.slice(0, 10) < period.start)) return undefined;
  return { path: ['holiday'], message: m().nextHolidayEstimated(holidayName(data.holiday), period.year, period.warning) };
}

function checkEntry(entry: ScheduleEntry, data: CampaignData, campaignZone: string, p: (...r: Array<string | number>) => Path, at: At, getCalendar: () => Calendar): void {
  const zone = entry.timezone ?? campaignZone;
  if (entry.timezone !== undefined && !isKnownTimeZone(entry.timezone)) {
    at(p('timezone'), 'error', m().unknownTimeZone(entry.timezone), 'unknown-timezone');
  }
  const hasAt = entry.at !== undefined;
  const hasCron = entry.cron !== undefined;
  if (hasAt === hasCron) {
    at(hasAt ? p('cron') : p(), 'error', hasAt ? m().atAndCron(entry.name) : m().neitherAtNorCron(entry.name), 'schedule-timing');
  }
  if (typeof entry.at === 'string') {
    checkDate(entry.at, p('at'), at);
    const far = implausibleDate(entry.at, zone, data, getCalendar);
    if (far) at(p('at'), 'warning', m().firesAt(entry.name, entry.at, far), 'implausible-date');
    const gap = dstGapProblem(entry.at, zone);
    if (gap) at(p('at'), 'warning', m().scheduleSays(entry.name, gap), 'time-in-dst-gap');
    const outside = outsideInForce(entry.at, zone, data, campaignZone);
    if (outside) at(p('at'), 'warning', m().neverSent(entry.name, entry.at, outside), 'never-fires');
  } else if (entry.at && data.holiday && data.year !== undefined) {
    const gap = dstGapProblem(relativeLocal(entry.at, getCalendar().resolve(data.holiday, data.year).start), zone);
    if (gap) at(p('at', 'time'), 'warning', m().scheduleSays(entry.name, gap), 'time-in-dst-gap');
  } else if (entry.at && !data.holiday) {
    at(p('at', 'holiday'), 'error', m().relativeWithoutHoliday, 'relative-without-holiday');
  }
  if (hasCron && entry.cron !== undefined) {
    const reason = cronProblem(entry.cron, zone);
    if (reason) at(p('cron'), 'error', m().invalidCron(entry.cron, reason), 'invalid-cron');
  }
  if (hasAt && !hasCron) {
    for (const key of ['from', 'until', 'during'] as const) {
      if (entry[key] !== undefined) at(p(key), 'error', m().boundsOnAt(key, entry.name), 'bounds-on-at', 'key');
    }
  }
  if (entry.during === 'holiday' && !data.holiday) {
    at(p('during'), 'error', m().duringWithoutHoliday, 'during-without-holiday');
  }
  if (entry.window !== undefined && /^0+[mhd]$/.test(entry.window)) {
    // A zero window ends at the due time itself: the daemon would record every firing missed.
    at(p('window'), 'error', m().windowTooShort(entry.window), 'window-too-short');
  }
  if (entry.window === 'holiday' && !data.holiday) {
    at(p('window'), 'error', m().windowWithoutHoliday, 'window-without-holiday');
  }
  (entry.advisories ?? []).forEach((id, j) => {
    const first = entry.advisories!.indexOf(id);
    if (first < j) at(p('advisories', j), 'error', m().duplicateAdvisory(entry.name, id, first + 1, j + 1), 'duplicate-advisory');
  });
  checkDate(entry.from, p('from'), at);
  checkDate(entry.until, p('until'), at);
  for (const key of ['from', 'until'] as const) {
    const far = implausibleDate(entry[key], zone, data, getCalendar);
    if (far) at(p(key), 'warning', m().implausible(key, entry[key]!, far), 'implausible-date');
  }
  if (entry.from && entry.until) {
    const a = toInstant(entry.from, zone);
    const b = toInstant(entry.until, zone);
    if (a !== undefined && b !== undefined && a > b) at(p('until'), 'error', m().untilBeforeFrom(entry.until, entry.from), 'invalid-range');
  }
}

function checkDate(value: string | undefined, path: Path, at: At): void {
  if (value === undefined) return;
  const reason = dateProblem(value);
  if (reason) at(path, 'error', contentMessages().invalidDate(value, reason), 'invalid-date');
}

/** Why an absolute `at` lies outside the campaign's `starts`…`expires` (a date-only `expires` includes that day), or undefined. */
function outsideInForce(when: string, zone: string, data: CampaignData, campaignZone: string): string | undefined {
  const t = toInstant(when, zone);
  if (t === undefined) return undefined;
  const starts = data.starts ? toInstant(data.starts, campaignZone) : undefined;
  if (starts !== undefined && t < starts) return m().beforeStarts(data.starts!);
  const end = data.expires ? toEndInstant(data.expires, campaignZone) : undefined;
  return end !== undefined && t >= end ? m().afterExpires(data.expires!) : undefined;
}

/** The local date and time a holiday-relative `at` names in `year` (`-2d` moves the date; `-12h` counts from the time, so its base is checked). */
function relativeLocal(rel: { holiday: string; time: string }, start: string): string {
  const m = /^([+-]?)(\d{1,3})d$/.exec(rel.holiday);
  if (!m) return `${start}T${rel.time}`;
  const t = new Date(`${start}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + (m[1] === '-' ? -1 : 1) * Number(m[2]));
  return `${t.toISOString().slice(0, 10)}T${rel.time}`;
}
