/**
 * The transactional outbox's relay: the ledger is written first, the queue
 * after, and whatever the queue lost (a Redis restarted without its data, a
 * FLUSHALL, a job removed by hand, a worker that died holding a claim) is
 * offered again from the ledger. `advisory run` calls it on every wake (at
 * least once a second), `publish --now` with no daemon every 250 ms. Offering
 * a key that has a job already is a no-op (the job id is the key), so
 * correctness needs no memory of what was offered; what a pass reads is kept
 * small instead:
 *
 * - a full look, at most every `reofferMs` (default: the lease, at most 5 s):
 *   the keys of every pending, due delivery (up to `batch`, oldest first) and
 *   every `sending` one whose claim is older than the lease. Each key not
 *   offered within `reofferMs` is offered (again): this is what refills a
 *   flushed queue, and how soon. While a full look finds `batch` rows (more
 *   are due behind them), every pass is a full look, as before;
 * - between full looks, only what may have become due since the last look:
 *   pending, due rows written since then or whose next attempt fell due since
 *   then (with SETTLE_MS of slack for a transaction that was still open, or a
 *   writer's clock a little behind). During a campaign that is nothing, where
 *   every pass used to read every due row (up to 5,000 a second).
 *
 * Only keys, channels and the account each delivery was recorded for are
 * read (not payloads). A delivery goes to the queue of its recorded account
 * (frozen-account.ts), whatever this process's own settings of the channel:
 * a daemon started without WeChat's secrets puts a live WeChat post on that
 * account's queue, for a worker with them, not on its sandbox queue (whose
 * worker would hold it). Payloads recorded before the account was frozen,
 * and the website's, go by this process's settings, as before. A job for a
 * delivery that is final by the time a worker takes it is acknowledged
 * without sending.
 */
import type { ChannelName } from '../../channels/channel.js';
import type { Delivery, DeliveryQueue, DeliveryScope, DueKey } from '../store/index.js';
import type { DispatchChannel } from '../materialize.js';
import { deliveryQueue } from './accounts.js';
import type { JobRef, WorkQueue } from './types.js';

export interface RelayDeps {
  store: DeliveryQueue;
  queue: WorkQueue;
  /** The ledger's id in the queue names (ledger-id.ts). */
  ledger: string;
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

/**
 * How far back a look between full ones reaches before the last look: a write stamped earlier than that look but
 * committed after it (a long transaction: thousands of deliveries recorded at once), or by a clock a little behind,
 * is still found. Anything later still is found by the next full look.
 */
export const SETTLE_MS = 10_000;

/** A relay: each call is one pass, returning how many keys it offered. */
export function createRelay(deps: RelayDeps): () => Promise<number> {
  // Keys offered and when, oldest first (a key is deleted before it is offered again, so the order holds).
  const offered = new Map<string, number>();
  const again = deps.reofferMs ?? Math.min(deps.leaseMs, 5000);
  let lastFull = -Infinity;
  let lastLook = -Infinity;
  let moreBehind = false;
  return async () => {
    const now = deps.now();
    const t = now.getTime();
    for (const [key, at] of offered) {
      if (t - at < again) break;
      offered.delete(key);
    }
    // A full look that found `batch` rows has more behind them, which come into view as the first are sent.
    const full = t - lastFull >= again || moreBehind;
    const due = await deps.store.dueKeys(now, { limit: deps.batch ?? 5000, scope: deps.scope, ...(full ? {} : { changedSince: new Date(lastLook - SETTLE_MS) }) });
    const abandoned: DueKey[] = [];
    if (full) {
      const sending: Delivery[] = deps.scope
        ? (await Promise.all(deps.scope.occurrences.map((occurrence) => deps.store.list({ state: 'sending', occurrence })))).flat()
        : await deps.store.list({ state: 'sending' });
      for (const d of sending) if (t - Date.parse(d.updatedAt) >= deps.leaseMs) abandoned.push({ key: d.key, channel: d.channel, ...recorded(d) });
    }
    const jobs: JobRef[] = [];
    for (const d of [...abandoned, ...due]) {
      const channel = deps.channels.get(d.channel);
      if (channel && !offered.has(d.key)) jobs.push({ key: d.key, queue: deliveryQueue(deps.ledger, channel.config, d.account) });
    }
    if (jobs.length > 0) await deps.queue.enqueue(jobs);
    for (const j of jobs) offered.set(j.key, t);
    // Only a pass that went through counts as a look (one that failed is looked at again in full or from before it).
    if (full) {
      lastFull = t;
      moreBehind = due.length >= (deps.batch ?? 5000);
    }
    lastLook = t;
    return jobs.length;
  };
}

/** The account a delivery's payload was recorded for, as dueKeys gives it: its id, or `sandbox`. */
function recorded(d: Delivery): { account?: string } {
  const a = d.payload?.account;
  return a ? { account: a.mode === 'live' ? a.id : 'sandbox' } : {};
}

/** One pass with no memory of earlier ones (offers everything owed). */
export function relay(deps: RelayDeps): Promise<number> {
  return createRelay(deps)();
}
