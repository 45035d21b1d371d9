/**
 * The work queue, chosen by configuration (config.ts): `local` has no queue
 * object (the dispatcher sends itself, as ever); `redis://…` opens BullMQ
 * queues (bullmq.ts, loaded only then).
 */
import type { Logger } from 'pino';
import type { QueueConfig } from './config.js';
import type { WorkQueue } from './types.js';

/** `say`: how the process says that it stops without waiting for Redis (default: a warning in `log`). */
export async function openQueue(config: QueueConfig, log: Logger, say?: (line: string) => void): Promise<WorkQueue | null> {
  if (config.kind === 'local') return null;
  const { openRedisQueue } = await import('./bullmq.js');
  return openRedisQueue(config.url, log, say);
}

export { assertSharedLedger, DEFAULT_WORKER_LEASE_MS, parseQueueSpec, queueConfig, queueLocation, workerLeaseFromEnv, type QueueConfig } from './config.js';
export { accountId, queueName, rateLimit } from './accounts.js';
export { knownLedgerId, ledgerId } from './ledger-id.js';
export { queueCoverage, unserved, type QueueCoverage } from './coverage.js';
export { createRelay, relay, type RelayDeps } from './relay.js';
export { assertStillClaimed, claimFence, handleJob } from './work.js';
export { GATHER_MS, handleJobs } from './work-batch.js';
export { gather, type GatherOptions } from './gather.js';
export { NO_SUCH_DB, type JobRef, type QueueServed, type QueueWorker, type RateLimit, type WorkOptions, type WorkQueue } from './types.js';
