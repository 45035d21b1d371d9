/**
 * `check`'s part of issue 12 for schedules: no schedule may post to a channel
 * more often than the channel's least interval, alone (a cron every minute) or
 * together with the campaign's other schedules (two hourly crons half an hour
 * apart, two `at` a minute apart), and a campaign has at most
 * MAX_SCHEDULE_ENTRIES schedules. Pure; the intervals come in as options.
 */
import { DateTime } from 'luxon';
import type { Problem } from '../errors.js';
import type { Calendar } from '../calendar/types.js';
import { CHANNEL_NAMES, type ChannelName } from '../config/channel-names.js';
import type { CampaignData, ScheduleEntry } from './schema.js';
import type { Path } from './yaml-source.js';
import { cronProblem, isKnownTimeZone, parseDateTime } from './datetime.js';
import { closestPair, cronDays, cronFiringsOnDays, cronFrequency, cronIntervalProblem, DEFAULT_MIN_INTERVALS, type Firing, type MinIntervals } from './schedule-frequency.js';
import { scheduleMessages } from '../i18n/messages-schedule.js';

/** Real campaigns have two or three; each one more is planned on every wake of the daemon. */
export const MAX_SCHEDULE_ENTRIES = 50;

/** Above this many firings of one channel in the year looked at, the across-schedules check is left to the per-schedule one. */
const MAX_FIRINGS_COMPARED = 200_000;

type At = (path: Path, severity: Problem['severity'], message: string, rule: string, target?: 'value' | 'key') => void;

const DAY = 86_400;
const dayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 1000 / DAY;

export function frequencyProblems(data: CampaignData, campaignZone: string, calendar: () => Calendar, at: At, options: { minIntervals?: MinIntervals; now?: Date }): void {
  if (data.schedule.length > MAX_SCHEDULE_ENTRIES) {
    at(['schedule', MAX_SCHEDULE_ENTRIES], 'error', scheduleMessages().tooManySchedules(data.schedule.length, MAX_SCHEDULE_ENTRIES), 'too-many-schedules', 'key');
    return;
  }
  const year = data.year ?? (options.now ?? new Date()).getUTCFullYear();
  // The year a cron without bounds runs in (the planner bounds it so); for an evergreen campaign, this year as a sample.
  const [fromDay, toDay] = [dayNumber(`${year}-01-01`), dayNumber(`${year + 1}-01-01`)];
  for (const channel of CHANNEL_NAMES) {
    const min = options.minIntervals?.[channel] ?? DEFAULT_MIN_INTERVALS[channel];
    if (min <= 0) continue;
    const config = `channels/${channel}.yaml`;
    const firings: Firing[] = [];
    let countable = true;
    data.schedule.forEach((entry, i) => {
      if (!entry.channels.includes(channel)) return;
      const zone = entry.timezone ?? campaignZone;
      if (!isKnownTimeZone(zone)) return; // reported on its own
      if (entry.cron !== undefined && entry.at === undefined) {
        if (cronProblem(entry.cron, zone)) return; // reported on its own
        const problem = cronIntervalProblem(entry.cron, channel, min, config);
        if (problem) {
          at(['schedule', i, 'cron'], 'error', scheduleMessages().scheduleSays(entry.name, problem), 'schedule-too-frequent');
          countable = false;
          return;
        }
        const days = [...cronDays(entry.cron, fromDay, toDay)].filter(inBounds(entry, data, year, calendar));
        const { times } = cronFrequency(entry.cron);
        if (firings.length + days.length * times.length > MAX_FIRINGS_COMPARED) countable = false;
        else firings.push(...cronFiringsOnDays(i, times, days, zone));
      } else if (entry.at !== undefined && entry.cron === undefined) {
        const due = atInstant(entry, data, zone, year, calendar);
        if (due) firings.push({ entry: i, utc: due.toMillis(), local: due.toMillis() / 1000 + due.offset * 60, zone });
      }
    });
    if (!countable) continue;
    const pair = closestPair(firings, min);
    if (!pair) continue;
    const [a, b, gap] = pair;
    const [ea, eb] = [data.schedule[a.entry], data.schedule[b.entry]];
    const when = (f: Firing) => DateTime.fromMillis(f.utc, { zone: f.zone }).toFormat('yyyy-MM-dd HH:mm');
    at(['schedule', Math.max(a.entry, b.entry), 'channels'], 'error', scheduleMessages().pairTooClose(ea.name, eb.name, channel, gap, when(a), when(b), min, config), 'schedule-too-frequent');
  }
}

/** Whether a local day (a day number) is inside the entry's from/until and, with `during: holiday`, the holiday's days off. */
function inBounds(entry: ScheduleEntry, data: CampaignData, year: number, calendar: () => Calendar): (day: number) => boolean {
  const from = entry.from ? dayNumber(entry.from) : -Infinity;
  const until = entry.until ? dayNumber(entry.until) : Infinity;
  let holiday: [number, number] | undefined;
  if (entry.during === 'holiday' && data.holiday) {
    const period = calendar().resolve(data.holiday, year);
    holiday = [dayNumber(period.start), dayNumber(period.end)];
  }
  return (d) => d >= from && d <= until && (!holiday || (d >= holiday[0] && d <= holiday[1]));
}

/** An `at` entry's instant (a relative one in `year`), or undefined when it cannot be read (reported elsewhere). */
function atInstant(entry: ScheduleEntry, data: CampaignData, zone: string, year: number, calendar: () => Calendar): DateTime | undefined {
  if (typeof entry.at === 'string') return parseDateTime(entry.at, zone);
  if (!entry.at || !data.holiday) return undefined;
  const m = /^([+-]?)(\d{1,3})([dh])$/.exec(entry.at.holiday);
  if (!m) return undefined;
  const n = (m[1] === '-' ? -1 : 1) * Number(m[2]);
  const start = calendar().resolve(data.holiday, year).start;
  const due = DateTime.fromISO(`${start}T${entry.at.time}`, { zone }).plus(m[3] === 'd' ? { days: n } : { hours: n });
  return due.isValid ? due : undefined;
}
