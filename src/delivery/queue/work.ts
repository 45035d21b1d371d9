/**
 * What a queue worker does with a job: the single-process sender's own path
 * (sender.ts sendKey → sendOne: claimed `sending` in a committed transaction
 * before the channel is called, `sent` with the receipt after, failures
 * through the one retry policy), with the claim as the fence. Workers hold no
 * dispatcher lock (there is one clock, `advisory run`, and any number of
 * workers), so each delivery is fenced by its own claim instead:
 *
 * - markSending is one conditional update (`WHERE state = 'pending'`): of
 *   any number of workers handed the same key, one claims it; the others
 *   find it `sending` and leave it.
 * - The claim's attempt number is its generation: markSent, a checkpoint
 *   and the last look before the call (`check`) apply only while the
 *   delivery is still `sending` in that attempt.
 * - A claim is kept fresh while it is in hand (`hold`: the row's updated_at,
 *   every lease/3). One older than the lease was left by a worker that died
 *   (SIGKILL, a lost machine): the relay offers it again and the worker that
 *   takes it reconciles it with the channel first, as after a crash.
 */
import { LockLostError, type Delivery, type DeliveryQueue } from '../store/index.js';
import { sendKey, type KeyOutcome, type SendDeps } from '../sender.js';

/** The per-delivery fence of queue workers (SendDeps.claims). */
export function claimFence(store: DeliveryQueue, now: () => Date, leaseMs: number, onLost: (key: string, err: unknown) => void): NonNullable<SendDeps['claims']> {
  return {
    hold(key, attempt) {
      const timer = setInterval(() => {
        // An empty checkpoint: the row's updated_at moves, and only while it is still this attempt.
        store.checkpoint(key, attempt, {}, now()).catch((err) => onLost(key, err));
      }, Math.max(500, Math.floor(leaseMs / 3)));
      return () => clearInterval(timer);
    },
    async check(key, attempt) {
      assertStillClaimed(key, attempt, await store.get(key));
    },
  };
}

/** The claim check: `d` (the delivery as just read) is still `sending` in `attempt`, else LockLostError. */
export function assertStillClaimed(key: string, attempt: number, d: Delivery | undefined): void {
  if (!d || d.state !== 'sending' || d.attempts !== attempt) {
    throw new LockLostError(`delivery ${key} is no longer this worker's (attempt ${attempt}): it was judged abandoned and taken over; not sending it`);
  }
}

/** Handles one job: the delivery of `key` as the ledger says it stands (see sendKey). */
export function handleJob(deps: SendDeps, key: string, leaseMs: number): Promise<KeyOutcome> {
  return sendKey(deps, key, leaseMs);
}
