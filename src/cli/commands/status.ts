import type { Command } from '../command.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { LEDGER_FILE, openLedger } from '../../delivery/ledger.js';
import { UsageError } from '../../errors.js';
import { buildStatus, formatStatus, statusExitCode } from '../../delivery/status.js';
import { loadAllChannelConfigs } from '../../config/channels.js';
import { projectPlanner } from '../../app/project-planner.js';
import { pino } from 'pino';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Deliveries by state, why held, failures, what is missed, what is next, channel modes',
  usage: [
    'Usage: advisory status [--json] [--drill]',
    '',
    '  --json   the same report as JSON (also served by `advisory run` at /status.json)',
    '  --drill  the drill\'s ledger (var/drill/, what `advisory run --clock-start` uses) instead of the real one',
    '',
    'It also counts the active e-mail subscribers, and warns when a campaign schedules e-mail but nobody is subscribed.',
    '',
    'Exit codes: 0 nothing failed or held, 1 some delivery failed, 4 some delivery is held (for approval or a person),',
    'or deliveries are owed (pending, interrupted, waiting to be created) while no dispatcher runs.',
  ].join('\n'),
  options: { json: { type: 'boolean' }, drill: { type: 'boolean' } },
  needsProject: true,
  async run({ root, values, io }) {
    const now = io.now();
    const varDir = join(root, 'var', ...(values.drill ? ['drill'] : []));
    if (values.drill && !existsSync(join(varDir, LEDGER_FILE))) throw new UsageError('there is no drill here (var/drill/): `advisory run --clock-start TIME` starts one.');
    const store = openLedger(varDir);
    try {
      // Content problems are `advisory check`'s to report; here they only leave a campaign out.
      const planner = projectPlanner(root, pino({ level: 'silent' }), () => now);
      const report = buildStatus(store, planner, Object.values(loadAllChannelConfigs(root, io.env)), now);
      io.out(values.json ? JSON.stringify(report, null, 2) : formatStatus(report));
      return statusExitCode(report);
    } finally {
      store.close();
    }
  },
};
