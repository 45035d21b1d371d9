/**
 * What only the PostgreSQL ledger shows: two processes planning the same
 * occurrence at the same moment record it once (the key is unique in the
 * database); a schema holding another program's tables is refused; a server
 * that cannot be reached is said in one line, its password masked. Skipped,
 * visibly, without ADVISORY_TEST_POSTGRES.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { openStore } from '../../../src/delivery/store/index.js';
import { prepareDrill } from '../../../src/delivery/drill.js';
import { REPO } from '../helpers.js';
import { AT, baseKey, fanOutPlan, occurrence, plainPlan } from './contract/fixtures.js';
import { PG_SKIPPED, PG_URL, Schemas, sql } from './postgres-harness.js';

const schemas = new Schemas();
afterEach(() => schemas.drop());

/** The built store (npm test builds first), as another process loads it. */
const STORE = join(process.env.ADVISORY_TEST_DIST ?? join(REPO, 'dist'), 'delivery/store/index.js');

/** A process that opens the store, says `ready`, and on `go` records the occurrence, printing what it got. */
function planner(url: string, schema: string, occ: unknown, plans: unknown) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    const { openStore } = await import(${JSON.stringify(STORE)});
    const store = await openStore({ kind: 'postgres', url: ${JSON.stringify(url)}, schema: ${JSON.stringify(schema)} });
    console.log('ready');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const r = await store.recordOccurrence(${JSON.stringify(occ)}, ${JSON.stringify(plans)}, new Date(${JSON.stringify(AT.toISOString())}));
    console.log(JSON.stringify(r));
    await store.close();
  `], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('ready') && resolve()));
  const done = new Promise<{ recorded: boolean; created: number }>((resolve, reject) => child.on('exit', (code) => {
    if (code !== 0) reject(new Error(`planner exited ${code}: ${err}`));
    else resolve(JSON.parse(out.trim().split('\n').at(-1)!));
  }));
  return { child, ready, done };
}

if (!PG_URL) {
  describe.skip(PG_SKIPPED, () => {
    it('two processes planning the same occurrence record it once', () => {});
  });
} else {
  const url = PG_URL;

  describe('PostgreSQL: any number of clocks may plan', () => {
    it('two processes recording the same occurrence (a fan-out to 3,000 subscribers) at once: recorded once, each delivery once', async () => {
      if (!existsSync(STORE)) throw new Error(`${STORE} is missing: run \`npm run build\` (npm test does it first).`);
      const schema = schemas.fresh();
      const s = await openStore({ kind: 'postgres', url, schema });
      try {
        const people = Array.from({ length: 3000 }, (_, i) => ({ address: `p${i}@example.org`, line: i + 1 }));
        expect((await s.importSubscribers(people, AT)).added).toBe(3000);
        const occ = occurrence();
        const plans = [plainPlan(occ.key, 'wechat'), fanOutPlan(occ.key)];
        const a = planner(url, schema, occ, plans);
        const b = planner(url, schema, occ, plans);
        await Promise.all([a.ready, b.ready]);
        a.child.stdin.end('go\n');
        b.child.stdin.end('go\n');
        const results = await Promise.all([a.done, b.done]);
        expect(results.map((r) => r.recorded).sort()).toEqual([false, true]);
        expect(results.find((r) => r.recorded)!.created).toBe(3001);
        expect(results.find((r) => !r.recorded)!.created).toBe(0);
        expect(await s.counts()).toMatchObject({ pending: 3001 });
        expect(await s.occurrences({})).toHaveLength(1);
        expect(await s.auditLog({ event: 'occurrence-recorded' })).toHaveLength(1);
        expect((await s.list({ keys: [baseKey(occ.key, 'wechat')] })).length).toBe(1);
      } finally {
        await s.close();
      }
    }, 60_000);
  });

  describe('PostgreSQL: a drill rehearses on a copy', () => {
    it('run --clock-start on a project whose ledger is PostgreSQL starts from an SQLite copy in var/drill, even while the real dispatcher runs; the real ledger is untouched', async () => {
      const root = mkdtempSync(join(tmpdir(), 'advisory-pg-drill-'));
      try {
        const schema = schemas.fresh();
        const env = { ADVISORY_STORE: `${url}${url.includes('?') ? '&' : '?'}schema=${schema}` };
        const real = await openStore({ kind: 'postgres', url, schema });
        try {
          await real.addSubscriber({ address: 'wang@example.org' }, AT);
          await real.setMeta('planned_up_to', AT.toISOString());
          expect(await real.acquireLock('dispatcher', 'advisory run')).toHaveProperty('held');
          const drill = await prepareDrill(root, new Date('2014-09-29T00:00:00Z'), env);
          expect(drill.varDir).toBe(join(root, 'var', 'drill'));
          const copy = await openStore({ kind: 'sqlite', varDir: drill.varDir });
          try {
            expect((await copy.subscribers()).map((x) => x.address)).toEqual(['wang@example.org']);
            expect(await copy.getMeta('planned_up_to')).toBeUndefined();
          } finally {
            await copy.close();
          }
          expect(await real.getMeta('planned_up_to')).toBe(AT.toISOString());
          expect(await real.lockHolder('dispatcher')).toMatchObject({ purpose: 'advisory run' });
        } finally {
          await real.close();
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('PostgreSQL: what is not a ledger is not opened as one', () => {
    it('a schema with tables but no schema_migrations (another program\'s) is refused, and nothing is created in it', async () => {
      const schema = schemas.fresh();
      await sql(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".orders (id int)`);
      await expect(openStore({ kind: 'postgres', url, schema })).rejects.toMatchObject({
        code: 'ELEDGER', message: expect.stringMatching(/holds tables \(orders\) but no schema_migrations table, so it is not an advisory ledger/),
      });
      expect(await sql(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema])).toEqual([{ tablename: 'orders' }]);
    });
  });
}

describe('PostgreSQL: a server that cannot be reached', () => {
  it('is said in one line naming the ledger, the password masked (no server needed)', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const err = await openStore({ kind: 'postgres', url: `postgres://advisory:hunter2@127.0.0.1:${port}/ledger`, schema: 'jinan' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ELEDGER' });
    expect(err.message).toMatch(new RegExp(`^cannot reach the ledger postgres://advisory:\\*\\*\\*@127\\.0\\.0\\.1:${port}/ledger\\?schema=jinan: ECONNREFUSED`));
    expect(err.message).not.toContain('hunter2');
  });
});
