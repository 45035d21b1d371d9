/**
 * The planner: campaigns + calendar + a window → every firing due in the
 * window, as plain data. Pure: no clock (the window is the input), no I/O, and
 * every time is computed in an explicit zone, so the result is the same
 * whatever the process's TZ.
 *
 * The window is half-open: a firing due exactly at `from` is in it, one due
 * exactly at `to` is not (so consecutive windows never plan a firing twice).
 */
import { DateTime } from 'luxon';
import type { Calendar, HolidayPeriod } from '../calendar/types.js';
import { CALENDAR_YEARS } from '../calendar/holidays.js';
import type { Campaign, ScheduleEntry } from '../content/model.js';
import { DEFAULT_TIMEZONE } from '../content/schema.js';
import { checkCron, countCronFirings, cronFirings } from './cron.js';
import { cronSeries } from './series.js';
import { endOfBound, isKnownTimeZone, parseDateTime, startOfBound } from '../content/datetime.js';
import { localIso, parseDuration, parseHolidayOffset, utcIso } from './time.js';
import { deliveryKey, type Occurrence } from './types.js';
import { plannerMessages } from '../i18n/messages-plan.js';

export interface PlanWindow {
  /** Included. */
  from: Date;
  /** Excluded. */
  to: Date;
}

export interface PlanResult {
  occurrences: Occurrence[];
  /** Estimated holiday calendars that produced occurrences, and schedules that could not be planned. */
  warnings: string[];
  /** The holiday periods the occurrences were planned from, one per campaign and period, in campaign order: where their dates come from. */
  holidays: PlannedHoliday[];
}

export interface PlannedHoliday {
  campaign: string;
  period: HolidayPeriod;
}

interface Firing {
  due: DateTime;
  /** Position in its series (0-based), for `pick: rotate`. */
  index: number;
  period?: HolidayPeriod;
}

interface EntryContext {
  campaign: Campaign;
  entry: ScheduleEntry;
  zone: string;
  calendar: Calendar;
  fromMs: number;
  toMs: number;
  years: number[];
  warn(message: string): void;
}

const DEFAULT_CRON_WINDOW = { hours: 6 };
const DEFAULT_AT_WINDOW = { hours: 24 };

