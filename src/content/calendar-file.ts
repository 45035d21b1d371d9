/**
 * `calendar/<year>.yaml`: a year of the State Council's holiday schedule as a bureau enters it, before a
 * chinese-days release has it (or to correct it). Pure: text in, the year's schedule and every problem
 * (with its line and column) out; content/project-calendar.ts reads the files.
 *
 *   # 2027 年部分节假日安排（国务院办公厅通知）
 *   spring-festival:
 *     off: 2027-02-05..2027-02-13        # a date, a range, or a list of them
 *     work: [2027-02-14, 2027-02-20]     # the weekend days worked instead (调休上班)
 */
import type { Problem } from '../errors.js';
import { HOLIDAY_KEYS, HOLIDAY_NAMES, type HolidayKey } from '../calendar/keys.js';
import { addDays, describeRange, eachDay, weekday } from '../calendar/dates.js';
import { festivalDays } from '../calendar/estimate.js';
import { joinBreak } from '../calendar/local.js';
import type { LocalYear } from '../calendar/types.js';
import { closest, didYouMean } from '../suggest.js';
import { readYaml, type Path } from './yaml-source.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$/;
/** No break the State Council schedules is this long: a longer range has a typing slip in it. */
const MAX_RANGE_DAYS = 31;
/** Days off this far from the festival's own date are probably under the wrong key. */
const FAR_FROM_FESTIVAL_DAYS = 20;
/** Swapped working days lie within a few weeks of the break. */
const FAR_FROM_BREAK_DAYS = 45;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** What staff may write for `off`/`work`, for the did-you-mean. */
const FIELD_ALIASES: Record<string, 'off' | 'work'> = { 放假: 'off', 休息: 'off', 假期: 'off', holiday: 'off', days: 'off', 上班: 'work', 调休: 'work', 补班: 'work', workdays: 'work', working: 'work' };

const zh = (key: HolidayKey) => `${key} (${HOLIDAY_NAMES[key].zh})`;
const EXAMPLE = 'spring-festival:\n  off: 2027-02-05..2027-02-13\n  work: [2027-02-14, 2027-02-20]';

