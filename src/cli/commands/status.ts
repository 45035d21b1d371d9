import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { join } from 'node:path';
import { openLedger } from '../../delivery/ledger.js';
import { buildStatus, formatStatus } from '../../delivery/status.js';
import { loadAllChannelConfigs } from '../../config/channels.js';
import { loadProject } from '../../content/load.js';
import { plan, upcoming } from '../../schedule/plan.js';
import { createCalendar } from '../../calendar/holidays.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Deliveries by state, why held, failures, what is missed, what is next, channel modes',
  usage: [
    'Usage: advisory status [--json]',
    '',
    '  --json   the same report as JSON (also served by `advisory run` at /status.json)',
    '',
    'It also counts the active e-mail subscribers, and warns when a campaign schedules e-mail but nobody is subscribed.',
    '',
    'Exit codes: 0 nothing failed or held, 1 some delivery failed, 4 some delivery is held (for approval or a person).',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ root, values, io }) {
    const now = io.now();
    const store = openLedger(join(root, 'var'));
    try {
      const { campaigns } = loadProject(root, { now });
      const calendar = createCalendar();
      const next = upcoming((w) => plan(campaigns, calendar, w).occurrences, now);
      const report = buildStatus(store, next, Object.values(loadAllChannelConfigs(root, io.env)), now, campaigns);
      io.out(values.json ? JSON.stringify(report, null, 2) : formatStatus(report));
      return report.counts.failed > 0 ? EXIT.FAILED : report.counts.held > 0 ? EXIT.HELD : EXIT.OK;
    } finally {
      store.close();
    }
  },
};
