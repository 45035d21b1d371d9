/**
 * The work queue on Redis with BullMQ (loaded only when `queue: redis://…`:
 * index.ts imports this file lazily, and tools/bundle.mjs keeps bullmq and
 * ioredis out of the bundle). Each channel account has its queue under the
 * `advisory` prefix; a job's id is its delivery's key, so BullMQ keeps one
 * job per delivery however often the relay offers it. Jobs are removed as
 * soon as they finish (completed or failed), so a delivery that is due again
 * (a retry, a resend after a crash) can be offered again. BullMQ makes one
 * attempt per job: when to try again is the ledger's decision (the one retry
 * policy, delivery/retry.ts), and the relay re-enqueues it then.
 *
 * Closing never waits for a Redis that does not answer. BullMQ's graceful
 * closes do (bullmq 6.7, ioredis 6.0): `Worker.close()` waits for its
 * blocking connection's `end` event, which ioredis never emits for a client
 * caught between two reconnection attempts (its `disconnect()` then only
 * clears the retry timer; taskforcesh/bullmq#4656, redis/ioredis#1247), and
 * for the acknowledgements of the jobs just finished, which wait in ioredis's
 * offline queue for the reconnect; `Queue.close()` sends QUIT, which ioredis
 * queues behind the commands waiting for the reconnect. Dropping the
 * connections by hand under a close that already waits does not end it: the
 * worker's lock-renewal and stalled-job timers are stopped only after that
 * wait, and keep the process alive. So a worker stops in steps of its own: no
 * new job, the jobs in hand finished (their outcome is in the ledger), their
 * acknowledgements waited for only while Redis answers and at most LET_GO_MS,
 * then BullMQ's forced close, which stops those timers and drops the
 * connections at once. A job not acknowledged is lost to Redis, never to the
 * ledger: its lock runs out, and whoever takes it again finds the delivery
 * final and acknowledges it without sending (or the relay offers it again).
 */
import type { Logger } from 'pino';
import { Queue, Worker, type ConnectionOptions, type RedisQueueBackend } from 'bullmq';
import { maskPassword } from '../store/index.js';
import { queueConfigMessages, workerMessages } from '../../i18n/messages-queue.js';
import { redisDb } from './config.js';
import { NO_SUCH_DB, type JobRef, type QueueServed, type QueueWorker, type WorkOptions, type WorkQueue } from './types.js';

const PREFIX = 'advisory';
/** How long a close waits for a Redis that answers to take the last acknowledgements (and QUIT) before letting go. */
const LET_GO_MS = 5_000;

/** BullMQ refuses ids with `:` (delivery keys hold ISO times): `%` and `:` are escaped, reversibly. */
export const jobId = (key: string) => key.replaceAll('%', '%25').replaceAll(':', '%3A');

