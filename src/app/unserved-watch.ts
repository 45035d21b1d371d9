/**
 * A `publish --now` handed to the daemon with a Redis queue waits for workers it cannot see: with `advisory run
 * --workers 0` and no `advisory worker` (or one with other secrets, serving another account's queue) it would wait
 * forever, saying only that it waits. Once its deliveries have made no progress for STILL_MS, it looks once at who
 * serves the ledger's queues and names each queue with jobs and no worker, and what to do.
 */
import { knownLedgerId, openQueue, queueCoverage, unserved, type QueueConfig } from '../delivery/queue/index.js';
import type { MetaStore } from '../delivery/store/index.js';
import { workerMessages } from '../i18n/messages-queue.js';
import type { Runtime } from './runtime.js';

/** No progress this long, the queues are looked at (once). */
export const STILL_MS = 5_000;

/** `tick(unfinished)` on each look at the publish's deliveries; it looks at the queues at most once. */
export function unservedWatch(rt: Runtime, store: MetaStore, config: QueueConfig, say: ((line: string) => void) | undefined, stillMs = STILL_MS): (unfinished: number) => Promise<boolean> {
  let last = -1;
  let since = Date.now();
  let looked = config.kind !== 'redis' || !say;
  // Resolves to whether it still watches (false once it has looked, or when there is nothing to watch).
  return async (unfinished) => {
    if (looked) return false;
    if (unfinished !== last) {
      last = unfinished;
      since = Date.now();
      return true;
    }
    if (Date.now() - since < stillMs) return true;
    looked = true;
    const queue = await openQueue(config, rt.log);
    if (!queue) return false;
    try {
      await queue.ready(3_000);
      const m = workerMessages();
      for (const q of unserved(await queueCoverage(queue, await knownLedgerId(store)))) say!(m.noWorker(q.queue, q.channel, q.waiting));
    } catch (err) {
      say!(workerMessages().queueUnreadable(queue.location, (err as Error).message));
    } finally {
      await queue.close();
    }
    return false;
  };
}
