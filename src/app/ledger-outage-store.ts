/**
 * The ledger a foreground `publish --now` sends through, riding out an outage
 * of its server (ledger-outage.ts): each call the sender makes is tried again
 * while the server is away, said once each way, up to the bound. What may be
 * tried again, and how:
 *
 * - reads, and the writes that change nothing the second time: the ends of an
 *   attempt (`sent`, a retry, a final state, released, unsent) apply only to a
 *   delivery still `sending` in that attempt, a checkpoint merges the same
 *   fields, the fence and the heartbeat only look and refresh. A COMMIT whose
 *   answer was lost (it may have committed) is therefore safe to repeat.
 * - the claims (pending → sending, a new attempt): repeated blindly, a claim
 *   that did commit would find its rows no longer pending and leave them
 *   `sending` unsent. So after a failure the rows are read first: `sending`
 *   and stamped with this claim's time (`updated_at`; the attempt it opened is
 *   theirs) means it committed, and those rows are what it claimed; otherwise
 *   it did not, and the whole claim is made again. Under the dispatcher lock
 *   nobody else claims these rows, and every write re-reads the lock row, so a
 *   takeover meanwhile stops this process instead.
 * - a hard bounce counted: committed if the subscriber's count moved.
 *
 * Everything else (recording an occurrence, subscribers, approvals) is passed
 * through as it is: the sender does not call it.
 *
 * Past the bound, what this process knows and the ledger could not be told
 * (a `sent` with its receipt; a claim it never handed to the channel) is kept
 * in var/unrecorded-sends.jsonl for the next `publish --now`
 * (unrecorded-sends.ts): SMTP cannot be asked whether it took a message, so
 * without it the rerun would send those again.
 */
import type { Receipt } from '../channels/channel.js';
import type { Delivery, Store } from '../delivery/store/index.js';
import type { UnrecordedSends } from './unrecorded-sends.js';
import { isLedgerOutage, type OutageRider } from './ledger-outage.js';

/** Calls that may simply be made again (see above). */
const AGAIN = new Set<string>([
  // reads
  'get', 'list', 'due', 'nextAttemptAt', 'openStates', 'progress', 'counts', 'knownKeys', 'attempts', 'occurrence', 'occurrences', 'occurrenceChannels',
  'latestApproval', 'approval', 'subscriber', 'subscribersById', 'subscriberCounts', 'getMeta', 'lockHolder', 'describeLock', 'waitingChannels',
  // writes that change nothing the second time
  'markRetry', 'markFinal', 'markUnsent', 'releaseSending', 'checkpoint', 'postpone', 'heartbeat', 'checkFence', 'setMeta', 'initMeta', 'deleteMeta',
]);

/**
 * Ends of an attempt after the channel was called (it refused, or the recipient had gone): recorded or not, the
 * claim is no longer this process's to give back; one left unrecorded is checked by the next run as after a crash.
 */
const ENDS = new Set(['markRetry', 'markFinal', 'markUnsent']);

export interface OutageRidingStore extends Store {
  /**
   * Past the bound: keeps every claim this process made and never handed to the channel, to be given back by the
   * next run, as a stopped run gives back its claims (so it is sent once, not taken for a possible duplicate).
   */
  abandon(): void;
}

/** `store` as the sender sees it in a foreground publish: see the file's comment. */
export function outageRidingStore(store: Store, ride: OutageRider, unrecorded: Pick<UnrecordedSends, 'keep'>): OutageRidingStore {
  /** Claims made here and not ended yet: key → attempt. */
  const open = new Map<string, number>();
  /** A claim of `keys` at `at`, made again only if the one before did not commit. */
  const claim = async (keys: string[], at: Date, work: () => Promise<Delivery[]>): Promise<Delivery[]> => {
    let tried = false;
    const claimed = await ride(async () => {
      if (tried) {
        const stamp = at.toISOString();
        const ours = (await store.list({ keys })).filter((d) => d.state === 'sending' && d.updatedAt === stamp);
        if (ours.length > 0) {
          const byKey = new Map(ours.map((d) => [d.key, d]));
          return [...new Set(keys)].flatMap((k) => byKey.get(k) ?? []);
        }
      }
      tried = true;
      return work();
    });
    for (const d of claimed) open.set(d.key, d.attempts);
    return claimed;
  };
  const recordSent = async (sent: Array<{ key: string; attempt: number; receipt: Receipt }>, work: () => Promise<void>) => {
    try {
      await ride(work);
    } catch (err) {
      // Past the bound: the next run records them (unrecorded-sends.ts) instead of sending them again.
      if (isLedgerOutage(err)) unrecorded.keep(sent);
      throw err;
    } finally {
      for (const x of sent) open.delete(x.key);
    }
  };
  const own: Partial<OutageRidingStore> = {
    async markSending(key, at) {
      const [d] = await claim([key], at, async () => {
        const r = await store.markSending(key, at);
        return r ? [{ key, attempts: r.attempt } as Delivery] : [];
      });
      return d ? { attempt: d.attempts } : false;
    },
    markSendingMany: (keys, at) => (keys.length === 0 ? Promise.resolve([]) : claim(keys, at, () => store.markSendingMany(keys, at))),
    markSent: (key, attempt, receipt, at) => recordSent([{ key, attempt, receipt }], () => store.markSent(key, attempt, receipt, at)),
    markSentMany: (sent, at) => recordSent(sent, () => store.markSentMany(sent, at)),
    async releaseSending(claims, at, nextAt) {
      const n = await ride(() => store.releaseSending(claims, at, nextAt));
      for (const c of claims) open.delete(c.key);
      return n;
    },
    async recordBounce(id, at, detail) {
      const before = await ride(() => store.subscriber(id));
      let tried = false;
      return ride(async () => {
        if (tried && before) {
          const now = await store.subscriber(id);
          if (now && now.bounces !== before.bounces) return { bounces: now.bounces, status: now.status };
        }
        tried = true;
        return store.recordBounce(id, at, detail);
      });
    },
    abandon() {
      unrecorded.keep([...open].map(([key, attempt]) => ({ key, attempt, unsent: true as const })));
      open.clear();
    },
  };
  return new Proxy(store as OutageRidingStore, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in own) return own[prop as keyof OutageRidingStore];
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !AGAIN.has(prop)) return fn.bind(target);
      if (!ENDS.has(prop)) return (...args: unknown[]) => ride(async () => fn.apply(target, args));
      return async (...args: unknown[]) => {
        try {
          return await ride(async () => fn.apply(target, args));
        } finally {
          open.delete(args[0] as string);
        }
      };
    },
  });
}
