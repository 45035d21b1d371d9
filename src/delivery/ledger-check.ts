/**
 * Is the ledger as new as what went out? The sandbox outbox logs every send
 * (`outbox/<channel>/sent.log`) and the website records which delivery
 * published each campaign (`site-state/index.json`). A ledger that does not
 * know some of those deliveries was restored from an older backup, or lost its
 * write-ahead log: dispatching from it would send them again. So nothing is
 * sent until a person looks. The last lines of each log are what a stale
 * ledger lacks, so they are what is checked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readIndex } from '../channels/website/index.js';
import { StateError } from '../errors.js';
import type { DeliveryQueue } from './store/index.js';

/** How many of the last sends of each channel are checked. */
const TAIL = 200;

export interface UnknownSends {
  count: number;
  example: { key: string; where: string } | null;
}

export async function unknownToLedger(varDir: string, store: DeliveryQueue): Promise<UnknownSends> {
  const candidates: Array<{ key: string; where: string }> = [];
  const outbox = join(varDir, 'outbox');
  if (existsSync(outbox)) {
    for (const channel of readdirSync(outbox)) {
      const log = join(outbox, channel, 'sent.log');
      if (!existsSync(log)) continue;
      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean).slice(-TAIL);
      for (const line of lines) {
        try {
          candidates.push({ key: (JSON.parse(line) as { key: string }).key, where: log });
        } catch {
          // a line cut by a full disk: the rest of the log still speaks
        }
      }
    }
  }
  for (const entry of Object.values(readIndex(varDir))) {
    if (entry.deliveryKey) candidates.push({ key: entry.deliveryKey, where: join(varDir, 'site-state', 'index.json') });
  }
  let count = 0;
  let example: UnknownSends['example'] = null;
  for (const c of candidates) {
    if (await store.get(c.key)) continue;
    count++;
    example ??= c;
  }
  return { count, example };
}

/** Refuses to dispatch from a ledger older than what went out (StateError: exit 3, what to do). */
export async function assertLedgerCurrent(varDir: string, store: DeliveryQueue, ledger: string): Promise<void> {
  const u = await unknownToLedger(varDir, store);
  if (u.count === 0 || !u.example) return;
  const shown = (p: string) => relative(process.cwd(), p) || p;
  throw new StateError(
    'ELEDGER_STALE',
    `${shown(ledger)} does not know ${u.count} deliver${u.count === 1 ? 'y' : 'ies'} that went out (e.g. ${u.example.key}, in ${shown(u.example.where)}): ` +
      'the ledger is older than what was sent (restored from an older backup, or its write-ahead log advisory.db-wal was lost), and sending now would repeat them. ' +
      `Nothing was sent. Put back the newest ledger with its -wal file; or, if you started an empty ledger on purpose, move ${shown(join(varDir, 'outbox'))} and ${shown(join(varDir, 'site-state'))} away too.`,
  );
}
