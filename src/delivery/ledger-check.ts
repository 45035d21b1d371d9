/**
 * Is the ledger as new as what went out? The sandbox outbox logs every send
 * (`outbox/<channel>/sent.log`) and the website records which delivery
 * published each campaign (`site-state/index.json`). A ledger that does not
 * know some of those deliveries was restored from an older backup, or lost its
 * write-ahead log: dispatching from it would send them again. So nothing is
 * sent until a person looks. The last lines of each log are what a stale
 * ledger lacks, so they are what is checked.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readIndex } from '../channels/website/index.js';
import { shownLocation } from './store/index.js';
import { StateError } from '../errors.js';
import { lockMessages } from '../i18n/messages-store.js';
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
      const lines = tail(log).split('\n').filter(Boolean).slice(-TAIL);
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
  const known = await store.knownKeys([...new Set(candidates.map((c) => c.key))]);
  const unknown = candidates.filter((c) => !known.has(c.key));
  return { count: new Set(unknown.map((c) => c.key)).size, example: unknown[0] ?? null };
}

/** The end of a log (the last 128 KiB, from a line start): a long log is not read whole at every start. */
function tail(file: string, bytes = 128 * 1024): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  } finally {
    closeSync(fd);
  }
}

/** Refuses to dispatch from a ledger older than what went out (StateError: exit 3, what to do). */
export async function assertLedgerCurrent(varDir: string, store: DeliveryQueue, ledger: string): Promise<void> {
  const u = await unknownToLedger(varDir, store);
  if (u.count === 0 || !u.example) return;
  const shown = (p: string) => relative(process.cwd(), p) || p;
  throw new StateError(
    'ELEDGER_STALE',
    lockMessages().ledgerBehind(shownLocation(ledger), u.count, u.example.key, shown(u.example.where), shown(join(varDir, 'outbox')), shown(join(varDir, 'site-state'))),
  );
}
