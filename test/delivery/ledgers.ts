/**
 * The ledgers the crash and fault suites run on, one case each: the SQLite
 * default (a copy of the template's var/advisory.db per case); PostgreSQL
 * (ADVISORY_TEST_POSTGRES, a schema of its own per case, dropped after); and
 * PostgreSQL with a Redis queue (ADVISORY_TEST_REDIS also), where the daemon
 * keeps the clock and the relay and an `advisory worker` process sends. A
 * backend whose server is not named is skipped, by name (`skipped`), so a
 * plain `npm test` shows what it did not run.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore, type Store } from '../../src/delivery/store/index.js';
import type { StoreConfig } from '../../src/delivery/store/config.js';
import { assertBuilt } from './daemon-process.js';
import { PG_SKIPPED, PG_URL, Schemas } from './store/postgres-harness.js';
import { REDIS_URL, SERVERS, SKIPPED as QUEUE_SKIPPED } from './queue/harness.js';

export interface Backend {
  kind: 'sqlite' | 'postgres' | 'queue';
  /** For the suites' names: `on SQLite`, `on PostgreSQL`, … */
  label: string;
  /** Why this backend's suites are skipped (its server is not named), or undefined when they run. */
  skipped?: string;
}

export const SQLITE: Backend = { kind: 'sqlite', label: 'SQLite' };
export const POSTGRES: Backend = { kind: 'postgres', label: 'PostgreSQL', skipped: PG_URL ? undefined : PG_SKIPPED };
export const QUEUE: Backend = { kind: 'queue', label: 'PostgreSQL + Redis queue, a worker process', skipped: SERVERS ? undefined : QUEUE_SKIPPED };

/** One case's project: its folder, its ledger and the environment every command of the case runs with. */
export interface Case {
  root: string;
  backend: Backend;
  ledger: StoreConfig;
  /** ADVISORY_STORE (and ADVISORY_QUEUE, ADVISORY_WORKER_LEASE) for PostgreSQL; empty for SQLite. */
  env: Record<string, string>;
}

/** A project folder alone is the SQLite default: its ledger in <root>/var. */
export type Project = string | Case;

export function asCase(p: Project): Case {
  return typeof p === 'string' ? { root: p, backend: SQLITE, ledger: { kind: 'sqlite', varDir: join(p, 'var') }, env: {} } : p;
}

/** The case's ledger, open for `f`, closed after it. */
export async function withLedger<T>(p: Project, f: (s: Store) => T | Promise<T>): Promise<T> {
  const s = await openStore(asCase(p).ledger);
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

/** How long a queue worker's claim is kept (s): short, so a claim the killed process left is taken over soon. */
export const QUEUE_LEASE_S = 2;

const withParam = (url: string, param: string) => `${url}${url.includes('?') ? '&' : '?'}${param}`;

/**
 * Redis databases for the queue cases (1–15; the queue suites use 0): a file's cases run at once on one Redis. Each
 * case gets a database of its own, emptied when the case takes it (kept from when every ledger's sandbox queue was
 * `email.sandbox`; the names carry the ledger's id now, and emptying a database still touches no other case). A file names its databases, disjoint from the other files' (vitest runs two files
 * at once), at least as many as it runs queue cases at once; they are handed out in turn. Taken: 1–8
 * publish-crash-daemon, 9–10 publish-random-kill, 11 crash, 12–14 publish-crash-rerun, 15 frozen (test/cli/faults-postgres
 * names it without taking it: its ledgers are refused before any queue is opened).
 */
export interface LedgerOptions {
  redisDbs?: number[];
}

async function flushDb(url: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await r.flushdb();
  } finally {
    r.disconnect();
  }
}

/**
 * For a test file on `backend`: the hooks (every schema dropped and Redis database emptied after all tests) and
 * `ledger(root, subscribers)`, which gives a copied project folder (recovery.ts `projects`) its ledger: for SQLite
 * the template's file already in its var/, otherwise a fresh schema holding `subscribers` subscribers.
 */
export function useLedgers(backend: Backend, opts: LedgerOptions = {}) {
  const schemas = new Schemas();
  const dbs = opts.redisDbs ?? [];
  let taken = 0;
  const used = new Set<string>();
  beforeAll(() => {
    if (backend.skipped) console.info(backend.skipped);
    else assertBuilt();
  });
  afterAll(async () => {
    await schemas.drop();
    for (const url of used) await flushDb(url).catch(() => {});
    used.clear();
  });

  return {
    /** The ledger of a new case in `root` (whose var/ holds the SQLite template's ledger when SQLite). */
    async ledger(root: string, subscribers: number): Promise<Case> {
      if (backend.kind === 'sqlite') return { ...asCase(root), backend };
      const schema = schemas.fresh();
      const ledger: StoreConfig = { kind: 'postgres', url: PG_URL!, schema };
      const env: Record<string, string> = { ADVISORY_STORE: withParam(PG_URL!, `schema=${schema}`) };
      if (backend.kind === 'queue') {
        if (dbs.length === 0) throw new Error('a queue case needs the Redis databases of its file (redisDbs)');
        const url = `${REDIS_URL!.replace(/\/\d*$/, '')}/${dbs[taken++ % dbs.length]}`;
        used.add(url);
        await flushDb(url);
        Object.assign(env, { ADVISORY_QUEUE: url, ADVISORY_WORKER_LEASE: String(QUEUE_LEASE_S) });
      }
      // The SQLite template's ledger is not this case's: only the content and the outbox folder are used.
      rmSync(join(root, 'var/advisory.db'), { force: true });
      const c: Case = { root, backend, ledger, env };
      await withLedger(c, async (s) => {
        const at = new Date('2014-09-01T00:00:00Z');
        await s.importSubscribers(Array.from({ length: subscribers }, (_, i) => ({ address: `resident${i}@example.org`, name: `居民${i}`, line: i + 1 })), at);
      });
      return c;
    },
  };
}

/**
 * A suite on `backend`: named `NAME, on LABEL` and run (its cases at once when `concurrent`), or, when its server
 * is not named, skipped under a name that says so.
 */
export function describeOn(backend: Backend, name: string, body: () => void, concurrent = true): void {
  if (backend.skipped) describe.skip(`${name}, on ${backend.label}: ${backend.skipped}`, body);
  else (concurrent ? describe.concurrent : describe)(`${name}, on ${backend.label}`, body);
}