function connection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: redisDb(url),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * SELECTs the URL's database explicitly and waits for the answer: ioredis SELECTs it on connecting but, refused
 * (a number beyond the server's `databases`), only emits an error and goes on with database 0, which another
 * bureau's queue may use. A refusal here is fatal to the caller.
 */
async function selectDb(q: Queue, url: string): Promise<void> {
  const db = redisDb(url);
  const client = await q.getBackend().client;
  try {
    await client.runCommand('select', [db]);
  } catch (err) {
    throw Object.assign(new Error(queueConfigMessages().noSuchDb(db, (err as Error).message), { cause: err }), { code: NO_SUCH_DB });
  }
}

/** Logs a connection's errors once per minute at most (a Redis that is down says so every second otherwise). */
function errorLogger(log: Logger, what: string): (err: Error) => void {
  let last = 0;
  return (err) => {
    const t = Date.now();
    if (t - last < 60_000) return;
    last = t;
    log.warn({ err: err.message }, `${what}: ${err.message}`);
  };
}

type Client = Awaited<RedisQueueBackend['client']>;

/** The connection's client if it has connected at all (BullMQ resolves it on the first connection), else undefined. */
function connectedClient(client: Promise<Client> | undefined): Promise<Client | undefined> {
  if (!client) return Promise.resolve(undefined);
  return Promise.race([client.catch(() => undefined), new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]);
}

/** Whether every connection of `backend` is up now (ioredis `ready`); one that never connected is not. */
async function answers(backend: RedisQueueBackend): Promise<boolean> {
  const clients = await Promise.all([connectedClient(backend.client), ...(backend.blockingClient ? [connectedClient(backend.blockingClient)] : [])]);
  return clients.every((c) => c?.status === 'ready');
}

/** True once `p` settles, false after `ms` (then `p` is left to itself: its outcome is not wanted). */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(() => true, () => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Lets go of a queue's connections without waiting for Redis: BullMQ's forced close disconnects them at once (a
 * close already under way is shared, so its clients are also disconnected by hand). Commands still waiting for
 * the reconnect are left unanswered; nothing here waits for them, and no timer of theirs is left running.
 */
async function drop(backend: RedisQueueBackend): Promise<void> {
  backend.close(true).catch(() => {});
  for (const client of [backend.client, backend.blockingClient]) (await connectedClient(client))?.disconnect();
}

/**
 * `say`: how this process says, once, that it stops without waiting for Redis (default: a warning in the log;
 * `advisory worker` and `publish --now` say it on standard error).
 */
export function openRedisQueue(url: string, log: Logger, say: (line: string) => void = (line) => log.warn(line)): WorkQueue {
  const location = maskPassword(url);
  const conn = connection(url);
  const queues = new Map<string, Queue>();
  let saidAway = false;
  let checking = false;
  const letGoUnanswered = () => {
    if (!saidAway) say(workerMessages().stopAway(location));
    saidAway = true;
  };
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: conn, prefix: PREFIX, defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 } });
      const logged = errorLogger(log, `queue ${name} on ${location}`);
      // While ready() waits, its caller says the error in one line: not logged as well.
      q.on('error', (err) => checking || logged(err));
      queues.set(name, q);
    }
    return q;
  };
  return {
    location,
    async enqueue(jobs: JobRef[]) {
      const byQueue = new Map<string, JobRef[]>();
      for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), j]);
      for (const [name, list] of byQueue) {
        for (let i = 0; i < list.length; i += 500) {
          await queue(name).addBulk(list.slice(i, i + 500).map((j) => ({ name: 'deliver', data: { key: j.key }, opts: { jobId: jobId(j.key) } })));
        }
      }
    },
    async ready(timeoutMs: number) {
      // Any queue's connection will do: they all reach the same Redis. Its errors say why it does not answer.
      const q = queue('ping');
      let why = 'no answer';
      const onError = (err: Error) => (why = err.message);
      q.on('error', onError);
      let timer: NodeJS.Timeout | undefined;
      checking = true;
      try {
        await Promise.race([
          q.waitUntilReady().then(() => selectDb(q, url)),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${why} (waited ${Math.round(timeoutMs / 1000)} s)`)), timeoutMs))),
        ]);
      } finally {
        clearTimeout(timer);
        checking = false;
        q.off('error', onError);
      }
    },
    async served(ledger: string): Promise<QueueServed[]> {
      // Every key of a queue is `advisory:<queue>:…`, and a queue name holds no `:` (job ids have theirs escaped).
      const client = await queue('ping').getBackend().client;
      const names = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, { MATCH: `${PREFIX}:${ledger}.*`, COUNT: 1000 });
        cursor = next;
        for (const k of keys) names.add(k.split(':')[1]);
      } while (cursor !== '0');
      const out: QueueServed[] = [];
      for (const name of [...names].sort()) {
        const q = queue(name);
        out.push({ queue: name, waiting: await q.getJobCountByTypes('waiting', 'prioritized'), workers: await q.getWorkersCount() });
      }
      return out;
    },
    work(name: string, o: WorkOptions, handle: (key: string) => Promise<void>): QueueWorker {
      let handled = 0;
      let stopping = false;
      // The jobs in hand: their handling, and the job's id.
      const inHand = new Map<Promise<void>, string>();
      // While stopping: the jobs that were in hand, until Redis has their acknowledgement (completed or failed there).
      const unacknowledged = new Set<string>();
      const worker = new Worker(
        name,
        async (job) => {
          // Taken as the stop began: not handled; the delivery stays as the ledger has it, and the relay offers it again.
          if (stopping) return;
          const handling = handle(String(job.data.key));
          inHand.set(handling, String(job.id));
          try {
            await handling;
            handled++;
          } finally {
            inHand.delete(handling);
          }
        },
        {
          connection: conn,
          prefix: PREFIX,
          concurrency: o.concurrency,
          ...(o.limiter ? { limiter: { max: o.limiter.max, duration: o.limiter.durationMs } } : {}),
          lockDuration: o.leaseMs,
          stalledInterval: Math.max(1000, Math.floor(o.leaseMs / 2)),
          // A job whose worker died goes back to the queue however often that happens: the ledger decides.
          maxStalledCount: 1_000_000,
        },
      );
      worker.on('error', errorLogger(log, `worker of ${name} on ${location}`));
      worker.on('failed', (job, err) => {
        if (job) unacknowledged.delete(String(job.id));
        log.error({ err, key: job?.data?.key }, `job failed: ${err.message}`);
      });
      worker.on('completed', (job) => unacknowledged.delete(String(job.id)));
      return {
        handled: () => handled,
        async close() {
          stopping = true;
          for (const id of inHand.values()) unacknowledged.add(id);
          // No new job (no Redis needed), then the jobs in hand finish: they need only the ledger and the channels.
          await worker.pause(true);
          while (inHand.size > 0) await Promise.allSettled([...inHand.keys()]);
          // Their acknowledgements, while Redis answers; then the connections are dropped, not closed gracefully.
          let acknowledged = await answers(worker.getBackend());
          for (const end = Date.now() + LET_GO_MS; acknowledged && unacknowledged.size > 0;) {
            if (Date.now() >= end) acknowledged = false;
            else await new Promise((resolve) => setTimeout(resolve, 20));
          }
          await worker.close(true);
          if (!acknowledged) letGoUnanswered();
        },
      };
    },
    async close() {
      const all = [...queues.values()];
      const answered = (await Promise.all(all.map((q) => answers(q.getBackend())))).every(Boolean);
      if (answered && (await settlesWithin(Promise.all(all.map((q) => q.close())), LET_GO_MS))) return;
      await Promise.all(all.map((q) => drop(q.getBackend())));
      letGoUnanswered();
    },
  };
}
