/**
 * Queue workers of a runtime (`advisory worker`, and `advisory run --workers
 * N`): one BullMQ worker per channel account's queue, each with the channel's
 * concurrency (e-mail: BATCHES_IN_HAND batches of it; or `--concurrency`) and the account's rate limit (shared, in
 * Redis, by every worker of that queue on every machine), handing each job
 * to the sender's own path with the claim as the fence (delivery/queue/work.ts).
 * The jobs in hand of a per-recipient channel (e-mail) are gathered for a few
 * ms and handled as one batch (delivery/queue/work-batch.ts: one claim, one
 * `sent` commit); the others one by one.
 * `stop()` takes no new job and waits for the jobs in hand: a SIGTERM drains.
 */
import type { ChannelName } from '../channels/channel.js';
import { claimFence, gather, GATHER_MS, handleJob, handleJobs, ledgerId, queueName, rateLimit, type QueueWorker, type WorkQueue } from '../delivery/queue/index.js';
import { workerMessages } from '../i18n/messages-queue.js';
import type { KeyOutcome, SendDeps } from '../delivery/sender.js';
import { LockLostError } from '../delivery/store/index.js';
import { StateError } from '../errors.js';
import type { Runtime } from './runtime.js';

/**
 * A per-recipient channel's batches in a worker's hands at once (its default concurrency: this many times the
 * channel's, e-mail's max_connections, in batches of max_connections). One batch is claimed and sent while the
 * one before is recorded and acknowledged and the next is taken from Redis, so the SMTP connections are never idle
 * between batches, as the single process claims ahead (sender.ts GROUP_COMMIT). With one batch in hand, one
 * worker sent at 69 % of the single process's rate; with three, at 94 % (5,000 e-mails, README).
 */
export const BATCHES_IN_HAND = 3;

export interface WorkersOptions {
  /** Only these channels (default: all). */
  channels?: readonly ChannelName[];
  /** Jobs in hand at once per channel and worker (default: the channel's own concurrency; e-mail: BATCHES_IN_HAND × it). */
  concurrency?: number;
  /** Workers per queue in this process (default 1): `advisory run --workers N`. */
  copies?: number;
  /** A claim older than this is judged abandoned (the relay and the workers agree on it). */
  leaseMs: number;
  /** Aborted when the process stops: a publish that waits (WeChat's job) stops waiting. */
  signal?: AbortSignal;
  /** Called whenever the last job in hand here is done (`publish --now` looks at once whether it is finished). */
  onIdle?: () => void;
  /**
   * Called with a fault of the ledger no retry mends (a row that cannot be read, `ELEDGER_ROW`) met by a job: the
   * process decides to stop (`publish --now`) rather than have that job fail each time it is offered.
   */
  onFault?: (err: unknown) => void;
}

export interface QueueWorkers {
  /** The ledger's id in the queue names (delivery/queue/ledger-id.ts). */
  ledger: string;
  /** The queues worked, one per channel account. */
  queues: string[];
  handled(): number;
  /** Jobs in hand here now. */
  inHand(): number;
  stop(): Promise<void>;
}

export async function startQueueWorkers(rt: Runtime, queue: WorkQueue, o: WorkersOptions): Promise<QueueWorkers> {
  const store = await rt.store();
  const log = rt.log;
  let stopping = false;
  const deps: SendDeps = {
    store, channels: rt.channels, log, now: rt.now, random: rt.random, root: rt.root, varDir: rt.varDir,
    failpoints: rt.failpoints, stopping: () => stopping, signal: o.signal,
    claims: claimFence(store, rt.now, o.leaseMs, (key, err) => log.warn({ key, err }, `could not keep the claim of ${key} fresh: ${(err as Error).message}`)),
  };
  const ledger = await ledgerId(store);
  const workers: QueueWorker[] = [];
  const queues: string[] = [];
  // A job whose key this ledger does not have is acknowledged without sending; said once per queue, as it means
  // a ledger swapped under its queues (each ledger has its own), not a routine race.
  const saidMissing = new Set<string>();
  let inHand = 0;
  for (const channel of rt.channels.values()) {
    if (o.channels && !o.channels.includes(channel.name)) continue;
    const name = queueName(ledger, channel.config);
    queues.push(name);
    const concurrency = o.concurrency ?? (channel.perRecipient ? BATCHES_IN_HAND * channel.concurrency : channel.concurrency);
    for (let i = 0; i < (o.copies ?? 1); i++) {
      // Each worker its own batches of at most the channel's concurrency (e-mail: max_connections), several in hand.
      const handle = channel.perRecipient
        ? gather<string, KeyOutcome>({ size: Math.min(concurrency, channel.concurrency), waitMs: GATHER_MS }, (keys) => handleJobs(deps, keys, o.leaseMs))
        : (key: string) => handleJob(deps, key, o.leaseMs);
      workers.push(queue.work(name, { concurrency, limiter: rateLimit(channel.config), leaseMs: o.leaseMs }, async (key) => {
        inHand++;
        try {
          if ((await handle(key)) === 'not-in-ledger' && !saidMissing.has(name)) {
            saidMissing.add(name);
            log.warn({ queue: name, key }, workerMessages().notInLedger(name, key, store.location));
          }
        } catch (err) {
          // The ledger keeps the truth of it (pending, or `sending` to be judged after the lease): the relay offers it again.
          if (err instanceof LockLostError) log.warn({ key }, err.message);
          else if (isLedgerRowFault(err) && o.onFault) o.onFault(err);
          else log.error({ err, key }, `could not handle ${key}: ${(err as Error).message}`);
        } finally {
          if (--inHand === 0) o.onIdle?.();
        }
      }));
    }
  }
  return {
    ledger,
    queues,
    handled: () => workers.reduce((n, w) => n + w.handled(), 0),
    inHand: () => inHand,
    async stop() {
      stopping = true;
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/** A row of the ledger that cannot be read (delivery/store/delivery-row.ts): offering its job again changes nothing. */
function isLedgerRowFault(err: unknown): boolean {
  return err instanceof StateError && err.code === 'ELEDGER_ROW';
}
