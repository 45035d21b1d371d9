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

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Every message of this command, in one place (to move into the message catalogue). */
const M = {
  noYear: 'name the year, e.g. advisory calendar 2027',
  badYear: (text: string) => `"${text}" is not a year: write it with four digits, e.g. advisory calendar 2027${/[０-９]/.test(text) ? ' (full-width digits: switch to English input and retype them)' : ''}`,
  outOfRange: (year: number) => `the holiday calendar covers ${CALENDAR_YEARS.first}–${CALENDAR_YEARS.last}; ${year} is outside it`,
  tooMany: (extra: string[]) => `one year at a time: remove ${extra.map((e) => `"${e}"`).join(', ')}`,
  heading: (year: number) => `Holidays of ${year} as this project plans them (dates in China):`,
  days: (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`,
  off: 'off ',
  work: 'work',
  none: 'none',
  joined: (days: string) => `(${days}: the weekend next to the break, off too as the file does not list it as a working day)`,
  shared: (keys: string[]) => ` (one break with ${keys.join(', ')})`,
  writeFile: (year: number, n: number) => `${n} ${n === 1 ? 'holiday is' : 'holidays are'} estimated: when the State Council publishes the ${year} schedule, write it in ${CALENDAR_DIR}/${year}.yaml (see README "The holiday calendar"), then run \`advisory check\`.`,
  addToFile: (file: string, n: number) => `${n} ${n === 1 ? 'holiday is' : 'holidays are'} estimated: add ${n === 1 ? 'it' : 'them'} to ${file} (see README "The holiday calendar").`,
  fileErrors: (file: string) => `${file} has errors (above): nothing is planned or published until they are fixed; run \`advisory check\` after editing it.`,
  otherErrors: `calendar/ has errors (above): nothing is planned or published until they are fixed.`,
};

export const calendarCommand: Command = {
  name: 'calendar',
  usage: [
    'Usage: advisory calendar YEAR [--json]',
    '',
    '  YEAR    the year, e.g. 2027',
    '  --json  print { year, holidays, problems } as JSON',
    '',
    'For each holiday of YEAR: the days off, the swapped working days (调休上班), and where they come from:',
    `the project's own file ${CALENDAR_DIR}/YEAR.yaml (it takes precedence), the built-in package chinese-days,`,
    'or an estimate from the festival\'s lunar or solar date. Every command plans with this calendar.',
    'Example: advisory calendar 2027',
    'Exit codes: 0 shown, 1 a file in calendar/ has errors (printed with file:line:column), 2 usage (no or bad YEAR).',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
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
    if (estimated > 0) io.out(`\n${file ? M.addToFile(file, estimated) : M.writeFile(year, estimated)}`);
    if (anyErrors) io.err(M.otherErrors);
    return anyErrors ? EXIT.FAILED : EXIT.OK;
  },
};

function parseYear(positionals: string[]): number {
  if (positionals.length === 0) throw new UsageError(M.noYear);
  if (positionals.length > 1) throw new UsageError(M.tooMany(positionals.slice(1)));
  const text = positionals[0].trim().replace(/年$/, '');
  if (!/^\d{4}$/.test(text)) throw new UsageError(M.badYear(positionals[0]));
  const year = Number(text);
  if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) throw new UsageError(M.outOfRange(year));
  return year;
}

/** `joined`: weekend days the file does not list that join the break (not working days in it). */
function describe(p: HolidayPeriod, joined: string[]): string {
  const day = (d: string) => `${d} (${DAYS[weekday(d)]})`;
  const off = p.start === p.end ? day(p.start) : `${day(p.start)} … ${day(p.end)}`;
  const work = p.swappedWorkdays.length === 0 ? M.none : p.swappedWorkdays.map(day).join(', ');
  return [
    `\n${p.name} ${p.key}${p.mergedWith ? M.shared(p.mergedWith) : ''} — ${sourceSentence(p, packageVersion())}`,
    `  ${M.off}  ${off}, ${M.days(p.daysOff.length)}`,
    `  ${M.work}  ${work}`,
    ...(joined.length > 0 ? [`  ${M.joined(joined.map(day).join(', '))}`] : []),
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
