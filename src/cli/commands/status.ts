import type { Command } from '../command.js';
import { join } from 'node:path';
import { storeExists } from '../../delivery/store/index.js';
import { withRuntime } from '../runtime.js';
import { UsageError } from '../../errors.js';
import { buildStatus, formatStatus, statusExitCode, withQueuesOf, type StatusReport } from '../../delivery/status.js';
import { knownLedgerId, openQueue, queueConfig, queueLocation } from '../../delivery/queue/index.js';
import type { Runtime } from '../../app/runtime.js';
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
      // A drill's SQLite copy never uses the queue.
      if (!values.drill) report = await queuesOf(rt, report);
      // The header names what was read: with several ledgers and queues about, which one this is.
      const queueAt = queueLocation(await queueConfig({ root: rt.root, env: rt.env, varDir: rt.varDir }));
      report = { ledger: (await rt.store()).location, queue: queueAt, ...report };
      io.out(values.json ? JSON.stringify(report, null, 2) : formatStatus(report));
      return statusExitCode(report);
    }, { varDir, log: pino({ level: 'silent' }) });
  },
};

/** With a Redis queue: who serves the ledger's queues (a queue with jobs and no worker is a warning, exit 4). */
async function queuesOf(rt: Runtime, report: StatusReport): Promise<StatusReport> {
  const config = await queueConfig({ root: rt.root, env: rt.env, varDir: rt.varDir });
  const queue = await openQueue(config, rt.log);
  if (!queue) return report;
  try {
    return await withQueuesOf(report, queue, await knownLedgerId(await rt.store()), 3_000);
  } finally {
    await queue.close();
  }
}
