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
 */
import type { Logger } from 'pino';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { maskPassword } from '../store/index.js';
import type { JobRef, QueueWorker, WorkOptions, WorkQueue } from './types.js';

const PREFIX = 'advisory';

/** BullMQ refuses ids with `:` (delivery keys hold ISO times): `%` and `:` are escaped, reversibly. */
export const jobId = (key: string) => key.replaceAll('%', '%25').replaceAll(':', '%3A');

function connection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.replace(/^\//, '') || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
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

export function openRedisQueue(url: string, log: Logger): WorkQueue {
  const location = maskPassword(url);
  const conn = connection(url);
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: conn, prefix: PREFIX, defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 } });
      q.on('error', errorLogger(log, `queue ${name} on ${location}`));
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
      try {
        await Promise.race([
          q.waitUntilReady(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${why} (waited ${Math.round(timeoutMs / 1000)} s)`)), timeoutMs))),
        ]);
      } finally {
        clearTimeout(timer);
        q.off('error', onError);
      }
    },
    work(name: string, o: WorkOptions, handle: (key: string) => Promise<void>): QueueWorker {
      let handled = 0;
      const worker = new Worker(
        name,
        async (job) => {
          await handle(String(job.data.key));
          handled++;
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
      worker.on('failed', (job, err) => log.error({ err, key: job?.data?.key }, `job failed: ${err.message}`));
      return { handled: () => handled, close: () => worker.close() };
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
