/**
 * Where the sending work is queued, said once, beside the ledger's choice
 * (store/config.ts) and with the same precedence, highest first:
 *
 *   the environment (ADVISORY_QUEUE) → advisory.yaml's `queue:` → local
 *
 * `local`: `advisory run` sends what falls due itself (one process; the
 * default, zero-setup). `redis://…` (or `rediss://…`): deliveries are
 * enqueued on BullMQ queues on that Redis, one per channel account, and sent
 * by `advisory worker` processes (and `advisory run --workers N`). A URL is
 * shown only with its password masked.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { queueConfigMessages } from '../../i18n/messages-queue.js';
import { encodeHint, unencodedUserinfo } from '../store/index.js';
import { maskPassword, type StoreConfig } from '../store/index.js';

export type QueueConfig = { kind: 'local' } | { kind: 'redis'; url: string };

const REDIS = /^rediss?:\/\/[^\s]+$/i;

/** The Redis database a queue URL names (`/N`; none: 0). The URL has passed parseQueueSpec. */
export function redisDb(url: string): number {
  return Number(new URL(url).pathname.replace(/^\//, '') || 0);
}

export function parseQueueSpec(spec: string, where: string): QueueConfig {
  const text = spec.trim();
  if (text === 'local') return { kind: 'local' };
  if (REDIS.test(text)) {
    try {
      new URL(text);
    } catch (err) {
      throw new ConfigError(queueConfigMessages().badSpec(where, maskPassword(text)) + encodeHint(text), { cause: err });
    }
    if (unencodedUserinfo(text)) throw new ConfigError(queueConfigMessages().badSpec(where, maskPassword(text)) + encodeHint(text));
    // A database that is not a whole number was SELECTed as NaN (a crash) or left ioredis on database 0.
    const db = new URL(text).pathname.replace(/^\//, '');
    if (db !== '' && !/^\d{1,9}$/.test(db)) throw new ConfigError(queueConfigMessages().badDb(where, maskPassword(text), db));
    return { kind: 'redis', url: text };
  }
  throw new ConfigError(queueConfigMessages().badSpec(where, maskPassword(text)));
}

/**
 * The queue of the project at `root` (see the file comment for the precedence). A drill (`varDir` other
 * than <root>/var) keeps its own SQLite ledger and so its own local queue: the real workers never see it.
 */
export async function queueConfig(o: { root: string; env: NodeJS.ProcessEnv; varDir?: string }): Promise<QueueConfig> {
  if (o.varDir !== undefined && resolve(o.varDir) !== resolve(join(o.root, 'var'))) return { kind: 'local' };
  const m = queueConfigMessages();
  const fromEnv = o.env.ADVISORY_QUEUE?.trim();
  if (fromEnv) return parseQueueSpec(fromEnv, m.envWhere);
  // Loaded here: the YAML parser is not part of every command's start.
  const { readProjectFile } = await import('../../config/project-file.js');
  const setting = readProjectFile(o.root).queue;
  if (setting?.value) return parseQueueSpec(setting.value, m.fileWhere(setting.file, setting.line, setting.column));
  return { kind: 'local' };
}

/** The queue as people can read it: the password masked. */
export function queueLocation(config: QueueConfig): string {
  return config.kind === 'local' ? 'local' : maskPassword(config.url);
}

/**
 * A Redis queue spreads deliveries over processes that may run on other machines: they must share one
 * ledger. SQLite is one machine's file, so it is refused with a Redis queue (a drill's own SQLite copy
 * never uses the queue: see app/dispatching.ts).
 */
export function assertSharedLedger(queue: QueueConfig, store: StoreConfig, ledger: string): void {
  if (queue.kind === 'redis' && store.kind === 'sqlite') throw new ConfigError(queueConfigMessages().needsSharedLedger(queueLocation(queue), ledger));
}

/** ADVISORY_WORKER_LEASE (seconds, 2–3600): how long a claimed delivery's silent worker keeps it (default 60 s). */
export function workerLeaseFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.ADVISORY_WORKER_LEASE;
  if (raw === undefined || raw === '') return DEFAULT_WORKER_LEASE_MS;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 2 || s > 3600) throw new ConfigError(queueConfigMessages().badLease(raw));
  return Math.round(s * 1000);
}

export const DEFAULT_WORKER_LEASE_MS = 60_000;