/** Every message this file gives, in one place (to move into the message catalogue). */
const M = {
  notMapping: (file: string) => `${file} must list holidays by key, each with its days off (off:) and swapped working days (work:), e.g.\n${EXAMPLE}`,
  empty: (file: string) => `${file} lists no holiday, so nothing is read from it: add each holiday's days off (see README "The holiday calendar"), or remove the file`,
  unknownKey: (key: string, file: string) => `unknown holiday "${key}" in ${file}.${didYouMean(key, HOLIDAY_KEYS)} The holidays are: ${HOLIDAY_KEYS.join(', ')}`,
  year: (value: unknown, year: number, file: string) => typeof value === 'number'
    ? `year: ${value} does not match the file's name ${file} (the year the dates are for): rename the file to calendar/${value}.yaml, or correct the year`
    : `year: expected the year as a number, e.g. year: ${year}; got "${String(value)}"`,
  entryShape: (key: HolidayKey) => `${zh(key)}: write its days off under off: (and the swapped working days under work:), e.g.\n${key}:\n  off: 2027-02-05..2027-02-13\n  work: [2027-02-14]`,
  unknownField: (field: string, key: HolidayKey) => {
    const near = FIELD_ALIASES[field.trim()] ?? closest(field, ['off', 'work']);
    return `unknown field "${field}" under ${key}.${near ? ` Did you mean "${near}"?` : ''} A holiday has off: (days off, 放假) and work: (swapped working days, 调休上班)`;
  },
  noOff: (key: HolidayKey, year: number) => {
    const [s, e] = festivalDays(key, year);
    return `${zh(key)} has no days off: add off: with a date or a range, e.g. off: ${s === e ? s : `${s}..${e}`}`;
  },
  notText: (value: unknown) => `expected a date like 2027-02-05 or a range like 2027-02-05..2027-02-13; got ${JSON.stringify(value)}${typeof value === 'number' ? ' (a number: write the dashes, 2027-02-05)' : ''}`,
  malformed: (text: string) => `${malformedWhy(text)}; got "${text}"`,
  notReal: (date: string, why: string) => `${date} is not a real date: ${why}`,
  reversed: (from: string, to: string) => `the range ${from}..${to} ends before it starts: write the earlier date first, ${to}..${from}`,
  tooLong: (from: string, to: string, days: number) => `the range ${from}..${to} is ${days} days long; no holiday break is longer than ${MAX_RANGE_DAYS}: check the dates`,
  otherYear: (date: string, year: number, key: HolidayKey) => `${date} is not in ${year}, the year of this file${key === 'new-year' ? ' (New Year may also start in the December before)' : ''}: correct the year, or put the date in calendar/${date.slice(0, 4)}.yaml`,
  allOtherYear: (file: string, other: number, year: number) => `every date in ${file} is in ${other}, not ${year}: rename the file to calendar/${other}.yaml, or correct the dates (a copy of last year's file?)`,
  offAndWork: (date: string, where: string) => `${date} is listed both as a day off (${where}) and as a working day: remove it from one of the lists`,
  workOnWeekday: (date: string) => `${date} is a ${WEEKDAYS[weekday(date)]}, a working day anyway: a swapped working day (调休上班) is a Saturday or Sunday worked instead. Check the date`,
  gap: (key: HolidayKey, missing: string[]) => `the days off of ${zh(key)} are not one unbroken break: ${missing.map((d) => `${d} (${WEEKDAYS[weekday(d)]})`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. List every day off, e.g. off: ${missing[0].slice(0, 8)}01..${missing[0].slice(0, 8)}07 (the weekend next to a break joins it by itself)`,
  farFromFestival: (key: HolidayKey, year: number, days: string[]) => {
    const [s, e] = festivalDays(key, year);
    return `${zh(key)} ${year} falls around ${describeRange(s, e)}, but these days off are ${describeRange(days[0], days[days.length - 1])}: check the holiday key and the dates`;
  },
  farFromBreak: (date: string, key: HolidayKey) => `${date} is more than ${FAR_FROM_BREAK_DAYS} days from the ${zh(key)} break: swapped working days lie within a few weeks of it. Check the date`,
};

function malformedWhy(text: string): string {
  const base = 'expected a date like 2027-02-05 or a range like 2027-02-05..2027-02-13';
  if (/[０-９－／．～：]/.test(text)) return `${base}: it has full-width characters (Chinese input mode); switch to English input and retype it`;
  if (/[,，、]/.test(text)) return `several dates must be a list in brackets, e.g. [2027-02-14, 2027-02-20]`;
  if (/\d\s*(~|～|至|到|—|–|\.\.\.|\bto\b|\s-\s)\s*\d/.test(text)) return `${base}: write a range with two dots between the dates, no other sign`;
  if (/[年月日]/.test(text)) return `${base}: write the date with digits and dashes (2月5日 → 2027-02-05)`;
  if (/^\d{4}[/.]\d{1,2}[/.]\d{1,2}$/.test(text)) return `${base}: write the date with dashes (2027-02-05)`;
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(text)) return `${base}: the month and the day take two digits each (2027-2-5 → 2027-02-05)`;
  return base;
}

/** Why a `YYYY-MM-DD` is no real date, or undefined. */
function unreal(date: string): string | undefined {
  const [y, m, d] = date.split('-').map(Number);
  if (m < 1 || m > 12) return `month ${date.slice(5, 7)} does not exist (01–12)`;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d < 1 || d > days ? `${date.slice(0, 7)} has ${days} days` : undefined;
}

interface Item {
  key: HolidayKey;
  list: 'off' | 'work';
  path: Path;
  days: string[];
}

export interface ParsedCalendarFile {
  /** The year's schedule: the holidays read without error (every one when the file is valid). */
  local: LocalYear;
  problems: Problem[];
}

