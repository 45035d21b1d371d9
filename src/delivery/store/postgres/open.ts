/**
 * Opening a PostgreSQL ledger: a small pool whose connections use the store's
 * schema (search_path), bigint counts read as numbers, the schema migrated (or
 * refused: newer than this advisory, or not a ledger). A server that cannot be
 * reached is said with the ledger's location, its password masked.
 */
import pg from 'pg';
import { StateError } from '../../../errors.js';
import { postgresMessages } from '../../../i18n/messages-postgres.js';
import { DEFAULT_SCHEMA, postgresLocation } from '../config.js';
import { migrate } from './migrations.js';
import { Db, isConnectionError, LOCK_TIMEOUT_S } from './sql.js';
import { PostgresStore, type PostgresStoreOptions } from './store.js';

export interface PostgresConfig {
  url: string;
  schema?: string;
}

/** int8 (count(*), bigint ids and generations) as a number: a ledger's counts stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * The URL pg is given: an `sslmode` means what libpq (psql, every other client) means by it. Without
 * `uselibpqcompat=true`, pg 8 reads `require` and `verify-ca` as `verify-full` (a server with a certificate of
 * its own signing is refused) and prints a ten-line warning on every command.
 */
export function libpqUrl(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has('sslmode') || u.searchParams.has('uselibpqcompat')) return url;
  u.searchParams.set('uselibpqcompat', 'true');
  return u.toString();
}

function pool(config: PostgresConfig): pg.Pool {
  const schema = config.schema ?? DEFAULT_SCHEMA;
  const p = new pg.Pool({
    connectionString: libpqUrl(config.url),
    // lock_timeout: a lock another session keeps is not waited for forever (Db.said tells the user).
    options: `-c search_path="${schema}" -c lock_timeout=${LOCK_TIMEOUT_S}s`,
    application_name: 'advisory',
    types,
    max: 4,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
  });
  // An idle connection the server closed (a restart): the next query says so; the pool must not crash the process.
  p.on('error', () => {});
  return p;
}

export function cannotConnect(db: Pick<Db, 'location'>, err: unknown): StateError {
  const e = err as { code?: string; message?: string };
  // The server asks a password (SCRAM) and none was given: pg says only "SASL: … client password must be a string".
  if (/client password must be a string/i.test(e?.message ?? '')) return new StateError('ELEDGER', postgresMessages().noPassword(db.location), { cause: err });
  // An authentication failure (28P01, 28000) or an unknown database (3D000) is as much "cannot reach" as a refused connection.
  return new StateError('ELEDGER', postgresMessages().cannotConnect(db.location, `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`), { cause: err });
}

/** Connects and brings the schema to this advisory's version: what was found and what is now. */
async function connectAndMigrate(db: Db, schema: string): Promise<{ from: number; to: number }> {
  let client: pg.PoolClient;
  try {
    client = await db.pool.connect();
  } catch (err) {
    throw cannotConnect(db, err);
  }
  let broken: Error | undefined;
  // A connection the server ends while it is checked out emits 'error' (see Db.tx): heard, not fatal.
  const onLost = (err: Error) => (broken ??= err);
  client.on('error', onLost);
  try {
    return await migrate(client, schema, db.location);
  } catch (err) {
    if (isConnectionError(err)) broken = err as Error;
    throw db.said(err);
  } finally {
    client.off('error', onLost);
    client.release(broken);
  }
}

export async function openPostgres(config: PostgresConfig, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const db = new Db(pool(config), postgresLocation(config));
  try {
    await connectAndMigrate(db, config.schema ?? DEFAULT_SCHEMA);
  } catch (err) {
    await db.close();
    throw err;
  }
  return new PostgresStore(db, options);
}

/** Applies the migrations (what `advisory migrate` does): the version found and the version now. */
export async function migratePostgres(config: PostgresConfig): Promise<{ location: string; from: number; to: number }> {
  const db = new Db(pool(config), postgresLocation(config));
  try {
    return { location: db.location, ...(await connectAndMigrate(db, config.schema ?? DEFAULT_SCHEMA)) };
  } finally {
    await db.close();
  }
}

/** Whether the schema holds an advisory ledger (nothing is created). */
export async function postgresLedgerExists(config: PostgresConfig): Promise<boolean> {
  const db = new Db(pool(config), postgresLocation(config));
  try {
    const r = await db.pool.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`"${config.schema ?? DEFAULT_SCHEMA}".schema_migrations`]);
    return r.rows[0].t !== null;
  } catch (err) {
    throw isConnectionError(err) ? cannotConnect(db, err) : err;
  } finally {
    await db.close();
  }
}
