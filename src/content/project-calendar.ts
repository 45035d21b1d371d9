/**
 * The project's holiday calendar: chinese-days, with the years the project enters itself in
 * `calendar/<year>.yaml` taking precedence. The thin I/O layer around calendar-file.ts: every command that
 * loads content (check, plan, preview, build, publish, the daemon) gets the same calendar through here.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import { createCalendar, CALENDAR_YEARS, type Calendar, type LocalYear } from '../calendar/holidays.js';
import { decodeUtf8, MAX_CONTENT_BYTES, readBytes } from './read-file.js';
import { parseCalendarFile } from './calendar-file.js';
import { calendarFileMessages as says } from '../i18n/messages-calendar-file.js';

/** The folder, relative to the project root. */
export const CALENDAR_DIR = 'calendar';

export interface ProjectCalendar {
  /** chinese-days with the project's years over it (those read without error: with errors, see `problems`). */
  calendar: Calendar;
  /** The years read from calendar/*.yaml. */
  local: LocalYear[];
  /** Problems in calendar/ (files and names). Any error means nothing may be published until it is fixed. */
  problems: Problem[];
}

const YEAR_FILE = /^(\d{4})\.ya?ml$/i;

/** Reads calendar/*.yaml under `root` (no folder: chinese-days alone). */
export function loadProjectCalendar(root: string): ProjectCalendar {
  const dir = join(root, CALENDAR_DIR);
  const problems: Problem[] = [];
  const local: LocalYear[] = [];
  const fail = (file: string, message: string, rule: string, severity: Problem['severity'] = 'error') =>
    problems.push({ file, line: 1, column: 1, severity, message, rule });
  if (!existsSync(dir)) return { calendar: createCalendar(), local, problems };
  if (!statSync(dir).isDirectory()) {
    fail(CALENDAR_DIR, says().notFolder(CALENDAR_DIR), 'calendar-file-name');
    return { calendar: createCalendar(), local, problems };
  }
  const realRoot = realpathSync(root);
  const byYear = new Map<number, string>();
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const file = `${CALENDAR_DIR}/${name}`;
    const m = YEAR_FILE.exec(name);
    if (!m) {
      const txt = /^(\d{4})\.(ya?ml\.)?txt$/i.exec(name);
      if (txt) fail(file, says().textFile(CALENDAR_DIR, txt[1], name.slice(name.indexOf('.'))), 'calendar-file-name', 'warning');
      else if (/\.ya?ml$/i.test(name)) fail(file, says().badName(CALENDAR_DIR, /(?<!\d)(\d{4})(?!\d)/.exec(name)?.[1]), 'calendar-file-name');
      continue; // notes, a README: not ours to read
    }
    const year = Number(m[1]);
    if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) {
      fail(file, says().outOfRange(CALENDAR_YEARS.first, CALENDAR_YEARS.last, year), 'calendar-file-name');
      continue;
    }
    const other = byYear.get(year);
    if (other) {
      fail(file, says().twice(year, CALENDAR_DIR, other), 'calendar-file-name');
      continue;
    }
    byYear.set(year, name);
    const read = readBytes(join(dir, name), file, realRoot, MAX_CONTENT_BYTES);
    if (!read.ok) {
      problems.push(read.target !== undefined ? { ...read.problem, message: says().outside(read.target) } : read.problem);
      continue;
    }
    const decoded = decodeUtf8(read.bytes, file);
    if (!decoded.ok) {
      problems.push(decoded.problem);
      continue;
    }
    const parsed = parseCalendarFile(decoded.text, file, year);
    problems.push(...parsed.problems);
    local.push(parsed.local);
  }
  return { calendar: createCalendar(local), local, problems };
}