/** `text` of `file` (`calendar/2027.yaml`), the schedule of `year` (from the file's name). */
export function parseCalendarFile(text: string, file: string, year: number): ParsedCalendarFile {
  const src = readYaml(text, file);
  const problems = [...src.problems];
  const local: LocalYear = { year, file, holidays: {} };
  const at = (path: Path, severity: Problem['severity'], message: string, rule: string, target: 'value' | 'key' = 'value') =>
    problems.push({ file, ...src.locate(path, target), severity, message, rule });
  if (problems.some((p) => p.severity === 'error')) return { local, problems };
  const data = src.value;
  if (data === null || data === undefined) {
    at([], 'warning', M.empty(file), 'calendar-empty');
    return { local, problems };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    at([], 'error', M.notMapping(file), 'calendar-shape');
    return { local, problems };
  }

  const items: Item[] = [];
  const broken = new Set<HolidayKey>();
  for (const [name, entry] of Object.entries(data as Record<string, unknown>)) {
    if (name === 'year') {
      if (entry !== year) at(['year'], 'error', M.year(entry, year, file), 'calendar-file-year');
      continue;
    }
    if (!(HOLIDAY_KEYS as readonly string[]).includes(name)) {
      at([name], 'error', M.unknownKey(name, file), 'calendar-unknown-holiday', 'key');
      continue;
    }
    const key = name as HolidayKey;
    const before = problems.length;
    items.push(...readEntry(key, year, entry, at));
    if (problems.slice(before).some((p) => p.severity === 'error')) broken.add(key);
  }
  if (Object.keys(data).filter((k) => k !== 'year').length === 0) at([], 'warning', M.empty(file), 'calendar-empty');

  checkYears(items, year, file, at, broken);
  checkLists(items, year, at, broken);
  for (const key of HOLIDAY_KEYS) {
    const mine = items.filter((i) => i.key === key);
    if (mine.length === 0 || broken.has(key)) continue;
    local.holidays[key] = {
      off: [...new Set(mine.filter((i) => i.list === 'off').flatMap((i) => i.days))].sort(),
      work: [...new Set(mine.filter((i) => i.list === 'work').flatMap((i) => i.days))].sort(),
    };
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { local, problems };
}

type At = (path: Path, severity: Problem['severity'], message: string, rule: string, target?: 'value' | 'key') => void;

/** One holiday's `off` and `work`, each date or range read (with its place), or the problems. */
function readEntry(key: HolidayKey, year: number, entry: unknown, at: At): Item[] {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    at([key], 'error', M.entryShape(key), 'calendar-shape');
    return [];
  }
  const fields = entry as Record<string, unknown>;
  for (const field of Object.keys(fields)) {
    if (field !== 'off' && field !== 'work') at([key, field], 'error', M.unknownField(field, key), 'calendar-unknown-field', 'key');
  }
  if (fields.off === undefined || fields.off === null || (Array.isArray(fields.off) && fields.off.length === 0)) {
    at(fields.off === undefined ? [key] : [key, 'off'], 'error', M.noOff(key, year), 'calendar-no-days-off', fields.off === undefined ? 'key' : 'value');
  }
  const items: Item[] = [];
  for (const list of ['off', 'work'] as const) {
    const value = fields[list];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    values.forEach((v, i) => {
      const path: Path = Array.isArray(value) ? [key, list, i] : [key, list];
      const days = readDays(v, path, at);
      if (days) items.push({ key, list, path, days });
    });
  }
  return items;
}

