/**
 * The ledger's own name in the queue. Queue names hold it (accounts.ts), so that the workers of another ledger on
 * the same Redis (another bureau, a test, a staging copy) never take this ledger's jobs: they would find the key
 * missing from their ledger and acknowledge it, and the delivery would wait for the relay to offer it again.
 *
 * It is a random id kept in the ledger's meta table, made by the first process that uses the queue with it (of two
 * at once, one wins), not derived from the store's URL: the workers on other machines reach the same server by
 * other names (`localhost`, an address, a DNS name), and must still agree. `advisory migrate --from` copies the
 * meta table, so a ledger moved from SQLite to PostgreSQL keeps its id: it is the same bureau, and jobs already in
 * Redis are still found by its workers (the relay would offer them again in any case).
 */
import { randomBytes } from 'node:crypto';
import type { MetaStore } from '../store/index.js';

export const LEDGER_ID = 'queue_ledger_id';

/** This ledger's id, made now if it has none. */
export async function ledgerId(store: Pick<MetaStore, 'initMeta'>): Promise<string> {
  return store.initMeta(LEDGER_ID, randomBytes(6).toString('hex'));
}

/** This ledger's id if a process has made it (status reads, never writes: it may run with a read-only role). */
export function knownLedgerId(store: Pick<MetaStore, 'getMeta'>): Promise<string | undefined> {
  return store.getMeta(LEDGER_ID);
}
