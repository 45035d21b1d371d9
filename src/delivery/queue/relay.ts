/**
 * The transactional outbox's relay: the ledger is written first, the queue
 * after, and whatever the queue lost (a Redis restarted without its data, a
 * FLUSHALL, a job removed by hand, a worker that died holding a claim) is
 * offered again from the ledger. `advisory run` calls it on every wake (at
 * least once a second): every pending delivery that is due, and every
 * `sending` one whose claim is older than the workers' lease, is enqueued.
 * Offering a key that has a job already is a no-op (the job id is the key),
 * so correctness needs no memory of what was offered; to spare Redis the
 * same thousands of no-ops every second, a relay offers a key again only
 * after `reofferMs` (default: the lease, at most 5 s), which is then how long
 * a flushed queue waits to be refilled. A job for a delivery that is final by
 * the time a worker takes it is acknowledged without sending.
 */
import type { ChannelName } from '../../channels/channel.js';
import type { Delivery, DeliveryQueue, DeliveryScope } from '../store/index.js';
import type { DispatchChannel } from '../materialize.js';
import { queueName } from './accounts.js';
import type { JobRef, WorkQueue } from './types.js';

export interface RelayDeps {
  store: DeliveryQueue;
  queue: WorkQueue;
  channels: ReadonlyMap<ChannelName, DispatchChannel>;
  now: () => Date;
  /** A claim older than this is abandoned (its worker died): offered again. */
  leaseMs: number;
  /** Most due deliveries looked at per pass, oldest first (as they are sent, the next ones come into view). */
  batch?: number;
  /** A key offered is not offered again for this long (default: the lease, at most 5 s). */
  reofferMs?: number;
  /** Only the deliveries of these occurrences (`publish --now` relaying its own while no daemon runs); default all. */
  scope?: DeliveryScope;
}

/** A relay: each call is one pass, returning how many keys it offered. */
export function createRelay(deps: RelayDeps): () => Promise<number> {
  // Keys offered and when, oldest first (a key is deleted before it is offered again, so the order holds).
  const offered = new Map<string, number>();
  const again = deps.reofferMs ?? Math.min(deps.leaseMs, 5000);
  return async () => {
    const now = deps.now();
    const t = now.getTime();
    for (const [key, at] of offered) {
      if (t - at < again) break;
      offered.delete(key);
    }
    const due = await deps.store.due(now, deps.batch ?? 5000, deps.scope);
    const sending: Delivery[] = deps.scope
      ? (await Promise.all(deps.scope.occurrences.map((occurrence) => deps.store.list({ state: 'sending', occurrence })))).flat()
      : await deps.store.list({ state: 'sending' });
    const abandoned = sending.filter((d) => t - Date.parse(d.updatedAt) >= deps.leaseMs);
    const jobs: JobRef[] = [];
    for (const d of [...abandoned, ...due]) {
      const channel = deps.channels.get(d.channel);
      if (channel && !offered.has(d.key)) jobs.push({ key: d.key, queue: queueName(channel.config) });
    }
    if (jobs.length > 0) await deps.queue.enqueue(jobs);
    for (const j of jobs) offered.set(j.key, t);
    return jobs.length;
  };
}

/** One pass with no memory of earlier ones (offers everything owed). */
export function relay(deps: RelayDeps): Promise<number> {
  return createRelay(deps)();
}
