/**
 * Shared by the scale-out tests (workers.test.ts, restarts.test.ts): a bureau
 * on PostgreSQL + Redis (a live e-mail campaign to a real SMTP server,
 * test/fakes/smtp.ts), `advisory run` and `advisory worker` as real processes
 * of the built CLI, and the checks of what arrived: each subscriber mailed,
 * the copies beyond one counted and marked resentAfterCrash. `useQueueCluster`
 * registers the hooks (a fresh SMTP server per test; processes killed, the
 * ledger's schema dropped and the test's queues deleted from Redis after it:
 * only its own, as two files run at once on one Redis, and the crash suites
 * keep theirs in the other databases). The servers are
 * ADVISORY_TEST_POSTGRES and ADVISORY_TEST_REDIS unless the file names its own
 * (restarts.test.ts starts servers it may stop).
 */
import { afterEach, beforeAll, expect } from 'vitest';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { assertBuilt, startProcess, until, type Proc } from '../daemon-process.js';
import { approve, CAMPAIGN, emailProject, people, smtpEnv, subscribe, useSmtp } from '../../channels/email/harness.js';
import { freshSchema, PG_URL } from '../store/postgres-harness.js';
import { openStore, type Delivery, type Store } from '../../../src/delivery/store/index.js';
import { BATCHES_IN_HAND } from '../../../src/app/workers.js';

export { PG_URL };
export const REDIS_URL = process.env.ADVISORY_TEST_REDIS?.trim() || undefined;
/** Both servers named: the suites run (otherwise they are skipped, named by SKIPPED). */
export const SERVERS = Boolean(PG_URL && REDIS_URL);
export const SKIPPED = `PostgreSQL + Redis workers: skipped, ${[!PG_URL && 'ADVISORY_TEST_POSTGRES', !REDIS_URL && 'ADVISORY_TEST_REDIS'].filter(Boolean).join(' and ')} not set (tools/pg-throwaway.sh and tools/redis-throwaway.sh start print them)`;

export const MAX_CONNECTIONS = 3;
/** A worker's claims are only those in hand: its concurrency (e-mail: BATCHES_IN_HAND batches of max_connections). */
export const IN_HAND_MAX = BATCHES_IN_HAND * MAX_CONNECTIONS;
/** How long a silent worker's claim is kept (s): short, so the tests see a dead worker's claim taken over quickly. */
export const LEASE_S = 2;

export interface Bureau {
  root: string;
  env: Record<string, string>;
  list: Array<{ address: string }>;
  store: Store;
}

