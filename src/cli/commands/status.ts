import type { Command } from '../command.js';
import { join } from 'node:path';
import { storeExists } from '../../delivery/store/index.js';
import { withRuntime } from '../runtime.js';
import { UsageError } from '../../errors.js';
import { buildStatus, formatStatus, statusExitCode } from '../../delivery/status.js';
import { queueConfig, queueLocation } from '../../delivery/queue/index.js';
import { pino } from 'pino';
import { statusMessages } from '../../i18n/messages-ledger.js';

export const statusCommand: Command = {
  name: 'status',
  get usage() {
    return statusMessages().usage;
  },
  options: { json: { type: 'boolean' }, drill: { type: 'boolean' } },
  async run({ root, values, io }) {
    const now = io.now();
    const varDir = join(root, 'var', ...(values.drill ? ['drill'] : []));
    if (values.drill && !(await storeExists({ kind: 'sqlite', varDir }))) throw new UsageError(statusMessages().noDrill);
    return withRuntime({ root, io }, async (rt) => {
      // Content problems are `advisory check`'s to report; here they only leave a campaign out.
      let report = await buildStatus(await rt.store(), rt.planner, Object.values(rt.configs), now, 50, rt.varDir);
      // The header names what was read: with several ledgers and queues about, which one this is.
      const queueAt = queueLocation(await queueConfig({ root: rt.root, env: rt.env, varDir: rt.varDir }));
      report = { ledger: (await rt.store()).location, queue: queueAt, ...report };
      io.out(values.json ? JSON.stringify(report, null, 2) : formatStatus(report));
      return statusExitCode(report);
    }, { varDir, log: pino({ level: 'silent' }) });
  },
};
