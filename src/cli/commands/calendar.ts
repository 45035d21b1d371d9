/**
 * `advisory calendar YEAR`: what the project believes about a year's holidays — each holiday's days off and
 * swapped working days, and where they come from (calendar/YEAR.yaml, chinese-days, or an estimate). The
 * same calendar check, plan, preview, build, publish and the daemon use. Reads, prints, writes nothing.
 */
import { createRequire } from 'node:module';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { UsageError, formatProblem } from '../../errors.js';
import { CALENDAR_YEARS, type HolidayPeriod } from '../../calendar/holidays.js';
import { HOLIDAY_KEYS } from '../../calendar/keys.js';
import { weekday } from '../../calendar/dates.js';
import { sourceSentence } from '../../calendar/describe.js';
import { CALENDAR_DIR, loadProjectCalendar } from '../../content/project-calendar.js';
import { calendarMessages } from '../../i18n/messages-calendar.js';

export const calendarCommand: Command = {
  name: 'calendar',
  get usage() {
    return calendarMessages().usage(CALENDAR_DIR);
  },
  options: { json: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    const M = calendarMessages();
    const year = parseYear(positionals);
    const project = loadProjectCalendar(root);
    const file = project.calendar.localYears.get(year);
    const own = project.problems.filter((p) => new RegExp(`^${CALENDAR_DIR}/${year}\\.ya?ml$`, 'i').test(p.file));
    const ownErrors = own.some((p) => p.severity === 'error');
    const anyErrors = project.problems.some((p) => p.severity === 'error');
    const holidays = ownErrors ? [] : HOLIDAY_KEYS.map((key) => project.calendar.resolve(key, year));
    if (values.json) {
      io.out(JSON.stringify({ year, holidays: holidays.map((p) => ({ ...p, ...(p.source === 'chinese-days' ? { package: `chinese-days ${packageVersion() ?? ''}`.trim() } : {}) })), problems: project.problems }, null, 2));
      return anyErrors ? EXIT.FAILED : EXIT.OK;
    }
    for (const p of project.problems) io.err(formatProblem(p));
    if (ownErrors) {
      io.err(M.fileErrors(own[0].file));
      return EXIT.FAILED;
    }
    io.out(M.heading(year));
    const entered = project.local.find((l) => l.year === year);
    const listed = new Set(Object.values(entered?.holidays ?? {}).flatMap((h) => h?.off ?? []));
    for (const p of holidays) io.out(describe(p, p.source === 'local' ? p.daysOff.filter((d) => !listed.has(d)) : []));
    const estimated = holidays.filter((p) => p.estimated).length;
    if (estimated > 0) io.out(`\n${file ? M.addToFile(file, estimated) : M.writeFile(year, estimated, CALENDAR_DIR)}`);
    if (anyErrors) io.err(M.otherErrors);
    return anyErrors ? EXIT.FAILED : EXIT.OK;
  },
};

function parseYear(positionals: string[]): number {
  const M = calendarMessages();
  if (positionals.length === 0) throw new UsageError(M.noYear);
  if (positionals.length > 1) throw new UsageError(M.tooMany(positionals.slice(1)));
  const text = positionals[0].trim().replace(/年$/, '');
  if (!/^\d{4}$/.test(text)) throw new UsageError(M.badYear(positionals[0], /[０-９]/.test(positionals[0])));
  const year = Number(text);
  if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) throw new UsageError(M.outOfRange(CALENDAR_YEARS.first, CALENDAR_YEARS.last, year));
  return year;
}

/** `joined`: weekend days the file does not list that join the break (not working days in it). */
function describe(p: HolidayPeriod, joined: string[]): string {
  const M = calendarMessages();
  const day = (d: string) => M.day(d, weekday(d));
  const off = p.start === p.end ? day(p.start) : `${day(p.start)} … ${day(p.end)}`;
  return [
    `\n${M.title(p.name, p.key, p.mergedWith, sourceSentence(p, packageVersion()))}`,
    M.offLine(off, p.daysOff.length),
    M.workLine(p.swappedWorkdays.map(day)),
    ...(joined.length > 0 ? [M.joined(joined.map(day))] : []),
  ].join('\n');
}

let version: string | null | undefined;
/** chinese-days' version, to say which copy of the official data is built in. */
function packageVersion(): string | undefined {
  if (version === undefined) {
    try {
      version = (createRequire(import.meta.url)('chinese-days/package.json') as { version?: string }).version ?? null;
    } catch {
      version = null;
    }
  }
  return version ?? undefined;
}
