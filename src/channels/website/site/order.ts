/**
 * Which campaign the home page leads with and how the archive groups them:
 * the current or next holiday's campaign first (relative to `now`), then the
 * most recent ones; the archive by year, then holiday.
 */
import type { Calendar, HolidayPeriod } from '../../../calendar/types.js';
import type { HolidayKey } from '../../../content/schema.js';
import type { SiteEntry } from './state.js';
import { holidayName as nameOfHoliday } from '../../../calendar/holidays.js';

export interface DatedEntry {
  entry: SiteEntry;
  /** `YYYY-MM-DD…` the campaign is dated (its publication date, else when it was published). */
  date: string;
  year: number;
  holidayName: string;
  period: HolidayPeriod | null;
}

/** Archive headings: one name per holiday key (the calendar's own names can merge two, e.g. 中秋节、国庆节). */
const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function localDay(d: Date): string {
  return SHANGHAI.format(d);
}

export function dated(entries: SiteEntry[], calendar: Calendar, now: Date): DatedEntry[] {
  const today = localDay(now);
  const periods = new Map<string, HolidayPeriod | null>();
  const resolve = (cal: Calendar, key: string, year: number): HolidayPeriod | null => {
    const k = `${key}/${year}`;
    if (!periods.has(k)) periods.set(k, resolvePeriod(cal, key, year));
    return periods.get(k)!;
  };
  return entries.map((entry) => {
    const c = entry.campaign;
    const date = c.date ?? localDay(new Date(entry.publishedAt));
    let year = c.year ?? Number(date.slice(0, 4));
    let period: HolidayPeriod | null = null;
    const thisYear = Number(today.slice(0, 4));
    if (c.holiday) {
      if (c.year === null) {
        // evergreen: this year's holiday, or next year's once this year's is over
        year = thisYear;
        period = resolve(calendar, c.holiday, year);
        if (period && period.end < today) period = resolve(calendar, c.holiday, year + 1);
        if (period) year = period.year;
      } else if (year >= thisYear) {
        // only a holiday of this year or later can be current or next (and resolving costs ~1 ms)
        period = resolve(calendar, c.holiday, year);
      }
    }
    const holidayName = c.holiday ? nameOfHoliday(c.holiday) : '其他提示';
    return { entry, date, year, holidayName, period };
  });
}

function resolvePeriod(calendar: Calendar, key: string, year: number): HolidayPeriod | null {
  try {
    return calendar.resolve(key as HolidayKey, year);
  } catch {
    return null;
  }
}

/** The lead campaign (current or next holiday), then the rest newest first. */
export function homeOrder(items: DatedEntry[], now: Date): { featured: DatedEntry | null; when: string; rest: DatedEntry[] } {
  const today = localDay(now);
  const byDate = [...items].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.entry.id.localeCompare(b.entry.id)));
  const upcoming = items
    .filter((i) => i.period && i.period.end >= today && !isExpired(i, today))
    .sort((a, b) => (a.period!.start < b.period!.start ? -1 : a.period!.start > b.period!.start ? 1 : b.date.localeCompare(a.date)));
  const featured = upcoming[0] ?? byDate[0] ?? null;
  let when = '最新防范提示';
  if (featured?.period && featured.period.end >= today) {
    const range = `${md(featured.period.start)}至${md(featured.period.end)}`;
    when = featured.period.start <= today ? `${featured.period.name}期间（${range}）` : `即将到来：${featured.period.name}（${range}）`;
  }
  return { featured, when, rest: byDate.filter((i) => i !== featured) };
}

export function isExpired(i: DatedEntry, today: string): boolean {
  return i.entry.campaign.expires !== null && i.entry.campaign.expires.slice(0, 10) < today;
}

function md(day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

/** Archive: years newest first, holidays within a year in calendar order. */
export function archiveGroups(items: DatedEntry[]): Array<{ year: number; holidays: Array<{ name: string; items: DatedEntry[] }> }> {
  const years = new Map<number, Map<string, DatedEntry[]>>();
  for (const i of [...items].sort((a, b) => a.date.localeCompare(b.date))) {
    const y = years.get(i.year) ?? new Map<string, DatedEntry[]>();
    years.set(i.year, y);
    const list = y.get(i.holidayName) ?? [];
    y.set(i.holidayName, list);
    list.push(i);
  }
  return [...years.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([year, hs]) => ({ year, holidays: [...hs.entries()].map(([name, list]) => ({ name, items: list })) }));
}
