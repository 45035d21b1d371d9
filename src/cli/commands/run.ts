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

/** An ISO 8601 date and time that says its offset: `Z`, `+08:00` or `+0800`. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `--clock-start`: only a date and time with `Z` or an explicit offset, so the
 * drill starts at the same instant on every machine (`new Date()` would read
 * "Sept 29 2014", or a time without an offset, in this machine's zone).
 */
export function parseClockStart(text: string): Date {
  const example = 'e.g. 2014-09-29T01:00:00Z or 2014-09-29T09:00+08:00';
  const trimmed = text.trim();
  if (!ISO_WITH_OFFSET.test(trimmed)) {
    const local = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed);
    throw new UsageError(`--clock-start must be an ISO 8601 date and time with Z or an offset, ${example}; got "${text}"${local ? ' (no offset: add Z for UTC or +08:00 for Beijing time, so it does not depend on this machine\'s time zone)' : ''}.`);
  }
  const dt = DateTime.fromISO(trimmed, { setZone: true });
  const problem = dateProblem(trimmed) ?? (dt.isValid ? undefined : dt.invalidExplanation ?? dt.invalidReason);
  if (problem) throw new UsageError(`--clock-start: "${text}" is not a real date and time (${problem}); ${example}.`);
  return dt.toJSDate();
}

export const runCommand: Command = {
  name: 'run',
  usage: [
    'Usage: advisory run [--port 4321] [--host 127.0.0.1] [--staff-port 4322] [--staff-host 127.0.0.1] [--staff-url URL] [--clock-start ISO-TIME]',
    '',
    '  --port N              the public listener: website, /subscribe, /unsubscribe, /wechat/events, /healthz',
    '                        (default 4321; 0 picks a free one)',
    '  --host ADDR           its address (default 127.0.0.1; put the bureau\'s reverse proxy in front of it)',
    '  --staff-port N        the staff listener: sign-in, /preview/, /status, approving (default 4322; with --port 0, 0)',
    '  --staff-host ADDR     its address (default 127.0.0.1)',
    '  --staff-url URL       the address staff open when a reverse proxy is in front, e.g. https://advisory.intranet/',
    '                        (its host is answered for; https makes the session cookie Secure). Env: ADVISORY_STAFF_URL',
    '  --clock-start TIME    a drill: run the clock from this moment at normal speed, on a copy of the ledger in',
    '                        var/drill/ (the real ledger is not touched); the same TIME again continues that drill.',
    '                        An ISO 8601 date and time with Z or an offset: 2014-09-29T01:00:00Z, 2014-09-29T09:00+08:00',
    '',
    'Logs: one JSON line per event on stdout (pino). Start-up summary on stderr.',
    'Stops cleanly on SIGTERM/SIGINT (in-flight sends finish, the lock is released).',
    'Environment: ADVISORY_FAILPOINT=after-sending:N|after-publish:N|after-create:N kills the process at that point (crash drills).',
    'Environment: ADVISORY_LOCK_LEASE=SECONDS (default 60): how long a silent dispatcher on another host keeps the lock.',
    'Exit codes: 0 stopped cleanly, 3 another dispatcher holds this ledger, this one lost the lock to another, or the configuration is wrong.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'staff-port': { type: 'string' },
    'staff-host': { type: 'string' },
    'staff-url': { type: 'string' },
    'clock-start': { type: 'string' },
  },
  async run({ root, values, io }) {
    const port = Number(values.port ?? 4321);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0–65535), got "${values.port}".`);
    const host = String(values.host ?? '127.0.0.1');
    const staffPort = values['staff-port'] === undefined ? (port === 0 ? 0 : 4322) : Number(values['staff-port']);
    if (!Number.isInteger(staffPort) || staffPort < 0 || staffPort > 65535) throw new UsageError(`--staff-port must be a port number (0–65535), got "${values['staff-port']}".`);
    if (staffPort !== 0 && staffPort === port) throw new UsageError(`--staff-port must differ from --port (${port}): the staff pages have a listener of their own.`);
    const staffHost = String(values['staff-host'] ?? '127.0.0.1');
    const staffUrl = (values['staff-url'] as string | undefined) ?? (io.env.ADVISORY_STAFF_URL || undefined);
    if (staffUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(staffUrl)) throw new UsageError(`--staff-url must be an http(s) address, e.g. https://advisory.intranet/, got "${staffUrl}".`);
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
    });
    io.err(`advisory run: dispatching for ${root}; serving ${daemon.url}/ (the public site)`);
    io.err(`  staff pages (sign-in, preview, status, approve): ${staffUrl ?? `${daemon.staffUrl}/`}`);
    if (daemon.setupLink) io.err(`  no staff account yet: create the first at ${daemon.setupLink} (works once, for 15 minutes, from a browser on this machine), or run: advisory staff add NAME`);
    for (const w of daemon.warnings) io.err(`  warning: ${w}`);
    if (drill) io.err(`  ${drill.note}`);
    for (const m of daemon.modes) io.err(`  ${m}`);
    const why = await Promise.race([signal, daemon.lost]);
    if (why instanceof LockLostError) {
      io.err(`advisory run: ${why.message}`);
      await daemon.stop();
      return EXIT.CONFIG;
    }
    io.err(`advisory run: ${why}: finishing in-flight sends and stopping`);
    await daemon.stop();
    return EXIT.OK;
  },
};
