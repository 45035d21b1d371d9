/**
 * `advisory plan`: what fires when, in a window. Reads content, plans, prints;
 * nothing is sent and nothing is written (not even var/).
 */
import { DateTime } from 'luxon';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { assertKnownCampaigns } from './campaign-arg.js';
import { UsageError, formatProblem } from '../../errors.js';
import { loadProject, projectRootProblem } from '../../content/load.js';
import { DATE_ONLY, DEFAULT_TIMEZONE, LOCAL_OR_OFFSET_DATETIME } from '../../content/schema.js';
import { holidayLine } from '../../calendar/describe.js';
import { plan } from '../../schedule/plan.js';
import { formatPlanTable } from '../../schedule/format.js';
import type { Campaign } from '../../content/model.js';
import type { Calendar } from '../../calendar/types.js';
import { utcIso } from '../../schedule/time.js';
import { dateProblem, endOfBound, startOfBound } from '../../content/datetime.js';

const DEFAULT_DAYS = 60;

export const planCommand: Command = {
  name: 'plan',
  usage: [
    'Usage: advisory plan [campaign...] [--from DATE] [--to DATE] [--json]',
    '',
    `  campaign...  only these campaigns (folder names under advisories/); default: all`,
    `  --from DATE  start of the window (included); default: now`,
    `  --to DATE    end of the window; default: --from + ${DEFAULT_DAYS} days`,
    '  --json       print { from, to, occurrences, holidays, warnings } as JSON',
    '',
    'DATE is a day, 2014-09-01 (Asia/Shanghai; --from starts at 00:00 of that day, --to includes that',
    'whole day), or a date and time, 2014-09-29T09:00+08:00 (--from included, --to excluded).',
    'Example: advisory plan 2014-national-day --from 2014-09-01 --to 2014-10-31',
    'Each campaign shows the holiday its firings are planned from and where its dates come from:',
    'official (chinese-days), official (local file calendar/2027.yaml) or estimated (see `advisory calendar YEAR`).',
    'Warnings (e.g. an estimated holiday calendar) go to stderr.',
    'Exit codes: 0 planned, 1 content errors (printed; no plan), 2 usage (no advisories/ folder, bad date, --from after --to, unknown campaign).',
  ].join('\n'),
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ root, values, positionals, io }) {
    const notAProject = projectRootProblem(root);
    if (notAProject) throw new UsageError(notAProject);
    for (const name of positionals) {
      if (/^\d{1,2}:\d{2}/.test(name)) {
        throw new UsageError(`"${name}" looks like the time of a --from/--to date: join date and time with a T (--from 2014-09-29T${name}) or quote them ("2014-09-29 ${name}")`);
      }
    }
    const names = assertKnownCampaigns(root, positionals);
    const now = io.now();
    const from = values.from === undefined ? now : parseBound('--from', values.from as string, 'start');
    const to =
      values.to === undefined
        ? new Date(from.getTime() + DEFAULT_DAYS * 86_400_000)
        : parseBound('--to', values.to as string, 'end');
    if (from.getTime() >= to.getTime()) {
      throw new UsageError(
        `the window is empty: --from (${values.from === undefined ? 'not given, so now: ' : ''}${utcIso(DateTime.fromJSDate(from))}) must be before --to (${utcIso(DateTime.fromJSDate(to))}). Example: --from 2014-09-01 --to 2014-10-31`,
      );
    }

    const { campaigns, problems, calendar } = loadProject(root, { only: names.length ? names : undefined, now });
    if (problems.some((p) => p.severity === 'error')) {
      for (const p of problems) io.err(formatProblem(p));
      io.err('advisory plan: no plan while content has errors; fix them (see `advisory check`) and run again.');
      return EXIT.FAILED;
    }
    // The plan's own warnings say it when a holiday's dates are estimated.
    for (const p of problems) if (p.rule !== 'calendar-estimated') io.err(formatProblem(p));

    const result = plan(campaigns, calendar, { from, to });
    const window = { from: utcIso(DateTime.fromJSDate(from)), to: utcIso(DateTime.fromJSDate(to)) };
    if (values.json) {
      const holidays = result.holidays.map(({ campaign, period }) => ({ campaign, ...period }));
      io.out(JSON.stringify({ ...window, occurrences: result.occurrences, holidays, warnings: result.warnings }, null, 2));
    } else {
      const local = (d: Date) => DateTime.fromJSDate(d, { zone: DEFAULT_TIMEZONE }).toFormat("yyyy-MM-dd HH:mm ZZ");
      io.out(`Plan from ${local(from)} to ${local(to)} (${DEFAULT_TIMEZONE}; end excluded). Nothing is sent.`);
      const notes = new Map<string, string[]>();
      for (const { campaign, period } of result.holidays) notes.set(campaign, [...(notes.get(campaign) ?? []), `holiday ${holidayLine(period)}`]);
      if (result.occurrences.length > 0) io.out(`\n${formatPlanTable(result.occurrences, new Map(campaigns.map((c) => [c.id, c.title])), notes)}\n`);
      const n = result.occurrences.length;
      const inCampaigns = new Set(result.occurrences.map((o) => o.campaign)).size;
      io.out(`${n} ${n === 1 ? 'occurrence' : 'occurrences'} in ${inCampaigns} ${inCampaigns === 1 ? 'campaign' : 'campaigns'}.`);
      // With the default window, a campaign that does not fire in it says when it does, and how to see that.
      if (values.from === undefined && values.to === undefined) {
        const quiet = campaigns.filter((c) => !result.occurrences.some((o) => o.campaign === c.id));
        for (const line of outsideWindow(quiet, calendar, to, now)) io.out(line);
      }
    }
    for (const w of result.warnings) io.err(`warning: ${w}`);
    return EXIT.OK;
  },
};

