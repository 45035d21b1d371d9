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
import { addDays, eachDay, weekday } from '../calendar/dates.js';
import { festivalDays } from '../calendar/estimate.js';
import { joinBreak } from '../calendar/local.js';
import type { LocalYear } from '../calendar/types.js';
import { closest } from '../suggest.js';
import { calendarFileMessages as says, type MalformedKind } from '../i18n/messages-calendar-file.js';
import { readYaml, type Path } from './yaml-source.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$/;
/** No break the State Council schedules is this long: a longer range has a typing slip in it. */
const MAX_RANGE_DAYS = 31;
/** Days off this far from the festival's own date are probably under the wrong key. */
const FAR_FROM_FESTIVAL_DAYS = 20;
/** Swapped working days lie within a few weeks of the break. */
const FAR_FROM_BREAK_DAYS = 45;
/** What staff may write for `off`/`work`, for the did-you-mean. */
const FIELD_ALIASES: Record<string, 'off' | 'work'> = { 放假: 'off', 休息: 'off', 假期: 'off', holiday: 'off', days: 'off', 上班: 'work', 调休: 'work', 补班: 'work', workdays: 'work', working: 'work' };

const name = (key: HolidayKey) => HOLIDAY_NAMES[key].zh;

/** Every message this file gives, from the catalogue (i18n/messages-calendar-file.ts), with what it needs worked out here. */
const M = {
  notMapping: (file: string) => says().notMapping(file),
  empty: (file: string) => says().empty(file),
  unknownKey: (key: string, file: string) => says().unknownKey(key, file, closest(key, HOLIDAY_KEYS), HOLIDAY_KEYS.join(', ')),
  year: (value: unknown, year: number, file: string) => (typeof value === 'number' ? says().yearMismatch(value, file) : says().yearNotNumber(String(value), year)),
  entryShape: (key: HolidayKey) => says().entryShape(key, name(key)),
  unknownField: (field: string, key: HolidayKey) => says().unknownField(field, key, FIELD_ALIASES[field.trim()] ?? closest(field, ['off', 'work'])),
  noOff: (key: HolidayKey, year: number) => {
    const [s, e] = festivalDays(key, year);
    return says().noOff(key, name(key), s === e ? s : `${s}..${e}`);
  },
  notText: (value: unknown) => says().notText(JSON.stringify(value), typeof value === 'number'),
  malformed: (text: string, year: number) => says().malformed(malformedKind(text), text, exactFix(text, year)),
  notReal: (date: string, why: string) => says().notReal(date, why),
  reversed: (from: string, to: string) => says().reversed(from, to),
  tooLong: (from: string, to: string, days: number) => says().tooLong(from, to, days, MAX_RANGE_DAYS),
  otherYear: (date: string, year: number, key: HolidayKey) => says().otherYear(date, year, key === 'new-year'),
  allOtherYear: (file: string, other: number, year: number) => says().allOtherYear(file, other, year),
  offAndWork: (date: string, where: string) => says().offAndWork(date, where),
  workOnWeekday: (date: string) => says().workOnWeekday(date, weekday(date)),
  gap: (key: HolidayKey, missing: string[]) => says().gap(key, name(key), missing.map((d) => [d, weekday(d)])),
  farFromFestival: (key: HolidayKey, year: number, days: string[]) => says().farFromFestival(key, name(key), year, festivalDays(key, year), [days[0], days[days.length - 1]]),
  farFromBreak: (date: string, key: HolidayKey) => says().farFromBreak(date, FAR_FROM_BREAK_DAYS, key, name(key)),
};

/**
 * What a date typed another way should be written as, when it can be read without guessing: `2月20日` →
 * `2027-02-20` (the file's year), `2027/2/5`, `２０２７－０２－０５`, `10月1日至10月7日` or `10月1日至7日` →
 * `2027-10-01..2027-10-07`; undefined when it cannot be read.
 */
export function exactFix(typed: string, year: number): string | undefined {
  const text = typed.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ').trim();
  const parts = text.split(/\s*(?:\.\.|至|到|~|～|—|–|--)\s*/);
  if (parts.length > 2) return undefined;
  const out: string[] = [];
  let last: { y: number; m: number } | undefined;
  for (const part of parts) {
    const full = /^(?:(\d{4})\s*[年/.-]\s*)?(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?$/.exec(part);
    const dayOnly = /^(\d{1,2})\s*[日号]$/.exec(part);
    let y: number, m: number, d: number;
    if (full) [y, m, d] = [full[1] ? Number(full[1]) : (last?.y ?? year), Number(full[2]), Number(full[3])];
    else if (dayOnly && last) [y, m, d] = [last.y, last.m, Number(dayOnly[1])];
    else return undefined;
    const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (unreal(iso)) return undefined;
    out.push(iso);
    last = { y, m };
  }
  const fix = out.join('..');
  return fix === typed.trim() ? undefined : fix;
}

/** Which slip a date that is not `YYYY-MM-DD` (or a range of two) shows. */
function malformedKind(text: string): MalformedKind {
  if (/[０-９－／．～：]/.test(text)) return 'fullWidth';
  if (/[,，、]/.test(text)) return 'commas';
  if (/\d\s*(~|～|至|到|—|–|\.\.\.|\bto\b|\s-\s)\s*\d/.test(text)) return 'rangeSign';
  if (/[年月日]/.test(text)) return 'chineseDate';
  if (/^\d{4}[/.]\d{1,2}[/.]\d{1,2}$/.test(text)) return 'slashes';
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(text)) return 'digits';
  return 'other';
}

/** Why a `YYYY-MM-DD` is no real date, or undefined. */
function unreal(date: string): string | undefined {
  const [y, m, d] = date.split('-').map(Number);
  if (m < 1 || m > 12) return says().noSuchMonth(date.slice(5, 7));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d < 1 || d > days ? says().monthDays(date.slice(0, 7), days) : undefined;
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
  if (broken.size > 0) local.broken = [...broken].sort();
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
      const days = readDays(v, path, at, year);
      if (days) items.push({ key, list, path, days });
    });
  }
  return items;
}

/** A date or a range → its days; undefined (reported) when it is not one. */
function readDays(value: unknown, path: Path, at: At, year: number): string[] | undefined {
  if (typeof value !== 'string') {
    at(path, 'error', M.notText(value), 'calendar-date');
    return undefined;
  }
  const text = value.trim();
  const range = RANGE.exec(text);
  const [from, to] = range ? [range[1], range[2]] : DAY.test(text) ? [text, text] : [];
  if (!from || !to) {
    at(path, 'error', M.malformed(text, year), 'calendar-date');
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
