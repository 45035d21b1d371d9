import type { Command } from '../command.js';
import { join } from 'node:path';
import { storeExists } from '../../delivery/store/index.js';
import { withRuntime } from '../runtime.js';
import { UsageError } from '../../errors.js';
import { buildStatus, formatStatus, statusExitCode } from '../../delivery/status.js';
import { pino } from 'pino';

export const statusCommand: Command = {
  name: 'status',
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
  async run({ root, values, io }) {
    const now = io.now();
    const varDir = join(root, 'var', ...(values.drill ? ['drill'] : []));
    if (values.drill && !storeExists({ kind: 'sqlite', varDir })) throw new UsageError('there is no drill here (var/drill/): `advisory run --clock-start TIME` starts one.');
    return withRuntime({ root, io }, async (rt) => {
      // Content problems are `advisory check`'s to report; here they only leave a campaign out.
      const report = await buildStatus(await rt.store(), rt.planner, Object.values(rt.configs), now, 50, rt.varDir);
      io.out(values.json ? JSON.stringify(report, null, 2) : formatStatus(report));
      return statusExitCode(report);
    }, { varDir, log: pino({ level: 'silent' }) });
  },
};