export interface Servers {
  /** postgres:// URL of the server (each bureau gets a schema of its own on it). */
  pg: string;
  /** redis:// URL (flushed after each test). */
  redis: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Deletes the BullMQ queues `names` (every key under `advisory:<name>:`) from the Redis at `url`: a queue's jobs,
 * its rate limiter and its worker records, as a FLUSHALL would, but no other queue's.
 */
export async function dropQueues(url: string, names: Iterable<string>): Promise<number> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => {});
  let n = 0;
  try {
    for (const name of names) {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `advisory:${name}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) n += await r.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    r.disconnect();
  }
  return n;
}

/** The queues the processes said they work: `advisory worker`'s start line and `publish --now`'s through the queue. */
export function queuesOf(ps: Proc[]): Set<string> {
  const names = new Set<string>();
  for (const p of ps) {
    const err = p.stderr();
    for (const m of err.matchAll(/advisory worker \d+: sending (.+?) from /g)) for (const n of m[1].split(', ')) names.add(n);
    for (const m of err.matchAll(/sending through the queue \S+ \((.+?)\) with workers/g)) for (const n of m[1].split(', ')) names.add(n);
  }
  return names;
}

const withSchema = (url: string, schema: string) => `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;

/** The hooks and helpers of one test file; `servers` is asked when a bureau is made (so a file may start its own first). */
export function useQueueCluster(servers: () => Servers = () => ({ pg: PG_URL!, redis: REDIS_URL! })) {
  const smtp = useSmtp();
  const procs: Proc[] = [];
  const open: Store[] = [];
  const schemas: Array<{ pg: string; schema: string }> = [];
  const redisUrls = new Set<string>();

  beforeAll(() => {
    if (!SERVERS) {
      console.info(SKIPPED);
      return;
    }
    assertBuilt();
  });
  afterEach(async () => {
    const queues = queuesOf(procs);
    for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    for (const s of open.splice(0)) await s.close().catch(() => {});
    for (const { pg: url, schema } of schemas.splice(0)) {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } catch {
        // A server a test left stopped is thrown away whole by its owner.
      } finally {
        await client.end().catch(() => {});
      }
    }
    for (const url of [...redisUrls]) {
      redisUrls.delete(url);
      // A server a test left stopped is thrown away whole by its owner.
      await dropQueues(url, queues).catch(() => {});
    }
  });

  function start(args: string[], env: Record<string, string>): Proc {
    const p = startProcess([...args, '--lang', 'en'], env);
    procs.push(p);
    return p;
  }

  const emailDeliveries = async (b: Bureau): Promise<Delivery[]> => (await b.store.list({ campaign: CAMPAIGN })).filter((d) => d.channel === 'email');

  return {
    smtp,
    start,
    emailDeliveries,

    async bureau(n: number, email: Record<string, string | number> = {}): Promise<Bureau> {
      const s = servers();
      redisUrls.add(s.redis);
      const root = emailProject(smtp.dirs, { max_connections: MAX_CONNECTIONS, rate_per_second: 0, ...email });
      const schema = freshSchema();
      schemas.push({ pg: s.pg, schema });
      const env = smtpEnv(smtp.fake, { ADVISORY_STORE: withSchema(s.pg, schema), ADVISORY_QUEUE: s.redis, ADVISORY_WORKER_LEASE: String(LEASE_S) });
      const list = people(n);
      await subscribe(root, env, list);
      await approve(root, env);
      const store = await openStore({ kind: 'postgres', url: s.pg, schema });
      open.push(store);
      return { root, env, list, store };
    },

    /** `advisory run` with `inProcess` queue workers of its own (0: the clock, the relay and the listeners only). */
    async daemon(b: Bureau, inProcess = 0): Promise<Proc> {
      const d = start(['run', '--root', b.root, '--port', String(await freePort()), '--staff-port', '0', ...(inProcess === 1 ? [] : ['--workers', String(inProcess)])], b.env);
      const workersLine = inProcess === 0 ? 'no workers in this process' : `${inProcess} worker(s) in this process`;
      // The start-up lines arrive as the child writes them: wait for the workers' line itself, not only the first one.
      await until(() => d.stderr().includes(workersLine) || d.child.exitCode !== null, 20_000, 'the daemon to start');
      if (d.child.exitCode !== null) throw new Error(`daemon exited ${d.child.exitCode}\n${d.stderr()}`);
      expect(d.stderr()).toContain('serving');
      expect(d.stderr()).toContain(workersLine);
      return d;
    },

    /** `n` `advisory worker` processes, each waited for until it says it is sending; `env` added to the bureau's. */
    async workers(b: Bureau, n = 3, env: Record<string, string> = {}): Promise<Proc[]> {
      const ws = Array.from({ length: n }, () => start(['worker', '--root', b.root], { ...b.env, ...env }));
      for (const w of ws) {
        await until(() => /advisory worker \d+: sending/.test(w.stderr()) || w.child.exitCode !== null, 20_000, 'a worker to start');
        if (w.child.exitCode !== null) throw new Error(`worker exited ${w.child.exitCode}\n${w.stderr()}`);
      }
      return ws;
    },

    /**
     * `advisory publish --now` of `channels`: handed to the running daemon, which relays it to the queue; with
     * none running, relayed by the publish itself and sent by its own workers and any `advisory worker`.
     */
    publish(b: Bureau, channels: string[] = ['email'], env: Record<string, string> = {}): Proc {
      return start(['publish', CAMPAIGN, '--now', ...channels.flatMap((c) => ['--channel', c]), '--root', b.root], { ...b.env, ...env });
    },

    async allSent(b: Bureau, what: string, timeoutMs = 90_000): Promise<void> {
      await until(async () => {
        const ds = await emailDeliveries(b);
        return ds.length === b.list.length && ds.every((d) => d.state === 'sent');
      }, timeoutMs, what, 200);
    },

    /** SIGTERM each: it finishes the jobs in hand and exits 0, saying how many it handled. */
    async stopAll(ps: Proc[]): Promise<number[]> {
      for (const p of ps) p.child.kill('SIGTERM');
      const handled: number[] = [];
      for (const p of ps) {
        const r = await p.exited;
        expect(r.code, p.stderr()).toBe(0);
        const m = /stopped after (\d+) job/.exec(p.stderr());
        if (m) handled.push(Number(m[1]));
      }
      return handled;
    },

    /**
     * Everyone got it; the copies beyond one are of deliveries the ledger marks resentAfterCrash, at most
     * `duplicatesMax` of them. Returns the counts.
     */
    async verified(b: Bureau, duplicatesMax: number): Promise<{ flagged: number; duplicates: number }> {
      const ds = await emailDeliveries(b);
      expect(ds).toHaveLength(b.list.length);
      expect(ds.filter((d) => d.state !== 'sent').map((d) => `${d.key}: ${d.state} ${d.reason}`)).toEqual([]);
      expect([...new Set(smtp.fake.recipients())].sort()).toEqual(b.list.map((p) => p.address).sort());
      const flagged = ds.filter((d) => d.receipt?.details?.resentAfterCrash === true);
      const flaggedIds = new Set(flagged.map((d) => d.receipt!.id));
      const duplicated = [...smtp.fake.copies()].filter(([, n]) => n > 1);
      for (const [id, n] of duplicated) {
        expect(flaggedIds.has(id), `${id} arrived ${n} times but its receipt does not say resentAfterCrash`).toBe(true);
        expect(n).toBe(2);
      }
      expect(duplicated.length).toBeLessThanOrEqual(duplicatesMax);
      expect(smtp.fake.received).toHaveLength(b.list.length + duplicated.length);
      return { flagged: flagged.length, duplicates: duplicated.length };
    },
  };
}
