/** What people are told about the dispatcher lock: who holds it, how it stands, what to do. */
import { relative } from 'node:path';
import { ConfigError, StateError } from '../errors.js';
import type { LockHolder } from './store/index.js';

export const DISPATCHER_LOCK = 'dispatcher';

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

/** One phrase: `advisory run, pid 4242 on host-a, since …`. */
export function holderName(h: LockHolder): string {
  return `${h.purpose}, pid ${h.pid} on ${h.host}, since ${h.startedAt}`;
}

/** How the holder stands, in words, with what to do when it is stuck or gone. */
export function holderState(h: LockHolder): string {
  switch (h.state) {
    case 'alive':
      return `running (${holderName(h)}; heartbeat ${seconds(h.heartbeatAgeMs)} ago)`;
    case 'unresponsive':
      return `not responding (${holderName(h)}): the process exists but its last heartbeat was ${seconds(h.heartbeatAgeMs)} ago ` +
        `(lease ${seconds(h.leaseMs)}), so it may be frozen (stopped, or the machine is swapping). It keeps the lock: if it resumes it carries on. ` +
        `If it is stuck, stop it (kill ${h.pid}; kill -9 ${h.pid} if that does not end it); the next \`advisory run\` or \`advisory publish\` then takes over.`;
    case 'dead':
      return `not running: the last holder (${holderName(h)}) has died without releasing the lock; the next \`advisory run\` or \`advisory publish\` takes over and first checks what it left in sending`;
    case 'expired':
      return `not running: the last holder (${holderName(h)}) on another host has sent no heartbeat for ${seconds(h.heartbeatAgeMs)} (lease ${seconds(h.leaseMs)}); the next \`advisory run\` or \`advisory publish\` takes over`;
    case 'released':
      return 'not running';
  }
}

export function lockedError(file: string, h: LockHolder): StateError {
  const shown = relative(process.cwd(), file) || file;
  if (h.state === 'unresponsive') {
    return new StateError('ELOCKED', `another dispatcher holds ${shown} and is ${holderState(h)}`);
  }
  return new StateError(
    'ELOCKED',
    `another dispatcher already runs on ${shown} (${holderName(h)}). One dispatcher per ledger: stop that one first (SIGTERM ${h.pid}), or point --root at another project.`,
  );
}

/** The lease from ADVISORY_LOCK_LEASE (seconds), for operators who tune how fast another host may take over. */
export function leaseFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.ADVISORY_LOCK_LEASE;
  if (raw === undefined || raw === '') return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 2 || s > 3600) {
    throw new ConfigError(`ADVISORY_LOCK_LEASE must be a number of seconds between 2 and 3600, got "${raw}". Unset it for the default (60).`);
  }
  return Math.round(s * 1000);
}
