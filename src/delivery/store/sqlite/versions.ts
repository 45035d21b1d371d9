/** `advisory migrate` on an SQLite ledger: which schema version it had, and which it has once opened (opening migrates it). */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LEDGER_FILE } from '../ledger-file.js';
import { openLedger } from './ledger.js';
import { MIGRATIONS } from './migrations.js';

export async function migrateSqlite(varDir: string): Promise<{ location: string; from: number; to: number; created: boolean }> {
  const file = join(varDir, LEDGER_FILE);
  const created = !existsSync(file);
  let from = 0;
  if (!created) {
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        from = db.pragma('user_version', { simple: true }) as number;
      } finally {
        db.close();
      }
    } catch {
      // Not readable as SQLite: opening it below says what is wrong with it.
    }
  }
  await openLedger(varDir).close();
  return { location: file, from, to: MIGRATIONS.length, created };
}
