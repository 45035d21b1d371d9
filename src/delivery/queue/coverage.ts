/**
 * Who serves a ledger's queues: for `advisory status` and a `publish --now` waiting for the daemon. Jobs waiting on
 * a queue that no worker serves are never sent (a daemon started with `--workers 0` and no `advisory worker`, or a
 * worker with other secrets, which serves another account's queue), and nothing else would say so.
 */
import type { WorkQueue } from './types.js';

export interface QueueCoverage {
  queue: string;
  channel: string;
  waiting: number;
  workers: number;
}

/** The ledger's queues with jobs waiting or workers connected; none if no process has used the queue with it yet. */
export async function queueCoverage(queue: Pick<WorkQueue, 'served'>, ledger: string | undefined): Promise<QueueCoverage[]> {
  if (!ledger) return [];
  return (await queue.served(ledger))
    .filter((q) => q.waiting > 0 || q.workers > 0)
    .map((q) => ({ ...q, channel: q.queue.slice(ledger.length + 1).split('.')[0] }));
}

/** The queues with jobs waiting and no worker. */
export const unserved = (all: QueueCoverage[]) => all.filter((q) => q.waiting > 0 && q.workers === 0);
