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
import { planMessages } from '../../i18n/messages-plan.js';

const DEFAULT_DAYS = 60;

export const planCommand: Command = {
  name: 'plan',
  get usage() {
    return planMessages().usage(DEFAULT_DAYS);
  },
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ root, values, positionals, io }) {
    const m = planMessages();
    const notAProject = projectRootProblem(root);
    if (notAProject) throw new UsageError(notAProject);
    for (const name of positionals) {
      if (/^\d{1,2}:\d{2}/.test(name)) {
        throw new UsageError(m.looksLikeTime(name));
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
      // Said as typed (`2027-02-01`), not as the UTC instant it became (`2027-01-31T16:00:00Z`); now as a local time.
      const shown = (typed: unknown, d: Date) => (typeof typed === 'string' ? typed : DateTime.fromJSDate(d, { zone: DEFAULT_TIMEZONE }).toFormat('yyyy-MM-dd HH:mm'));
      throw new UsageError(m.emptyWindow(shown(values.from, from), values.from !== undefined, shown(values.to, to)));
    }

    const { campaigns, problems, calendar } = loadProject(root, { only: names.length ? names : undefined, now });
    if (problems.some((p) => p.severity === 'error')) {
      for (const p of problems) io.err(formatProblem(p));
      io.err(m.contentErrors);
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
      io.out(m.header(local(from), local(to), DEFAULT_TIMEZONE));
      const notes = new Map<string, string[]>();
      for (const { campaign, period } of result.holidays) notes.set(campaign, [...(notes.get(campaign) ?? []), m.holidayNote(holidayLine(period))]);
      if (result.occurrences.length > 0) io.out(`\n${formatPlanTable(result.occurrences, new Map(campaigns.map((c) => [c.id, c.title])), notes)}\n`);
      const n = result.occurrences.length;
      const inCampaigns = new Set(result.occurrences.map((o) => o.campaign)).size;
      io.out(m.total(n, inCampaigns));
      // With the default window, a campaign that does not fire in it says when it does, and how to see that.
      if (values.from === undefined && values.to === undefined) {
        const quiet = campaigns.filter((c) => !result.occurrences.some((o) => o.campaign === c.id));
        for (const line of outsideWindow(quiet, calendar, to, now)) io.out(line);
      }
    }
    for (const w of result.warnings) io.err(m.warning(w));
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
  const m = planMessages();
  const lines: string[] = [];
  const ahead = plan(campaigns, calendar, { from: after, to: new Date(after.getTime() + 2 * 366 * 86_400_000) }).occurrences;
  for (const c of campaigns) {
    const next = ahead.find((o) => o.campaign === c.id);
    if (next) {
      lines.push(m.nextFires(c.id, next.dueLocal.replace('T', ' ').slice(0, 16), next.schedule, next.channels.join(', '), monthWindow(next.dueLocal)));
      continue;
    }
    const year = c.year ?? DateTime.fromJSDate(now).year;
    const past = plan([c], calendar, { from: new Date(Date.UTC(year - 1, 0, 1)), to: new Date(Math.min(now.getTime(), Date.UTC(year + 1, 0, 1))) }).occurrences;
    const last = past.at(-1);
    lines.push(last ? m.lastFired(c.id, last.dueLocal.replace('T', ' ').slice(0, 16), last.schedule, monthWindow(past[0].dueLocal, last.dueLocal)) : m.neverFires(c.id));
  }
  return lines;
}

/**
 * A day (Asia/Shanghai: `start` → its 00:00, `end` → the 00:00 after it, so the
 * day is included) or a date and time (read in Asia/Shanghai without an offset).
 */
function parseBound(option: string, text: string, side: 'start' | 'end'): Date {
  const trimmed = text.trim();
  if (!DATE_ONLY.test(trimmed) && !LOCAL_OR_OFFSET_DATETIME.test(trimmed)) throw new UsageError(planMessages().badBound(option, text));
  // The same reader as content dates; an end date includes its whole day.
  const dt = side === 'end' && DATE_ONLY.test(trimmed) ? endOfBound(trimmed, DEFAULT_TIMEZONE) : startOfBound(trimmed, DEFAULT_TIMEZONE);
  if (!dt?.isValid) throw new UsageError(planMessages().notARealDate(option, dateProblem(trimmed) ?? null, text));
  return dt.toJSDate();
}
