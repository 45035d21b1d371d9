/**
 * Talking to PostgreSQL: a pool of connections whose search_path is the
 * store's schema, reads outside transactions, and `tx`, the one way to write:
 * BEGIN, an optional guard (the fence), the work, COMMIT; ROLLBACK on any
 * throw. A deadlock or serialisation failure (two dispatchers claiming
 * overlapping rows) is retried as a whole, a few times. A lost connection is
 * said as a StateError naming the ledger (its password masked): nothing that
 * was not committed is recorded. A lock another session keeps (an open
 * transaction in psql, a DDL statement) is waited for LOCK_TIMEOUT_S at most
 * (each connection's lock_timeout), then said as ELEDGER_BUSY, as SQLite's
 * busy timeout is: a command never hangs silently behind it.
 */
import type pg from 'pg';
import { StateError } from '../../../errors.js';
import { createHash } from 'node:crypto';
import { postgresMessages } from '../../../i18n/messages-postgres.js';

/** A connection in a transaction (or the pool, for a read). */
export interface Q {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

const RETRY = new Set(['40001', '40P01']);
/** How long a statement waits for a lock another session holds (the connections' lock_timeout), in seconds. */
export const LOCK_TIMEOUT_S = 10;
/** lock_not_available: lock_timeout ran out. */
const LOCK_TIMEOUT = '55P03';
/** insufficient_privilege: the role may not do this (a role without rights on the schema or its tables). */
const PERMISSION = '42501';
/** A table, column, function or unique index the code names is not there: the schema was changed under it. */
const SCHEMA_CHANGED = new Set(['42P01', '42703', '42883', '42P10']);
/** data_corrupted, index_corrupted: the server found the ledger's own files damaged. */
const CORRUPT = new Set(['XX001', 'XX002']);
const CONNECTION = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);

/** Whether `err` is the server or the network going away (not a mistake in what was asked). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  // "not queryable": a pooled connection the server had ended (a restart) before pg noticed, handed out and refused by pg itself.
  return (e?.code !== undefined && CONNECTION.has(e.code)) || /Connection terminated|connection timeout|timeout expired|not queryable/i.test(e?.message ?? '');
}

/** A statement's config; `prepared`, named from its text, so that the same text is prepared once per connection. */
function config(text: string, values: unknown[], prepared: boolean): pg.QueryConfig {
  if (!prepared) return { text, values };
  let name = names.get(text);
  if (!name) names.set(text, (name = `advisory_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return { name, text, values };
}
/** The prepared statements' names by text (a few dozen texts, written in the code). */
const names = new Map<string, string>();

export class Db {
  constructor(
    readonly pool: pg.Pool,
    /** For messages: the URL with its password masked, and the schema. */
    readonly location: string,
  ) {}

  /**
   * Rows of one statement, outside any transaction (reads). `prepared`: parsed and planned once per connection and
   * kept by the server under a name from its text (the queue workers' few statements, run thousands of times a
   * minute, where planning each took as long as running it).
   */
  async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], prepared = false): Promise<R[]> {
    try {
      return (await this.pool.query<R>(config(sql, params, prepared))).rows;
    } catch (err) {
      throw this.said(err);
    }
  }

  /**
   * One write statement on its own: atomic and committed by itself (one round trip, where a transaction takes
   * BEGIN and COMMIT too); run again, as a transaction is, on a serialization failure or deadlock.
   */
  async statement<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], prepared = false): Promise<R[]> {
    for (let round = 1; ; round++) {
      try {
        return (await this.pool.query<R>(config(sql, params, prepared))).rows;
      } catch (err) {
        if (RETRY.has((err as { code?: string }).code ?? '') && round < 5) continue;
        throw this.said(err);
      }
    }
  }

  /** One transaction: `guard` first (inside it), then `work`; committed whole or not at all. */
  async tx<T>(work: (c: Q) => Promise<T>, guard?: (c: Q) => Promise<void>): Promise<T> {
    for (let round = 1; ; round++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        throw this.said(err);
      }
      let broken: Error | undefined;
      // The server may end the connection while it is checked out (a restart: pg_ctl stop -m fast ends every
      // session). pg then emits 'error' on the client, which the pool listens to only while it is idle: unheard,
      // it would end the process. Heard here, it marks the client broken; the statement in flight fails as well.
      const onLost = (err: Error) => (broken ??= err);
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        if (guard) await guard(client);
        const out = await work(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        if (isConnectionError(err)) broken ??= err as Error;
        if (RETRY.has((err as { code?: string }).code ?? '') && round < 5) continue;
        throw this.said(err);
      } finally {
        client.off('error', onLost);
        client.release(broken);
      }
    }
  }

  /**
   * A lost server or network, a lock kept past the lock timeout, a right the role lacks, a schema changed under the
   * code or damaged on the server: said as a StateError naming the ledger (one line, exit 3); anything else as it is.
   */
  said(err: unknown): unknown {
    const e = err as { code?: string; message?: string };
    const m = postgresMessages();
    const why = `${e?.code}: ${e?.message}`;
    if (e?.code === LOCK_TIMEOUT) return new StateError('ELEDGER_BUSY', m.busy(this.location, LOCK_TIMEOUT_S, why), { cause: err });
    if (e?.code === PERMISSION) return new StateError('ELEDGER_PERMISSION', m.permission(this.location, why), { cause: err });
    if (SCHEMA_CHANGED.has(e?.code ?? '')) return new StateError('ELEDGER_DAMAGED', m.damaged(this.location, why), { cause: err });
    if (CORRUPT.has(e?.code ?? '')) return new StateError('ELEDGER_DAMAGED', m.corrupt(this.location, why), { cause: err });
    if (!isConnectionError(err)) return err;
    return new StateError('ELEDGER_UNAVAILABLE', postgresMessages().unavailable(this.location, `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`), { cause: err });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Each value of `values` once, in first-seen order. */
export const unique = <T>(values: T[]) => [...new Set(values)];
