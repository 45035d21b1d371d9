/**
 * Moving a whole ledger from one store to another (`advisory migrate --from
 * … --to …`, a drill's copy of a PostgreSQL ledger), whatever the two
 * backends: every table column for column, in a canonical order (its key,
 * compared byte for byte on both), read from one consistent snapshot of the
 * source and written in ONE transaction of the target, which must be empty.
 * Before that transaction commits, each table of the target is read back and
 * its row count and sha256 (over the rows as JSON lines, in that order)
 * compared with the source's: a copy that differs is rolled back, so the
 * target holds all of the ledger or none of it.
 *
 * Not copied: the dispatcher lock (who runs now is no history; the copy holds
 * both stores' locks while it runs) and the schema version (each store has its
 * own migrations, both at this advisory's newest).
 */
import { createHash } from 'node:crypto';
import { StateError } from '../../errors.js';
import { migrateMessages } from '../../i18n/messages-postgres.js';

export interface LedgerTable {
  name: string;
  columns: readonly string[];
  /** The unique key rows are read and hashed in. */
  order: readonly string[];
}

/** Parents before children (attempts need their delivery, occurrence_channels their occurrence). */
export const LEDGER_TABLES: readonly LedgerTable[] = [
  { name: 'payloads', columns: ['sha256', 'payload'], order: ['sha256'] },
  {
    name: 'deliveries',
    columns: ['id', 'key', 'campaign', 'schedule', 'channel', 'recipient', 'recipient_data', 'occurrence', 'due_utc', 'window_ends_utc', 'state', 'reason',
      'attempts', 'tries', 'next_attempt_at', 'payload_sha256', 'content_hash', 'receipt', 'last_error', 'checkpoint', 'created_at', 'updated_at'],
    order: ['id'],
  },
  { name: 'materialized', columns: ['key', 'created_at'], order: ['key'] },
  { name: 'attempts', columns: ['delivery', 'n', 'started_at', 'finished_at', 'outcome', 'error_class', 'error_message', 'channel_code', 'receipt_id'], order: ['delivery', 'n'] },
  {
    name: 'occurrences',
    columns: ['seq', 'key', 'campaign', 'schedule', 'kind', 'due_utc', 'window_ends_utc', 'content_hash', 'channels', 'detail', 'requested_by', 'created_at'],
    order: ['seq'],
  },
  { name: 'occurrence_channels', columns: ['occurrence', 'channel', 'base_key', 'state', 'created', 'error', 'updated_at'], order: ['occurrence', 'channel'] },
  { name: 'approvals', columns: ['id', 'campaign', 'content_hash', 'approved_by', 'approved_at'], order: ['id'] },
  {
    name: 'subscribers',
    columns: ['id', 'address', 'name', 'unsubscribe_token', 'status', 'source', 'bounces', 'last_bounce', 'created_at', 'updated_at', 'confirmed_at', 'unsubscribed_at'],
    order: ['id'],
  },
  { name: 'staff', columns: ['name', 'password_hash', 'created_at', 'updated_at'], order: ['name'] },
  { name: 'meta', columns: ['name', 'value'], order: ['name'] },
  { name: 'audit_log', columns: ['id', 'at', 'event', 'delivery_key', 'detail'], order: ['id'] },
];

/** A row: its values in the table's column order (text, numbers, null). */
export type LedgerRow = unknown[];

export interface LedgerReader {
  /** Rows of `table` in its order, after the row whose order values are `after` (null: from the first), at most `limit`. */
  page(table: LedgerTable, after: unknown[] | null, limit: number): Promise<LedgerRow[]>;
  count(table: LedgerTable): Promise<number>;
}

export interface LedgerWriter extends LedgerReader {
  insert(table: LedgerTable, rows: LedgerRow[]): Promise<void>;
}

/** A store as a copy sees it. */
export interface LedgerEnd {
  readonly location: string;
  /** Reads from one consistent snapshot. */
  read<T>(work: (r: LedgerReader) => Promise<T>): Promise<T>;
  /** Writes in one transaction, committed when `work` returns, rolled back when it throws. */
  write<T>(work: (w: LedgerWriter) => Promise<T>): Promise<T>;
}

export interface TableDigest {
  table: string;
  rows: number;
  sha256: string;
}

const PAGE = 2000;

/** Reads `table` whole, in its order, handing each page to `each`. */
async function scan(r: LedgerReader, table: LedgerTable, each: (rows: LedgerRow[]) => Promise<void> | void): Promise<void> {
  const at = table.order.map((c) => table.columns.indexOf(c));
  let after: unknown[] | null = null;
  for (;;) {
    const rows = await r.page(table, after, PAGE);
    if (rows.length === 0) return;
    await each(rows);
    after = at.map((i) => rows[rows.length - 1][i]);
    if (rows.length < PAGE) return;
  }
}

class Digest {
  private readonly hash = createHash('sha256');
  rows = 0;
  add(rows: LedgerRow[]): void {
    for (const row of rows) this.hash.update(`${JSON.stringify(row)}\n`);
    this.rows += rows.length;
  }
  done(table: string): TableDigest {
    return { table, rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

/** Rows and hash of one table, as `r` sees it. */
export async function tableDigest(r: LedgerReader, table: LedgerTable): Promise<TableDigest> {
  const d = new Digest();
  await scan(r, table, (rows) => d.add(rows));
  return d.done(table.name);
}

/**
 * Copies the whole ledger of `from` into the empty `to`, verified before it
 * commits (see the file comment). Returns each table's rows and hash.
 */
export async function copyLedger(from: LedgerEnd, to: LedgerEnd, onTable: (d: TableDigest) => void = () => {}): Promise<TableDigest[]> {
  const m = migrateMessages();
  return from.read((src) => to.write(async (dst) => {
    const filled: string[] = [];
    for (const t of LEDGER_TABLES) {
      const n = await dst.count(t);
      if (n > 0) filled.push(`${t.name} ${n}`);
    }
    if (filled.length > 0) throw new StateError('ETARGET_NOT_EMPTY', m.notEmpty(to.location, filled.join(', ')));
    const copied: TableDigest[] = [];
    for (const t of LEDGER_TABLES) {
      const d = new Digest();
      await scan(src, t, async (rows) => {
        d.add(rows);
        await dst.insert(t, rows);
      });
      copied.push(d.done(t.name));
    }
    for (const [i, t] of LEDGER_TABLES.entries()) {
      const written = await tableDigest(dst, t);
      const read = copied[i];
      if (written.rows !== read.rows || written.sha256 !== read.sha256) {
        throw new StateError('ECOPY_MISMATCH', m.mismatch(t.name, `${read.rows} ${read.sha256.slice(0, 16)}`, `${written.rows} ${written.sha256.slice(0, 16)}`));
      }
      onTable(written);
    }
    return copied;
  }));
}
