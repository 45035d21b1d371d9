/**
 * The transactional outbox's relay: the ledger is written first, the queue
 * after, and whatever the queue lost (a Redis restarted without its data, a
 * FLUSHALL, a job removed by hand, a worker that died holding a claim) is
 * offered again from the ledger. `advisory run` calls it on every wake (at
 * least once a second): every pending delivery that is due, and every
 * `sending` one whose claim is older than the workers' lease, is enqueued.
 * Offering a key that has a job already is a no-op (the job id is the key),
 * so the relay needs no memory of what it sent; a job for a delivery that is
 * final by the time a worker takes it is acknowledged without sending.
 */
import type { ChannelName } from '../../channels/channel.js';
import type { DeliveryQueue } from '../store/index.js';
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
  /** Most deliveries offered per pass (the next pass, a second later, offers the next ones). */
  batch?: number;
}

/** One pass: returns how many keys were offered. */
export async function relay(deps: RelayDeps): Promise<number> {
  const now = deps.now();
  const limit = deps.batch ?? 5000;
  const due = await deps.store.due(now, limit);
  const abandoned = (await deps.store.list({ state: 'sending' })).filter((d) => now.getTime() - Date.parse(d.updatedAt) >= deps.leaseMs);
  const jobs: JobRef[] = [];
  for (const d of [...abandoned, ...due]) {
    const channel = deps.channels.get(d.channel);
    if (channel) jobs.push({ key: d.key, queue: queueName(channel.config) });
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  return jobs.length;
}
