/**
 * Opening a store: the one way the rest of the program gets durable state.
 * `sqlite` (the embedded default) keeps it in `<varDir>/advisory.db`;
 * `postgres` in a schema of a PostgreSQL database, for a bureau that outgrows
 * one machine. Both implement the same interfaces (types.ts) and pass the same
 * contract suite. Which one a project uses is `storeConfig` (config.ts). Each
 * backend's code is loaded when a store of its kind is opened, so a command
 * that never opens the ledger (check, plan, preview) loads neither SQLite nor
 * pg.
 */
import { localTime } from '../local-time.js';
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Store } from './types.js';
import { LEDGER_FILE } from './ledger-file.js';
import { DEFAULT_SCHEMA, postgresLocation, type StoreConfig } from './config.js';
import { StateError } from '../../errors.js';
import { migrateMessages } from '../../i18n/messages-postgres.js';
import { lockMessages } from '../../i18n/messages-store.js';
import type { LedgerEnd, TableDigest } from './transfer.js';

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'postgres') {
    const { openPostgres } = await import('./postgres/open.js');
    return openPostgres(config);
  }
  const { openLedger } = await import('./sqlite/ledger.js');
  return openLedger(config.varDir);
}

/** Where a store lives, for messages (a URL with its password masked). */
export function storeLocation(config: StoreConfig): string {
  return config.kind === 'postgres' ? postgresLocation(config) : join(config.varDir, LEDGER_FILE);
}

/** A store's location as people read it: a file relative to where they are when it is below; a URL as it is. */
export function shownLocation(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  return relative(process.cwd(), location) || location;
}

/** Whether a store exists at this configuration (nothing is created; a PostgreSQL one is asked). */
export async function storeExists(config: StoreConfig): Promise<boolean> {
  if (config.kind === 'postgres') {
    const { postgresLedgerExists } = await import('./postgres/open.js');
    return postgresLedgerExists(config);
  }
  try {
    // Whatever is there counts, a link whose target is gone included: opening it says what is wrong.
    lstatSync(join(config.varDir, LEDGER_FILE));
    return true;
  } catch {
    return false;
  }
}

/** Applies the schema migrations (opening a store does too): the version found and the version now. */
export async function migrateStore(config: StoreConfig): Promise<{ location: string; from: number; to: number; created: boolean }> {
  if (config.kind === 'postgres') {
    const { migratePostgres } = await import('./postgres/open.js');
    const r = await migratePostgres(config);
    return { ...r, created: r.from === 0 };
  }
  const { migrateSqlite } = await import('./sqlite/versions.js');
  return migrateSqlite(config.varDir);
}

/** Whether two configurations name the same store. */
export function sameStore(a: StoreConfig, b: StoreConfig): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return relative(a.varDir, b.varDir) === '';
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    const ua = new URL(a.url);
    const ub = new URL(b.url);
    return ua.host === ub.host && ua.pathname === ub.pathname && (a.schema ?? DEFAULT_SCHEMA) === (b.schema ?? DEFAULT_SCHEMA);
  }
  return false;
}

async function ledgerEnd(store: Store, kind: StoreConfig['kind']): Promise<LedgerEnd> {
  if (kind === 'postgres') {
    const { postgresLedgerEnd } = await import('./postgres/transfer.js');
    return postgresLedgerEnd(store as import('./postgres/store.js').PostgresStore);
  }
  const { sqliteLedgerEnd } = await import('./sqlite/transfer.js');
  return sqliteLedgerEnd(store as import('./sqlite/ledger.js').SqliteStore);
}

/**
 * Copies the whole ledger at `from` into `to`, which must be empty, in one
 * verified transaction (transfer.ts), read from one snapshot of `from`. The
 * target's dispatcher lock is held while it runs, and (`lockSource`, for a
 * move: nothing may change in the ledger being left) the source's: a ledger
 * with a running dispatcher is refused.
 */
export async function transferStore(from: StoreConfig, to: StoreConfig, o: { lockSource?: boolean } = {}): Promise<TableDigest[]> {
  const m = migrateMessages();
  if (sameStore(from, to)) throw new StateError('ESAME_STORE', m.same(storeLocation(from)));
  if (!(await storeExists(from))) throw new StateError('ENO_SOURCE', m.noSource(storeLocation(from)));
  // A refused copy into a new SQLite ledger leaves no empty ledger (nor the folders made for it) behind.
  const undo = to.kind === 'sqlite' && !(await storeExists(to)) ? sqliteUndo(to.varDir) : () => {};
  try {
    return await transferInto(from, to, o);
  } catch (err) {
    undo();
    throw err;
  }
}

/** Removes what opening a new SQLite ledger in `varDir` creates: the folders that are not there now, else its files. */
function sqliteUndo(varDir: string): () => void {
  let top: string | undefined;
  for (let d = varDir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) top = d;
  return () => {
    if (top !== undefined) rmSync(top, { recursive: true, force: true });
    else for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(join(varDir, LEDGER_FILE + suffix), { force: true });
  };
}

async function transferInto(from: StoreConfig, to: StoreConfig, o: { lockSource?: boolean }): Promise<TableDigest[]> {
  const lock = 'dispatcher';
  const m = migrateMessages();
  const { copyLedger } = await import('./transfer.js');
  const source = await openStore(from);
  try {
    const target = await openStore(to);
    try {
      const held = [];
      for (const s of o.lockSource === false ? [target] : [source, target]) {
        const got = await s.acquireLock(lock, 'advisory migrate', undefined, { fence: false });
        if ('holder' in got) {
          const h = got.holder;
          // The lock this very call took on --from: --to is the same ledger under another name (127.0.0.1 and localhost).
          if (held.length > 0 && h.pid === process.pid && h.host === hostname()) {
            throw new StateError('ESAME_STORE', m.sameThroughAlias(storeLocation(from), storeLocation(to)));
          }
          throw new StateError('ELOCKED', m.busy(s.location, lockMessages().holderName(h.purpose, h.pid, h.host, localTime(h.startedAt))));
        }
        held.push({ s, lock: got.held });
      }
      try {
        return await copyLedger(await ledgerEnd(source, from.kind), await ledgerEnd(target, to.kind));
      } finally {
        for (const h of held) await h.s.releaseLock(h.lock);
      }
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** A consistent copy of a store into another place (a drill's own ledger), made whole or not at all. */
export async function copyStore(from: StoreConfig, to: StoreConfig): Promise<void> {
  if (from.kind === 'sqlite' && to.kind === 'sqlite') {
    const { copyLedger } = await import('./sqlite/copy.js');
    await copyLedger(from.varDir, to.varDir);
    return;
  }
  // A snapshot of a ledger in use, as VACUUM INTO takes one: the real dispatcher keeps running.
  await transferStore(from, to, { lockSource: false });
}

export { DEFAULT_SCHEMA, encodeHint, maskPassword, parseStoreSpec, postgresLocation, storeConfig, unencodedUserinfo, type StoreConfig } from './config.js';
export * from './types.js';
export { newSubscriberId } from './ids.js';
export { isLedgerOutage } from './outage.js';
