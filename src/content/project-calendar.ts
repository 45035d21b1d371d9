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

/** Every message this file gives, in one place (to move into the message catalogue). */
const M = {
  notFolder: `${CALENDAR_DIR} is a file, but it must be the folder of the project's holiday schedules (calendar/2027.yaml): rename or remove it`,
  badName: (name: string) => {
    const year = /(?<!\d)(\d{4})(?!\d)/.exec(name)?.[1];
    return `this file is not read: a holiday schedule is named by its year alone, e.g. ${CALENDAR_DIR}/${year ?? '2027'}.yaml${year ? `: rename it to ${year}.yaml` : ''}`;
  },
  textFile: (name: string, year: string) => `this file is not read: rename it to ${CALENDAR_DIR}/${year}.yaml (in Windows, turn on "File name extensions" in Explorer's View menu to see the real ending "${name.slice(name.indexOf('.'))}")`,
  outOfRange: (year: number) => `the holiday calendar covers ${CALENDAR_YEARS.first}–${CALENDAR_YEARS.last}; ${year} is outside it`,
  twice: (year: number, other: string) => `${year} is already given by ${CALENDAR_DIR}/${other}: keep one file per year`,
  outside: (real: string) => `refused: this is a symbolic link to ${real}, outside the project: copy the file here instead of linking it`,
};

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
    fail(CALENDAR_DIR, M.notFolder, 'calendar-file-name');
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
      if (txt) fail(file, M.textFile(name, txt[1]), 'calendar-file-name', 'warning');
      else if (/\.ya?ml$/i.test(name)) fail(file, M.badName(name), 'calendar-file-name');
      continue; // notes, a README: not ours to read
    }
    const year = Number(m[1]);
    if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) {
      fail(file, M.outOfRange(year), 'calendar-file-name');
      continue;
    }
    const other = byYear.get(year);
    if (other) {
      fail(file, M.twice(year, other), 'calendar-file-name');
      continue;
    }
    byYear.set(year, name);
    const read = readBytes(join(dir, name), file, realRoot, MAX_CONTENT_BYTES);
    if (!read.ok) {
      problems.push(read.problem.rule === 'symlink-outside' ? { ...read.problem, message: M.outside(read.problem.message.replace(/^.* to (\S+), outside.*$/s, '$1')) } : read.problem);
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
