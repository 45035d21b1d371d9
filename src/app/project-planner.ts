/**
 * The real Planner: campaigns from `advisories/` (content/load) and firings from schedule/plan, on the
 * project's holiday calendar (calendar/*.yaml over chinese-days) as read with the campaigns: the daemon
 * re-reads both together, so an edit to calendar/2027.yaml is planned from the next read on, and while a
 * calendar file has errors nothing is planned.
 */
import type { Logger } from 'pino';
import { loadProject } from '../content/load.js';
import { plan } from '../schedule/plan.js';
import type { Calendar } from '../calendar/holidays.js';
import { formatProblem } from '../errors.js';
import type { Planner } from '../delivery/dispatcher.js';

export function projectPlanner(root: string, log: Logger, now: () => Date, onCalendar?: (calendar: Calendar) => void): Planner {
  const reported = new Set<string>();
  let calendar: Calendar | undefined;
  const read = () => {
    const loaded = loadProject(root, { now: now() });
    calendar = loaded.calendar;
    onCalendar?.(calendar);
    return loaded;
  };
  return {
    campaigns() {
      const { campaigns, problems } = read();
      for (const p of problems.filter((x) => x.severity === 'error')) {
        const line = formatProblem(p);
        const what = p.file.startsWith('calendar') ? 'nothing is planned or published until the holiday calendar is fixed' : 'campaign left out until fixed';
        // Logged once per distinct problem, not every minute.
        if (!reported.has(line)) (reported.add(line), log.error({ file: p.file }, `${what}: ${line}`));
      }
      return campaigns;
    },
    occurrences(campaigns, window) {
      const { occurrences, warnings } = plan(campaigns, calendar ?? read().calendar, window);
      for (const w of warnings) if (!reported.has(w)) (reported.add(w), log.warn(w));
      return occurrences;
    },
  };
}
