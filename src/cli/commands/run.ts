import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { UsageError } from '../../errors.js';
import { startDaemon } from '../../server/daemon.js';
import { cronTicker, systemClock } from '../../delivery/clock.js';
import { createLogger } from '../../delivery/logger.js';
import { parseFailpoints } from '../../delivery/failpoint.js';
import { DEFAULT_TIMEZONE } from '../../content/schema.js';
import { prepareDrill } from '../../delivery/drill.js';
import { leaseFromEnv } from '../../delivery/lock-messages.js';
import { LockLostError } from '../../delivery/store/index.js';
import { DateTime } from 'luxon';
import { dateProblem } from '../../content/datetime.js';
import { runMessages } from '../../i18n/messages-run.js';
import { cliMessages } from '../../i18n/messages-cli.js';
import { workerMessages } from '../../i18n/messages-queue.js';

/** An ISO 8601 date and time that says its offset: `Z`, `+08:00` or `+0800`. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `--clock-start`: only a date and time with `Z` or an explicit offset, so the
 * drill starts at the same instant on every machine (`new Date()` would read
 * "Sept 29 2014", or a time without an offset, in this machine's zone).
 */
export function parseClockStart(text: string): Date {
  const trimmed = text.trim();
  if (!ISO_WITH_OFFSET.test(trimmed)) {
    const local = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed);
    throw new UsageError(runMessages().clockStartFormat(text, local));
  }
  const dt = DateTime.fromISO(trimmed, { setZone: true });
  const problem = dateProblem(trimmed) ?? (dt.isValid ? undefined : dt.invalidExplanation ?? dt.invalidReason);
  if (problem) throw new UsageError(runMessages().clockStartInvalid(text, problem));
  return dt.toJSDate();
}

export const runCommand: Command = {
  name: 'run',
  get usage() {
    return `${runMessages().usage}\n${workerMessages().runWorkersOption}`;
  },
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'staff-port': { type: 'string' },
    'staff-host': { type: 'string' },
    'staff-url': { type: 'string' },
    'clock-start': { type: 'string' },
    workers: { type: 'string' },
  },
  async run({ root, values, io }) {
    const m = runMessages();
    const port = Number(values.port ?? 4321);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(m.badPort('--port', String(values.port)));
    const host = String(values.host ?? '127.0.0.1');
    const staffPort = values['staff-port'] === undefined ? (port === 0 ? 0 : 4322) : Number(values['staff-port']);
    if (!Number.isInteger(staffPort) || staffPort < 0 || staffPort > 65535) throw new UsageError(m.badPort('--staff-port', String(values['staff-port'])));
    if (staffPort !== 0 && staffPort === port) throw new UsageError(m.samePort(port));
    const staffHost = String(values['staff-host'] ?? '127.0.0.1');
    const staffUrl = (values['staff-url'] as string | undefined) ?? (io.env.ADVISORY_STAFF_URL || undefined);
    if (staffUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(staffUrl)) throw new UsageError(m.badStaffUrl(staffUrl));
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 100)) throw new UsageError(workerMessages().badWorkers(String(values.workers)));
    const start = values['clock-start'] === undefined ? undefined : parseClockStart(String(values['clock-start']));
    const log = createLogger();
    // Listen before starting: a SIGTERM during start-up must also end in a clean stop.
    const signal = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    const drill = start ? await prepareDrill(root, start, io.env) : undefined;
    const daemon = await startDaemon({
      root, varDir: drill?.varDir, env: io.env, port, host, staffPort, staffHost, staffUrl, log,
      clock: systemClock(drill?.start),
      ticker: cronTicker(DEFAULT_TIMEZONE),
      failpoints: parseFailpoints(io.env.ADVISORY_FAILPOINT),
      leaseMs: leaseFromEnv(io.env),
      workers,
    });
    io.err(m.started(root, daemon.url));
    io.err(m.staffPages(staffUrl ?? `${daemon.staffUrl}/`));
    if (daemon.setupLink) io.err(m.firstAccount(daemon.setupLink));
    for (const w of daemon.warnings) io.err(m.warning(w));
    if (drill) io.err(`  ${drill.note}`);
    for (const m of daemon.modes) io.err(`  ${m}`);
    const why = await Promise.race([signal, daemon.lost]);
    if (why instanceof LockLostError) {
      io.err(`${cliMessages().prefix('run')}${why.message}`);
      await daemon.stop();
      return EXIT.CONFIG;
    }
    io.err(m.stopping(why));
    await daemon.stop();
    return EXIT.OK;
  },
};
