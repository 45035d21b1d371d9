/**
 * var/unrecorded-sends.jsonl: what a foreground `publish --now` could not
 * record because the ledger's server stayed away past ADVISORY_LEDGER_OUTAGE
 * (ledger-outage-store.ts), kept on this machine (fsynced) so the next
 * `publish --now` records it before anything is reconciled:
 *
 * - `sent`: the channel took it (with its receipt). SMTP cannot be asked
 *   whether it took a message, so without this the next run would send it
 *   again (as after a crash, marked resentAfterCrash);
 * - `unsent`: claimed (`sending`) and never handed to the channel: given back
 *   to pending, as the sender gives back what a stopped run claimed, so it is
 *   sent once without being taken for a possible duplicate.
 *
 * Each is applied only if the delivery is still `sending` in that attempt
 * (the attempt is the claim's generation): whatever happened to it since (the
 * daemon reconciled it, a later attempt) is left alone. Lines of another
 * ledger (the same var/ pointed elsewhere) are kept for it.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Receipt } from '../channels/channel.js';
import type { Store } from '../delivery/store/index.js';
import { makeDir } from '../fs/make-dir.js';

export const UNRECORDED_FILE = 'unrecorded-sends.jsonl';

export type Unrecorded = { key: string; attempt: number } & ({ receipt: Receipt } | { unsent: true });

export interface UnrecordedSends {
  readonly file: string;
  /** Appends `entries`, durably (the file and its folder fsynced). Never throws (see keep below). */
  keep(entries: Unrecorded[]): void;
  /** Applies what an earlier run kept for this ledger, then drops it: how many were recorded sent and given back. */
  recordOn(store: Store, at: Date): Promise<{ sent: number; unsent: number }>;
}

export function unrecordedSends(varDir: string, ledger: string, log?: Logger): UnrecordedSends {
  const file = join(varDir, UNRECORDED_FILE);
  const read = (): Array<Unrecorded & { ledger: string }> => {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').flatMap((line) => {
      try {
        const e = JSON.parse(line) as Unrecorded & { ledger: string };
        return typeof e.key === 'string' && typeof e.attempt === 'number' && ('receipt' in e || 'unsent' in e) ? [e] : [];
      } catch {
        return []; // a line torn by a crash mid-write: nothing was kept for it
      }
    });
  };
  return {
    file,
    keep(entries) {
      if (entries.length === 0) return;
      try {
        makeDir(varDir);
        const fd = openSync(file, 'a');
        try {
          writeSync(fd, entries.map((e) => `${JSON.stringify({ ledger, ...e })}\n`).join(''));
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        const dir = openSync(varDir, 'r');
        try {
          fsyncSync(dir);
        } finally {
          closeSync(dir);
        }
      } catch (err) {
        // var/ not writable: the outage stays what is said, and the next run checks these as after a crash.
        log?.error({ err, keys: entries.map((e) => e.key) }, `could not keep in ${file} what the ledger did not record: the next run checks it as after a crash`);
      }
    },
    async recordOn(store, at) {
      const all = read();
      const mine = all.filter((e) => e.ledger === ledger);
      if (mine.length === 0) return { sent: 0, unsent: 0 };
      const rows = new Map((await store.list({ keys: mine.map((e) => e.key) })).map((d) => [d.key, d]));
      const open = mine.filter((e) => rows.get(e.key)?.state === 'sending' && rows.get(e.key)?.attempts === e.attempt);
      let sent = 0;
      for (const e of open) {
        if (!('receipt' in e)) continue;
        await store.markSent(e.key, e.attempt, { ...e.receipt, details: { ...e.receipt.details, recordedLate: true } }, at);
        sent++;
      }
      const unsent = await store.releaseSending(open.filter((e) => !('receipt' in e)).map((e) => ({ key: e.key, attempt: e.attempt })), at);
      const rest = all.filter((e) => e.ledger !== ledger);
      if (rest.length === 0) rmSync(file, { force: true });
      else {
        writeFileSync(`${file}.tmp`, rest.map((e) => `${JSON.stringify(e)}\n`).join(''));
        renameSync(`${file}.tmp`, file);
      }
      return { sent, unsent };
    },
  };
}
