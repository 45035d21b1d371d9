/**
 * The work queue behind `queue: redis://…`: what the relay, the workers and
 * the daemon need of it, nothing of BullMQ's. The ledger stays the truth: a
 * job is only a hint that a delivery may be due ("look at this key"), so a
 * lost, flushed or duplicated job costs a look, never a message.
 */

/** One job: the delivery's key, on the queue of its channel account (accounts.ts). */
export interface JobRef {
  key: string;
  queue: string;
}

/** A queue's limit, shared by every worker of it on every machine: at most `max` jobs started per `durationMs`. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

/** A queue as `served()` finds it. */
export interface QueueServed {
  queue: string;
  /** Jobs not yet taken (waiting, prioritized). */
  waiting: number;
  workers: number;
}

export interface WorkOptions {
  /** Jobs in hand at once in this process. */
  concurrency: number;
  limiter?: RateLimit;
  /** The job's lock: a worker silent this long has died, and its job is handed to another (BullMQ's stalled jobs). */
  leaseMs: number;
}

export interface QueueWorker {
  /** Jobs this worker finished (for the stop message). */
  handled(): number;
  /**
   * Takes no new job, waits for those in hand (their outcome is recorded in the ledger), then lets go of the
   * connection: their acknowledgements waited for only while Redis answers, and never Redis itself.
   */
  close(): Promise<void>;
}

export interface WorkQueue {
  /** The queue as people read it (the password masked). */
  readonly location: string;
  /**
   * Adds one job per delivery, its id derived from the key: a delivery that
   * has a job already (waiting, delayed or in hand) is left alone, so the
   * relay may offer the same key any number of times.
   */
  enqueue(jobs: JobRef[]): Promise<void>;
  /** Resolves once Redis answers; rejects with the reason after `timeoutMs` (a worker refuses to start without it). */
  ready(timeoutMs: number): Promise<void>;
  /**
   * The queues of `ledger` that hold jobs in Redis (their names begin with it: accounts.ts), each with its jobs
   * waiting for a worker and the workers connected to it now (BullMQ's worker connections, by client name).
   */
  served(ledger: string): Promise<QueueServed[]>;
  /** Starts taking the jobs of `queue`: `handle(key)` for each, until closed. */
  work(queue: string, o: WorkOptions, handle: (key: string) => Promise<void>): QueueWorker;
  /** Closes the queues' connections (the workers are closed by their owner first), without waiting for a Redis that does not answer. */
  close(): Promise<void>;
}

/** The code of `WorkQueue.ready()`'s error when Redis answers but has no such database (not a Redis that is away). */
export const NO_SUCH_DB = 'ENOSUCHDB';
