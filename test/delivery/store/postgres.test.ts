/**
 * The PostgreSQL backend: the same store contract as SQLite, unchanged, and
 * what only PostgreSQL can show (its audit log refuses changes in the database
 * itself). Skipped, visibly, without ADVISORY_TEST_POSTGRES.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreConfig } from '../../../src/delivery/store/index.js';
import { openPostgres } from '../../../src/delivery/store/postgres/open.js';
import { storeContract } from './contract.js';
import { PG_SKIPPED, PG_URL, Schemas, sql } from './postgres-harness.js';

const schemas = new Schemas();
const configs = new WeakMap<Store, StoreConfig & { kind: 'postgres' }>();
const opened = async (config: StoreConfig & { kind: 'postgres' }) => {
  const s = await openStore(config);
  configs.set(s, config);
  return s;
};

if (!PG_URL) {
  describe.skip(PG_SKIPPED, () => {
    it('store contract (postgres)', () => {});
  });
} else {
  const url = PG_URL;
  storeContract('postgres', {
    open: () => opened({ kind: 'postgres', url, schema: schemas.fresh() }),
    reopen: (store) => opened(configs.get(store)!),
    // A holder on this host is judged by its process, and this process is alive: so the one taking over acts as a
    // dispatcher on another host whose clock is past the holder's lease.
    async takeOver(store, name) {
      const elsewhere = await openPostgres(configs.get(store)!, { identity: { pid: 1, host: 'elsewhere', start: null }, wall: () => new Date(Date.now() + 10 * 60_000) });
      try {
        const r = await elsewhere.acquireLock(name, 'advisory run');
        if (!('held' in r)) throw new Error(`the takeover was refused: ${JSON.stringify(r.holder)}`);
      } finally {
        await elsewhere.close();
      }
    },
    cleanup: () => schemas.drop(),
  });

  describe('PostgreSQL: the audit log is append-only in the database itself', () => {
    afterEach(() => schemas.drop());

    it('an UPDATE, DELETE or TRUNCATE of audit_log is refused by its triggers', async () => {
      const schema = schemas.fresh();
      const s = await openStore({ kind: 'postgres', url, schema });
      try {
        await s.recordApproval('2014-national-day', 'h1', '王警官', new Date());
        for (const change of ['DELETE FROM audit_log', `UPDATE audit_log SET event = 'x'`, 'TRUNCATE audit_log']) {
          await expect(sql(`SET search_path TO "${schema}"; ${change}`)).rejects.toThrow(/append-only/);
        }
        expect(await s.auditLog({ event: 'approval' })).toHaveLength(1);
      } finally {
        await s.close();
      }
    });
  });
}
