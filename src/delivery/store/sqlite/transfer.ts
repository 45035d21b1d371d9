/**
 * An SQLite ledger as one end of a whole-ledger copy (../transfer.ts): read in
 * one read transaction (WAL gives it a snapshot), written in one IMMEDIATE
 * transaction. `occurrences.seq` is the table's rowid here (the order in which
 * they were recorded, what `occurrences()` sorts ties by).
 */
import type { LedgerEnd, LedgerReader, LedgerRow, LedgerTable } from '../transfer.js';
import type { SqliteStore } from './ledger.js';

const column = (c: string) => (c === 'seq' ? 'rowid' : c);

export function sqliteLedgerEnd(store: SqliteStore): LedgerEnd {
  const db = store.db;
  const reader: LedgerReader = {
    async page(t: LedgerTable, after: unknown[] | null, limit: number): Promise<LedgerRow[]> {
      const order = t.order.map(column).join(', ');
      const where = after ? `WHERE (${order}) > (${after.map(() => '?').join(', ')})` : '';
      return db.prepare(`SELECT ${t.columns.map(column).join(', ')} FROM ${t.name} ${where} ORDER BY ${order} LIMIT ?`).raw().all(...(after ?? []), limit) as LedgerRow[];
    },
    async count(t: LedgerTable): Promise<number> {
      return db.prepare(`SELECT count(*) FROM ${t.name}`).pluck().get() as number;
    },
  };
  /** Runs `work` between BEGIN and COMMIT (ROLLBACK when it throws): better-sqlite3's transaction() cannot wrap an async function. */
  async function inTransaction<T>(begin: string, work: () => Promise<T>): Promise<T> {
    db.exec(begin);
    try {
      const out = await work();
      db.exec('COMMIT');
      return out;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
  return {
    location: store.location,
    read: (work) => inTransaction('BEGIN', () => work(reader)),
    write: (work) => inTransaction('BEGIN IMMEDIATE', () => work({
      ...reader,
      async insert(t: LedgerTable, rows: LedgerRow[]) {
        const insert = db.prepare(`INSERT INTO ${t.name} (${t.columns.map(column).join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
        for (const row of rows) insert.run(...row);
      },
    })),
  };
}
