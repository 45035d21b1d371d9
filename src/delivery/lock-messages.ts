/** What people are told about the dispatcher lock: who holds it, how it stands, what to do. */
import { localTime } from './local-time.js';
import { ConfigError, StateError } from '../errors.js';
import { shownLocation, type LockHolder } from './store/index.js';
import type { Lang } from '../i18n/index.js';
import { lockMessages } from '../i18n/messages-store.js';

export const DISPATCHER_LOCK = 'dispatcher';

const seconds = (ms: number, lang?: Lang) => lockMessages(lang).seconds(Math.max(0, Math.round(ms / 1000)));

/** One phrase: `advisory run, pid 4242 on host-a, since …`. */
export function holderName(h: LockHolder, lang?: Lang): string {
  return lockMessages(lang).holderName(h.purpose, h.pid, h.host, localTime(h.startedAt));
}

/** How the holder stands, in words, with what to do when it is stuck or gone (in `lang`, else the process's language). */
export function holderState(h: LockHolder, lang?: Lang): string {
  const m = lockMessages(lang);
  switch (h.state) {
    case 'alive':
      return m.alive(holderName(h, lang), seconds(h.heartbeatAgeMs, lang));
    case 'unresponsive':
      return m.unresponsive(holderName(h, lang), seconds(h.heartbeatAgeMs, lang), seconds(h.leaseMs, lang), h.pid);
    case 'dead':
      return m.dead(holderName(h, lang));
    case 'expired':
      return m.expired(holderName(h, lang), seconds(h.heartbeatAgeMs, lang), seconds(h.leaseMs, lang));
    case 'released':
      return m.released;
  }
}

export function lockedError(file: string, h: LockHolder): StateError {
  const shown = shownLocation(file);
  if (h.state === 'unresponsive') return new StateError('ELOCKED', lockMessages().heldByUnresponsive(shown, holderState(h)));
  return new StateError('ELOCKED', lockMessages().heldBy(shown, holderName(h), h.pid));
}

/** The lease from ADVISORY_LOCK_LEASE (seconds), for operators who tune how fast another host may take over. */
export function leaseFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.ADVISORY_LOCK_LEASE;
  if (raw === undefined || raw === '') return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 2 || s > 3600) {
    throw new ConfigError(lockMessages().badLease(raw));
  }
  return Math.round(s * 1000);
}
