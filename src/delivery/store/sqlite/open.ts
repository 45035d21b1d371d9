/**
 * Opening the ledger file safely. A new ledger is created only where no file
 * exists: an existing file that is empty (a bad restore, a full disk when it
 * was created), not SQLite, or SQLite but not ours is refused, because treating
 * it as new would forget what was sent (and send it again), the subscribers
 * and the approvals.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readlinkSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import { StateError } from '../../../errors.js';
import { APPLICATION_ID, migrate } from './migrations.js';

import { LEDGER_FILE } from '../ledger-file.js';
import { storeMessages } from '../../../i18n/messages-store.js';
export { LEDGER_FILE };

/** A path as people read it: relative to where they are when it is below, else absolute. */
const shown = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

function refuse(file: string, what: string, cause?: unknown): never {
  throw new StateError('ELEDGER', storeMessages().refused(shown(file), what), { cause });
}

/**
 * Creates a new ledger under a temporary name and renames it into place once
 * its schema is committed, so a kill during creation never leaves an empty
 * `advisory.db` behind (which would then be refused).
 */
function createLedger(varDir: string, file: string): void {
  mkdirSync(varDir, { recursive: true });
  const tmp = `${file}.creating-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  try {
    db.pragma('journal_mode = DELETE');
    migrate(db, file);
  } finally {
    db.close();
  }
  renameSync(tmp, file);
  fsyncDir(varDir);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function openDatabase(varDir: string): { db: Database.Database; file: string } {
  const file = join(varDir, LEDGER_FILE);
  const entry = lstatOrNull(file);
  // A link whose target is gone (a volume not mounted) is not "no ledger": a new one there would forget everything.
  if (entry?.isSymbolicLink() && !existsSync(file)) refuse(file, storeMessages().danglingLink(readlinkSync(file)));
  const exists = entry !== null;
  if (exists && statSync(file).size === 0) refuse(file, storeMessages().emptyFile);
  if (!exists) {
    try {
      createLedger(varDir, file);
    } catch (err) {
      if (err instanceof StateError) throw err;
      throw new StateError('ELEDGER', storeMessages().cannotCreate(shown(file), (err as Error).message, shown(varDir)), { cause: err });
    }
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new StateError('ELEDGER', storeMessages().cannotOpen(shown(file), (err as Error).message, shown(varDir)), { cause: err });
  }
  try {
    {
      const version = db.pragma('user_version', { simple: true }) as number;
      const app = db.pragma('application_id', { simple: true }) as number;
      const tables = (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number }).n;
      if (app !== 0 && app !== APPLICATION_ID) refuse(file, storeMessages().otherProgram(app));
      if (version === 0 && tables > 0) refuse(file, storeMessages().notALedger);
      if (version >= 1 && !hasTable(db, 'deliveries')) refuse(file, storeMessages().noDeliveries(version));
    }
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    // FULL: a commit (above all `sending`, made before the channel is called) survives a power cut, not only a kill.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
  } catch (err) {
    db.close();
    if (err instanceof StateError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') refuse(file, storeMessages().notSqlite, err);
    if (code === 'SQLITE_CORRUPT') refuse(file, storeMessages().malformed, err);
    throw err;
  }
  return { db, file };
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}
