/**
 * `advisory worker [--channels …] [--concurrency N]`: queue workers on this
 * machine, against the configured ledger (PostgreSQL) and queue (Redis),
 * until SIGTERM or Ctrl-C, which drains: the jobs in hand finish and are
 * recorded before it exits. The clock, the relay and the listeners stay with
 * `advisory run` (one per ledger); workers may be as many as needed.
 */
import { channelName } from './channel-arg.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { ConfigError, UsageError } from '../../errors.js';
import { createRuntime } from '../../app/runtime.js';
import { startQueueWorkers } from '../../app/workers.js';
import { createLogger } from '../../delivery/logger.js';
import { parseFailpoints } from '../../delivery/failpoint.js';
import { assertSharedLedger, openQueue, queueConfig, workerLeaseFromEnv } from '../../delivery/queue/index.js';
import { storeConfig } from '../../delivery/store/index.js';
import { CHANNEL_NAMES, type ChannelName } from '../../config/channel-names.js';
import { queueConfigMessages, workerMessages } from '../../i18n/messages-queue.js';

function parseChannels(value: unknown): ChannelName[] | undefined {
  if (value === undefined) return undefined;
  // Commas as an input method types them too (，、); Chinese channel names as --channel reads them (微博 → weibo).
  const names = String(value).split(/[,，、]/).map((s) => s.trim()).filter(Boolean).map((n) => channelName(n) ?? n);
  if (names.length === 0 || names.some((n) => !(CHANNEL_NAMES as readonly string[]).includes(n))) {
    throw new UsageError(workerMessages().badChannels(String(value), CHANNEL_NAMES.join(', ')));
  }
  return names as ChannelName[];
}

function parseConcurrency(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(workerMessages().badConcurrency(String(value)));
  return n;
}

export const workerCommand: Command = {
  name: 'worker',
  get usage() {
    return workerMessages().usage;
  },
  options: { channels: { type: 'string' }, concurrency: { type: 'string' } },
  async run({ root, values, positionals, io }) {
    const m = workerMessages();
    if (positionals.length > 0) throw new UsageError(m.usage);
    const channels = parseChannels(values.channels);
    const concurrency = parseConcurrency(values.concurrency);
    const queueCfg = await queueConfig({ root, env: io.env });
    if (queueCfg.kind === 'local') throw new ConfigError(m.localQueue);
    const storeCfg = await storeConfig({ root, env: io.env });
    const leaseMs = workerLeaseFromEnv(io.env);
    const log = createLogger();
    // Listen before starting: a SIGTERM during start-up must also end in a clean stop.
    const signal = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    const rt = createRuntime({ root, env: io.env, log, failpoints: parseFailpoints(io.env.ADVISORY_FAILPOINT) });
    const shutdown = new AbortController();
    try {
      const store = await rt.store();
      assertSharedLedger(queueCfg, storeCfg, store.location);
      const queue = (await openQueue(queueCfg, log, (line) => io.err(line)))!;
      try {
        await queue.ready(10_000).catch((err) => {
          throw new ConfigError(queueConfigMessages().cannotConnect(queue.location, (err as Error).message), { cause: err });
        });
        const workers = await startQueueWorkers(rt, queue, { channels, concurrency, leaseMs, signal: shutdown.signal });
        io.err(m.started(queue.location, store.location, workers.queues.join(', '), process.pid));
        for (const c of rt.channels.values()) if (!channels || channels.includes(c.name)) io.err(`  ${c.modeReason}`);
        io.err(m.stopping(await signal));
        shutdown.abort();
        await workers.stop();
        io.err(m.stopped(workers.handled()));
      } finally {
        await queue.close();
      }
    } finally {
      await rt.close();
    }
    return EXIT.OK;
  },
};