/** A date or a range → its days; undefined (reported) when it is not one. */
function readDays(value: unknown, path: Path, at: At): string[] | undefined {
  if (typeof value !== 'string') {
    at(path, 'error', M.notText(value), 'calendar-date');
    return undefined;
  }
  const text = value.trim();
  const range = RANGE.exec(text);
  const [from, to] = range ? [range[1], range[2]] : DAY.test(text) ? [text, text] : [];
  if (!from || !to) {
    at(path, 'error', M.malformed(text), 'calendar-date');
    return undefined;
  }
  for (const d of new Set([from, to])) {
    const why = unreal(d);
    if (why) {
      at(path, 'error', M.notReal(d, why), 'calendar-date');
      return undefined;
    }
  }
  if (to < from) {
    at(path, 'error', M.reversed(from, to), 'calendar-range');
    return undefined;
  }
  const days = eachDay(from, to);
  if (days.length > MAX_RANGE_DAYS) {
    at(path, 'error', M.tooLong(from, to, days.length), 'calendar-range');
    return undefined;
  }
  return days;
}

/** Every date in the file's year (New Year's may start in the December before); a whole file of another year said once. */
function checkYears(items: Item[], year: number, file: string, at: At, broken: Set<HolidayKey>): void {
  const inYear = (i: Item, d: string) => d.startsWith(`${year}-`) || (i.key === 'new-year' && d.startsWith(`${year - 1}-12-`));
  const outside = items.filter((i) => i.days.some((d) => !inYear(i, d)));
  if (outside.length === 0) return;
  const years = new Set(items.flatMap((i) => i.days.map((d) => d.slice(0, 4))));
  if (years.size === 1 && outside.length === items.length) {
    at(items[0].path, 'error', M.allOtherYear(file, Number([...years][0]), year), 'calendar-file-year');
    for (const i of items) broken.add(i.key);
    return;
  }
  for (const i of outside) {
    at(i.path, 'error', M.otherYear(i.days.find((d) => !inYear(i, d))!, year, i.key), 'calendar-date-year');
    broken.add(i.key);
  }
}

/** No day both off and worked; working days on weekends and near their break; each holiday's days off one break near its festival. */
function checkLists(items: Item[], year: number, at: At, broken: Set<HolidayKey>): void {
  const offBy = new Map<string, HolidayKey>();
  for (const i of items) if (i.list === 'off') for (const d of i.days) if (!offBy.has(d)) offBy.set(d, i.key);
  const work = new Set(items.filter((i) => i.list === 'work').flatMap((i) => i.days));
  for (const i of items.filter((x) => x.list === 'work')) {
    const both = i.days.find((d) => offBy.has(d));
    if (both) {
      at(i.path, 'error', M.offAndWork(both, offBy.get(both)!), 'calendar-off-and-work');
      broken.add(i.key).add(offBy.get(both)!);
      continue;
    }
    const weekdayWorked = i.days.find((d) => weekday(d) !== 0 && weekday(d) !== 6);
    if (weekdayWorked) at(i.path, 'warning', M.workOnWeekday(weekdayWorked), 'calendar-work-weekday');
  }
  for (const key of HOLIDAY_KEYS) {
    const offItems = items.filter((i) => i.key === key && i.list === 'off');
    if (offItems.length === 0 || broken.has(key)) continue;
    const { days, missing } = joinBreak(offItems.flatMap((i) => i.days), work);
    if (missing.length > 0) {
      at([key, 'off'], 'error', M.gap(key, missing), 'calendar-break-gap');
      broken.add(key);
      continue;
    }
    const [fs, fe] = festivalDays(key, year);
    if (days[days.length - 1] < addDays(fs, -FAR_FROM_FESTIVAL_DAYS) || days[0] > addDays(fe, FAR_FROM_FESTIVAL_DAYS)) {
      at([key, 'off'], 'warning', M.farFromFestival(key, year, days), 'calendar-far-date');
    }
    for (const i of items.filter((x) => x.key === key && x.list === 'work')) {
      const far = i.days.find((d) => d < addDays(days[0], -FAR_FROM_BREAK_DAYS) || d > addDays(days[days.length - 1], FAR_FROM_BREAK_DAYS));
      if (far) at(i.path, 'warning', M.farFromBreak(far, key), 'calendar-far-date');
    }
  }
}
