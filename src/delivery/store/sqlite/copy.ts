/**
 * A consistent copy of a ledger into another folder (a drill's own), while it
 * may be in use: `VACUUM INTO` a temporary name, then a rename, so a reader or
 * a kill mid-copy never sees a partial ledger under the real name.
 */
import Database from 'better-sqlite3';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../../../fs/write-atomic.js';
import { LEDGER_FILE } from './open.js';
import { openLedger } from './ledger.js';

export async function copyLedger(fromVarDir: string, toVarDir: string): Promise<void> {
  // Through the checks any open makes: an empty or foreign file is refused, not copied.
  await openLedger(fromVarDir).close();
  mkdirSync(toVarDir, { recursive: true });
  const target = join(toVarDir, LEDGER_FILE);
  const tmp = `${target}.copying-${process.pid}`;
  rmSync(tmp, { force: true });
  const source = new Database(join(fromVarDir, LEDGER_FILE), { readonly: true });
  try {
    source.prepare('VACUUM INTO ?').run(tmp);
  } finally {
    source.close();
  }
  renameSync(tmp, target);
  fsyncDir(toVarDir);
}
