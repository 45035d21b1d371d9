/**
 * A PostgreSQL server for the tests, named by ADVISORY_TEST_POSTGRES (a
 * postgres:// URL; `.ci/run` starts a throwaway one, and so does
 * tools/pg-throwaway.sh for a developer). Each store gets a schema of its own,
 * dropped after the case, so cases and parallel test files never meet.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export const PG_URL = process.env.ADVISORY_TEST_POSTGRES?.trim() || undefined;
/** The name of a skipped suite says why, so a plain `npm test` shows it was not run. */
export const PG_SKIPPED = 'PostgreSQL: skipped, ADVISORY_TEST_POSTGRES not set (a postgres:// URL; tools/pg-throwaway.sh start prints one)';

/** A schema name no other case uses. */
export const freshSchema = () => `t_${process.pid}_${randomBytes(5).toString('hex')}`;

/** Schemas made by a case, dropped by `drop()`. */
export class Schemas {
  private readonly made: string[] = [];

  fresh(): string {
    const s = freshSchema();
    this.made.push(s);
    return s;
  }

  async drop(): Promise<void> {
    const names = this.made.splice(0);
    if (names.length === 0 || !PG_URL) return;
    await sql(names.map((s) => `DROP SCHEMA IF EXISTS "${s}" CASCADE`).join('; '));
  }
}

/** Runs `text` on the test server (schema management, a look behind the store's back). */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}
