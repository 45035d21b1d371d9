/**
 * Riding out an outage of the ledger's server (a PostgreSQL restart or
 * failover) in `publish --now`: while it waits for the daemon, or for the
 * queue workers to finish its deliveries, and while it sends them itself
 * (ledger-outage-store.ts: the sender's writes, each tried again only as a
 * whole and only if it did not commit). The daemon and the workers already
 * carry on through one (their next wake, or the relay's next offer, tries
 * again); the command should too, within a bound: a call that fails because
 * the server went away is tried again every second, said once when it starts
 * failing and once when it answers again, and after `maxMs` without an answer
 * the error is thrown as it came (one line, exit 3: run the command again
 * once the server is back).
 *
 * Only a lost server is ridden out (StateError ELEDGER_UNAVAILABLE, what the
 * PostgreSQL store says for a refused, reset or ended connection): any other
 * error is thrown at once. SQLite has no server to lose.
 */
import { ConfigError, StateError } from '../errors.js';
import { isLedgerOutage } from '../delivery/store/index.js';
import { publishProgressMessages } from '../i18n/messages-publish.js';

/** ADVISORY_LEDGER_OUTAGE (seconds): how long a waiting command waits for the ledger's server to come back. */
export const DEFAULT_OUTAGE_MS = 300_000;

export function outageFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.ADVISORY_LEDGER_OUTAGE;
  if (raw === undefined || raw === '') return DEFAULT_OUTAGE_MS;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0 || s > 86_400) throw new ConfigError(publishProgressMessages().badOutage(raw));
  return Math.round(s * 1000);
}

export { isLedgerOutage };

/** What the server or the network said (the lost connection's own code and message), not the "run it again" advice. */
function outageWhy(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.message === 'string') return `${typeof cause.code === 'string' ? `${cause.code}: ` : ''}${cause.message}`;
  return (err as Error).message;
}

export interface OutageRider {
  /** `work()`, tried again every second while the ledger's server is away, for at most `maxMs` in all. */
  <T>(work: () => Promise<T>): Promise<T>;
}

export function outageRider(o: {
  maxMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Said once when the server stops answering (with why), and once when it answers again. */
  say?: (line: string) => void;
  /** Wall-clock milliseconds (injectable). */
  clock?: () => number;
  /** What the command does meanwhile, for the two lines: waits (the default), or sends itself. */
  doing?: 'waiting' | 'sending';
  /** Once aborted (the daemon told to stop), an outage is no longer waited for: its error is thrown as it came. */
  stop?: AbortSignal;
}): OutageRider {
  const clock = o.clock ?? Date.now;
  const m = publishProgressMessages();
  const [away, back] = o.doing === 'sending' ? [m.ledgerAwaySending, m.ledgerBackSending] : [m.ledgerAway, m.ledgerBack];
  let since: number | null = null;
  /** When the last outage was said to be over: a call begun before it and failing after it belongs to that outage. */
  let over = -Infinity;
  /** The outage is over: said once, by the call that met it and now got an answer. */
  const answered = () => {
    if (since === null) return;
    o.say?.(back(Math.max(1, Math.round((clock() - since) / 1000))));
    since = null;
    over = clock();
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    // Only a call that met the outage tells that it is over: another may succeed without asking the server at
    // all (an empty list of keys), and would say so while the server is still away.
    let met = false;
    for (;;) {
      const began = clock();
      try {
        const out = await work();
        if (met) answered();
        return out;
      } catch (err) {
        if (!isLedgerOutage(err)) {
          if (met) answered();
          throw err;
        }
        met = true;
        if (o.stop?.aborted) throw err;
        // Several calls ride one outage side by side (the sender's runners): one that was already failing as
        // another found the server back is tried again without saying a new outage.
        if (since === null && began <= over) {
          await o.sleep(1000);
          continue;
        }
        if (since === null) {
          since = clock();
          if (o.maxMs > 0) o.say?.(away(outageWhy(err), Math.round(o.maxMs / 1000)));
        }
        if (clock() - since >= o.maxMs) throw err;
        await o.sleep(1000);
      }
    }
  };
}
