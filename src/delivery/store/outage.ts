/** The ledger's server gone away (a restart, a failover, the network): what a writer may wait out and try again. */
import { StateError } from '../../errors.js';

/** Whether `err` (or one of its causes) is the ledger's server gone away. */
export function isLedgerOutage(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof StateError && e.code === 'ELEDGER_UNAVAILABLE') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