export function plan(campaigns: Campaign[], calendar: Calendar, window: PlanWindow): PlanResult {
  const fromMs = window.from.getTime();
  const toMs = window.to.getTime();
  const warnings = new Set<string>();
  const warn = (m: string) => warnings.add(m);
  const byKey = new Map<string, Occurrence>();
  const holidays = new Map<string, PlannedHoliday>();

  for (const campaign of campaigns) {
    const expiresEndMs = campaign.expires ? endOfBound(campaign.expires, campaign.timezone ?? DEFAULT_TIMEZONE)?.toMillis() : undefined;
    const startsMs = campaign.starts ? startOfBound(campaign.starts, campaign.timezone ?? DEFAULT_TIMEZONE)?.toMillis() : undefined;
    for (const entry of campaign.schedule) {
      const zone = entry.timezone ?? campaign.timezone ?? DEFAULT_TIMEZONE;
      const where = `${campaign.id}/${entry.name}`;
      if (!isKnownTimeZone(zone)) {
        warn(plannerMessages().skipped(where, plannerMessages().unknownZone(zone)));
        continue;
      }
      const ids = advisoryIds(campaign, entry, warn);
      if (ids.length === 0) {
        warn(plannerMessages().skipped(where, plannerMessages().noAdvisories));
        continue;
      }
      const ctx: EntryContext = { campaign, entry, zone, calendar, fromMs, toMs, years: yearsFor(campaign, zone, fromMs, toMs), warn };
      let firings: Firing[];
      try {
        firings = entry.cron !== undefined ? cronEntry(ctx) : entry.at !== undefined ? atEntry(ctx) : [];
      } catch (err) {
        warn(plannerMessages().skipped(where, (err as Error).message));
        continue;
      }
      if (entry.cron === undefined && entry.at === undefined) warn(plannerMessages().skipped(where, plannerMessages().neitherAtNorCron));
      for (const f of firings) {
        const dueMs = f.due.toMillis();
        if (dueMs < fromMs || dueMs >= toMs) continue;
        if (expiresEndMs !== undefined && dueMs >= expiresEndMs) continue;
        if (startsMs !== undefined && dueMs < startsMs) continue;
        // An advisory past its own `expires` is left out of new posts (rotation goes on among the others).
        const live = inForce(campaign, ids, dueMs);
        if (live.length === 0) continue;
        const occ = occurrence(ctx, f, live);
        if (byKey.has(occ.key)) continue;
        byKey.set(occ.key, occ);
        if (f.period?.warning) warn(f.period.warning);
        if (f.period) holidays.set(`${campaign.id}\0${f.period.key}/${f.period.year}`, { campaign: campaign.id, period: f.period });
      }
    }
  }

  const occurrences = [...byKey.values()].sort((a, b) =>
    a.dueUtc < b.dueUtc ? -1 : a.dueUtc > b.dueUtc ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  return { occurrences, warnings: [...warnings], holidays: [...holidays.values()] };
}

/** The ids whose advisory has no `expires`, or expires after `dueMs` (a date-only `expires` includes its whole day). */
function inForce(campaign: Campaign, ids: string[], dueMs: number): string[] {
  const zone = campaign.timezone ?? DEFAULT_TIMEZONE;
  return ids.filter((id) => {
    const expires = campaign.advisories.find((a) => a.id === id)?.expires;
    const end = expires ? endOfBound(expires, zone)?.toMillis() : undefined;
    return end === undefined || dueMs < end;
  });
}

/** The schedule's `advisories:` (in the order written) or every advisory in file order. */
function advisoryIds(campaign: Campaign, entry: ScheduleEntry, warn: (m: string) => void): string[] {
  const all = [...campaign.advisories].sort((a, b) => a.index - b.index).map((a) => a.id);
  if (!entry.advisories) return all;
  const unknown = entry.advisories.filter((id) => !all.includes(id));
  if (unknown.length > 0) {
    warn(plannerMessages().unknownAdvisories(`${campaign.id}/${entry.name}`, unknown, all));
  }
  return entry.advisories.filter((id) => all.includes(id));
}

/** The campaign's year, or (evergreen) every year the window touches, with one year's margin each side. */
function yearsFor(campaign: Campaign, zone: string, fromMs: number, toMs: number): number[] {
  if (campaign.year !== undefined) return [campaign.year];
  // Clamped to what the holiday calendar covers, so a very wide window plans what it can.
  const first = Math.max(CALENDAR_YEARS.first, DateTime.fromMillis(fromMs, { zone }).year - 1);
  const last = Math.min(CALENDAR_YEARS.last, DateTime.fromMillis(toMs, { zone }).year + 1);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

function atEntry(ctx: EntryContext): Firing[] {
  const { campaign, entry, zone, calendar } = ctx;
  const at = entry.at!;
  if (typeof at === 'string') {
    const due = parseDateTime(at, zone);
    if (!due) throw new Error(plannerMessages().badAt(at));
    const period = campaign.holiday ? calendar.resolve(campaign.holiday, campaign.year ?? due.year) : undefined;
    return [{ due, index: 0, period }];
  }
  if (!campaign.holiday) throw new Error(plannerMessages().atNeedsHoliday);
  const offset = parseHolidayOffset(at.holiday);
  if (!offset) throw new Error(plannerMessages().badOffset(at.holiday));
  return ctx.years.map((year) => {
    const period = calendar.resolve(campaign.holiday!, year);
    const due = DateTime.fromISO(`${period.start}T${at.time}`, { zone }).plus(offset);
    return { due, index: 0, period };
  });
}

function cronEntry(ctx: EntryContext): Firing[] {
  const { entry, zone } = ctx;
  const check = checkCron(entry.cron!);
  if (!check.ok) throw new Error(plannerMessages().badCron(entry.cron!, check.message));
  const rotate = entry.pick === 'rotate';
  const out: Firing[] = [];
  for (const series of cronSeries({ ...ctx, openEndMs: ctx.toMs })) {
    if (series.startMs >= ctx.toMs || series.endMs <= ctx.fromMs) continue;
    // Only the window is enumerated; rotation counts from the series' start, so the
    // firings before the window are counted (fast) to give the first index.
    const startMs = Math.max(series.startMs, ctx.fromMs);
    const endMs = Math.min(series.endMs, ctx.toMs);
    const offset = rotate ? countCronFirings(entry.cron!, zone, series.startMs, startMs) : 0;
    const { firings, truncated } = cronFirings(entry.cron!, zone, startMs, endMs);
    if (truncated) ctx.warn(plannerMessages().tooOften(`${ctx.campaign.id}/${entry.name}`, entry.cron!));
    firings.forEach((due, i) => out.push({ due, index: offset + i, period: series.period }));
  }
  return out;
}

function occurrence(ctx: EntryContext, f: Firing, ids: string[]): Occurrence {
  const { campaign, entry, zone } = ctx;
  const due = f.due.setZone(zone).startOf('second');
  const dueUtc = utcIso(due);
  const kind = entry.cron !== undefined ? 'cron' : 'at';
  return {
    key: `${campaign.id}/${entry.name}/${dueUtc}`,
    campaign: campaign.id,
    schedule: entry.name,
    channels: [...entry.channels],
    keys: Object.fromEntries(entry.channels.map((ch) => [ch, deliveryKey(campaign.id, entry.name, ch, dueUtc)])),
    dueUtc,
    dueLocal: localIso(due),
    timezone: zone,
    advisories: entry.pick === 'rotate' ? [ids[f.index % ids.length]] : [...ids],
    windowEndsUtc: utcIso(windowEnd(entry, kind, due, f.period, zone)),
    kind,
  };
}

/**
 * How long a missed firing may still go out: the schedule's `window`, else 6h
 * for a cron reminder, else (a one-off bulletin) until the holiday's last day
 * off ends, or 24h without a holiday. `holiday` never ends before the due time
 * plus the default (6h for cron, 24h for at).
 */
function windowEnd(entry: ScheduleEntry, kind: 'at' | 'cron', due: DateTime, period: HolidayPeriod | undefined, zone: string): DateTime {
  const fallback = due.plus(kind === 'cron' ? DEFAULT_CRON_WINDOW : DEFAULT_AT_WINDOW);
  const spec = entry.window ?? (kind === 'cron' ? undefined : period ? 'holiday' : undefined);
  if (spec === undefined) return fallback;
  if (spec === 'holiday') {
    if (!period) return fallback;
    const end = DateTime.fromISO(period.end, { zone }).startOf('day').plus({ days: 1 });
    return end > fallback ? end : fallback;
  }
  const duration = parseDuration(spec);
  return duration ? due.plus(duration) : fallback;
}

/**
 * The next occurrences after `from`, for "what is next" in status: looks 30
 * days ahead, then a year and more, so a holiday ten months away still shows,
 * while a busy cron is not planned a year deep.
 */
export function upcoming(planFor: (window: PlanWindow) => Occurrence[], from: Date, limit = 10): Occurrence[] {
  for (const days of [30, 400]) {
    const found = planFor({ from, to: new Date(from.getTime() + days * 86_400_000) });
    if (found.length > 0 || days === 400) return found.slice(0, limit);
  }
  return [];
}
