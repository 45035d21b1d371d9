/** The real Planner: campaigns from `advisories/` (content/load) and firings from schedule/plan. */
import type { Logger } from 'pino';
import { loadProject } from '../content/load.js';
import { plan } from '../schedule/plan.js';
import { createCalendar, type Calendar } from '../calendar/holidays.js';
import { formatProblem } from '../errors.js';
import type { Planner } from '../delivery/dispatcher.js';

export function projectPlanner(root: string, log: Logger, now: () => Date, calendar: Calendar = createCalendar()): Planner {
  const reported = new Set<string>();
  return {
    campaigns() {
      const { campaigns, problems } = loadProject(root, { now: now() });
      for (const p of problems.filter((x) => x.severity === 'error')) {
        const line = formatProblem(p);
        // Logged once per distinct problem, not every minute.
        if (!reported.has(line)) (reported.add(line), log.error({ file: p.file }, `campaign left out until fixed: ${line}`));
      }
      return campaigns;
    },
    occurrences(campaigns, window) {
      const { occurrences, warnings } = plan(campaigns, calendar, window);
      for (const w of warnings) if (!reported.has(w)) (reported.add(w), log.warn(w));
      return occurrences;
    },
  };
}