/**
 * For campaigns with no firing in the default window: the next firing within two years (or, for a campaign
 * whose firings are all past, the last one of its year), with the `plan` command that lists it.
 */
function outsideWindow(campaigns: Campaign[], calendar: Calendar, after: Date, now: Date): string[] {
  if (campaigns.length === 0) return [];
  const monthWindow = (iso: string, until = iso) => {
    const d = DateTime.fromISO(iso, { setZone: true });
    return `--from ${d.startOf('month').toISODate()} --to ${DateTime.fromISO(until, { setZone: true }).endOf('month').toISODate()}`;
  };
  const lines: string[] = [];
  const ahead = plan(campaigns, calendar, { from: after, to: new Date(after.getTime() + 2 * 366 * 86_400_000) }).occurrences;
  for (const c of campaigns) {
    const next = ahead.find((o) => o.campaign === c.id);
    if (next) {
      lines.push(`${c.id}: nothing in this window; next fires ${next.dueLocal.replace('T', ' ').slice(0, 16)} (${next.schedule}: ${next.channels.join(', ')}). See it: advisory plan ${c.id} ${monthWindow(next.dueLocal)}`);
      continue;
    }
    const year = c.year ?? DateTime.fromJSDate(now).year;
    const past = plan([c], calendar, { from: new Date(Date.UTC(year - 1, 0, 1)), to: new Date(Math.min(now.getTime(), Date.UTC(year + 1, 0, 1))) }).occurrences;
    const last = past.at(-1);
    lines.push(last
      ? `${c.id}: nothing from now on; it last fired ${last.dueLocal.replace('T', ' ').slice(0, 16)} (${last.schedule}). See them: advisory plan ${c.id} ${monthWindow(past[0].dueLocal, last.dueLocal)}`
      : `${c.id}: no firing in the next two years (check its schedule and dates; \`advisory plan ${c.id} --from DATE --to DATE\` plans any window)`);
  }
  return lines;
}

/**
 * A day (Asia/Shanghai: `start` → its 00:00, `end` → the 00:00 after it, so the
 * day is included) or a date and time (read in Asia/Shanghai without an offset).
 */
function parseBound(option: string, text: string, side: 'start' | 'end'): Date {
  const example = `expected a date like 2014-09-01 or a date and time like 2014-09-29T09:00+08:00; got "${text}"`;
  const trimmed = text.trim();
  if (!DATE_ONLY.test(trimmed) && !LOCAL_OR_OFFSET_DATETIME.test(trimmed)) throw new UsageError(`${option}: ${example}`);
  // The same reader as content dates; an end date includes its whole day.
  const dt = side === 'end' && DATE_ONLY.test(trimmed) ? endOfBound(trimmed, DEFAULT_TIMEZONE) : startOfBound(trimmed, DEFAULT_TIMEZONE);
  if (!dt?.isValid) throw new UsageError(`${option}: ${dateProblem(trimmed) ?? 'not a real date'}; ${example}`);
  return dt.toJSDate();
}
