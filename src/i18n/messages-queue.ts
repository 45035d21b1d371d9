/**
 * Where the sending work is queued (ADVISORY_QUEUE, advisory.yaml's `queue:`:
 * delivery/queue/config.ts), `advisory worker` (cli/commands/worker.ts) and
 * `advisory run --workers`. A URL is always shown with its password masked.
 */
import { messages } from './index.js';

const FORMS_EN = '`local` (in this process, the default) or `redis://[USER:PASSWORD@]HOST:6379[/DB]` (BullMQ; `rediss://` for TLS)';
const FORMS_ZH = '`local`（在本进程内，默认）或 `redis://[用户:密码@]主机:6379[/库号]`（BullMQ；TLS 用 `rediss://`）';

/** Which queue the configuration names. */
export const queueConfigMessages = messages(
  {
    badSpec: (where: string, got: string) => `${where} names the queue as "${got}": expected ${FORMS_EN}.`,
    envWhere: 'ADVISORY_QUEUE',
    fileWhere: (file: string, line: number, column: number) => `${file}:${line}:${column} (queue:)`,
    queueNotText: (file: string, line: number, column: number) => `${file}:${line}:${column}: queue: must be text: ${FORMS_EN}.`,
    needsSharedLedger: (queue: string, ledger: string) =>
      `the queue ${queue} spreads the sending over workers, which all need the same ledger, but the ledger is ${ledger} (SQLite, on this machine only). Set ADVISORY_STORE (or store: in advisory.yaml) to postgres://… (README: Running at scale), or use queue: local.`,
    badLease: (got: string) => `ADVISORY_WORKER_LEASE is "${got}": expected seconds from 2 to 3600, e.g. ADVISORY_WORKER_LEASE=60.`,
    badDb: (where: string, url: string, db: string) =>
      `${where} names the queue ${url}, whose Redis database "${db}" is not a whole number from 0: expected e.g. redis://queue.internal:6379/2 (none: database 0).`,
    noSuchDb: (db: number, why: string) =>
      `this Redis server has no database ${db} (${why}): name one it has (0 to 15 unless its databases setting says more); nothing falls back to database 0`,
    cannotConnect: (location: string, why: string) =>
      `cannot reach the queue ${location}: ${why}. Check that the Redis server runs and that ADVISORY_QUEUE (or queue: in advisory.yaml) names it.`,
  },
  {
    badSpec: (where: string, got: string) => `${where} 指定的队列是“${got}”：应为 ${FORMS_ZH}。`,
    envWhere: '环境变量 ADVISORY_QUEUE',
    fileWhere: (file: string, line: number, column: number) => `${file}:${line}:${column}（queue:）`,
    queueNotText: (file: string, line: number, column: number) => `${file}:${line}:${column}: queue: 必须是文字：${FORMS_ZH}。`,
    needsSharedLedger: (queue: string, ledger: string) =>
      `队列 ${queue} 会把发送分给多个工作进程，它们必须共用同一本账本，但现在的账本是 ${ledger}（SQLite，只在本机）。请把 ADVISORY_STORE（或 advisory.yaml 的 store:）设为 postgres://…（见 README：Running at scale），或改用 queue: local。`,
    badLease: (got: string) => `ADVISORY_WORKER_LEASE 的值是“${got}”：应为 2 到 3600 之间的秒数，例如 ADVISORY_WORKER_LEASE=60。`,
    badDb: (where: string, url: string, db: string) =>
      `${where} 指定的队列是 ${url}，其中的 Redis 库号“${db}”不是从 0 开始的整数：应类似 redis://queue.internal:6379/2（不写则为 0 号库）。`,
    noSuchDb: (db: number, why: string) =>
      `这台 Redis 服务器没有 ${db} 号库（${why}）：请指定它有的库（除非其 databases 设置更多，否则为 0 到 15）；不会改用 0 号库`,
    cannotConnect: (location: string, why: string) =>
      `无法连接队列 ${location}：${why}。请检查 Redis 服务器是否在运行，ADVISORY_QUEUE（或 advisory.yaml 的 queue:）是否指向它。`,
  },
);

/** `advisory worker` and `advisory run --workers`. */
export const workerMessages = messages(
  {
    usage: [
      'Usage: advisory worker [--channels email,weibo,…] [--concurrency N]',
      '',
      'Sends the deliveries queued on the Redis queue (ADVISORY_QUEUE or queue: in advisory.yaml), against the',
      'configured ledger (PostgreSQL), on this machine. Run as many as you like, on as many machines: each',
      "delivery is claimed in the ledger by one of them, and each channel account's rate limit holds across all.",
      '`advisory run` keeps the clock and re-enqueues what the queue lost. SIGTERM or Ctrl-C: finishes the jobs in',
      'hand, then stops.',
      '',
      'Options:',
      '  --channels LIST   only these channels (comma-separated; default: all four)',
      "  --concurrency N   jobs in hand at once per channel (default: the channel's own; e-mail: 3 × max_connections, in batches of max_connections)",
    ].join('\n'),
    runWorkersOption: "  --workers N       with a Redis queue: queue workers in this process (default 1; 0: only the clock, the relay and the listeners)",
    badChannels: (got: string, known: string) => `--channels ${got}: expected some of ${known}, comma-separated.`,
    badConcurrency: (got: string) => `--concurrency ${got}: expected a whole number from 1 to 100.`,
    badWorkers: (got: string) => `--workers ${got}: expected a whole number from 0 to 100.`,
    localQueue: 'the queue is local (in `advisory run`): there is nothing for a worker to take. Set ADVISORY_QUEUE (or queue: in advisory.yaml) to redis://… first (README: Running at scale).',
    started: (queue: string, ledger: string, channels: string, pid: number) => `advisory worker ${pid}: sending ${channels} from ${queue}, ledger ${ledger}. Ctrl-C stops it.`,
    stopping: (signal: string) => `${signal}: finishing the jobs in hand, then stopping.`,
    stopped: (handled: number) => `stopped after ${handled} job(s).`,
    stopAway: (queue: string) =>
      `the queue ${queue} does not answer: stopping without waiting for it. Nothing is lost: what was sent is recorded in the ledger, and the rest is offered to the queue again from the ledger once Redis is back.`,
    daemonLine: (queue: string, workers: number) =>
      workers > 0 ? `queue: ${queue}; ${workers} worker(s) in this process, more with advisory worker` : `queue: ${queue}; no workers in this process: run advisory worker`,
    notInLedger: (queue: string, key: string, ledger: string) =>
      `queue ${queue}: a job for ${key}, which is not in this ledger (${ledger}): acknowledged without sending. Each ledger has queues of its own, so this happens only after a ledger was swapped under its queues (restored, or ADVISORY_STORE changed) while jobs were waiting; said once per queue.`,
    queueWorkers: (queue: string, channel: string, due: number, workers: number) =>
      `queue ${queue} (${channel}): ${due} job(s) waiting, ${workers} worker(s) serving it`,
    noWorker: (queue: string, channel: string, due: number) =>
      `queue ${queue} (${channel}): ${due} job(s) waiting and no worker serves it, so they are not sent. Start advisory worker (or advisory run with --workers 1 or more) on this ledger with the channel settings and secrets these deliveries were recorded with (channels/*.yaml, SMTP_URL, SMTP_USER …, as on the machine that published them): a worker with other secrets serves another account's queue.`,
    queueUnreadable: (queue: string, why: string) => `the queue ${queue} does not answer (${why}): who serves its queues is unknown.`,
    queuesSection: 'queues',
  },
  {
    usage: [
      '用法：advisory worker [--channels email,weibo,…] [--concurrency N]',
      '',
      '在本机发送 Redis 队列（ADVISORY_QUEUE 或 advisory.yaml 的 queue:）里的推送，账本用配置的账本（PostgreSQL）。',
      '可以在任意多台机器上运行任意多个：每条推送在账本里只会被其中一个认领，每个渠道账号的频率限制对所有工作进程合计有效。',
      '`advisory run` 负责定时，并把队列丢失的推送重新排队。SIGTERM 或 Ctrl-C：做完手头的任务后停止。',
      '',
      '选项：',
      '  --channels 列表    只处理这些渠道（用逗号分隔；默认四个渠道全部）',
      '  --concurrency N    每个渠道同时处理的任务数（默认用渠道自己的设置；电子邮件为 3 × max_connections，每批 max_connections 封）',
    ].join('\n'),
    runWorkersOption: '  --workers N       使用 Redis 队列时，在本进程内运行的队列工作者数（默认 1；0 表示只运行定时器、补发队列和网站）',
    badChannels: (got: string, known: string) => `--channels ${got}：应为 ${known} 中的一个或几个，用逗号分隔。`,
    badConcurrency: (got: string) => `--concurrency ${got}：应为 1 到 100 之间的整数。`,
    badWorkers: (got: string) => `--workers ${got}：应为 0 到 100 之间的整数。`,
    localQueue: '队列是本地的（在 `advisory run` 进程内）：工作进程没有可领取的任务。请先把 ADVISORY_QUEUE（或 advisory.yaml 的 queue:）设为 redis://…（见 README：Running at scale）。',
    started: (queue: string, ledger: string, channels: string, pid: number) => `advisory worker ${pid}：从 ${queue} 发送 ${channels}，账本 ${ledger}。按 Ctrl-C 停止。`,
    stopping: (signal: string) => `${signal}：做完手头的任务后停止。`,
    stopped: (handled: number) => `已停止，共处理 ${handled} 个任务。`,
    stopAway: (queue: string) =>
      `队列 ${queue} 没有响应：不再等它，直接停止。不会丢失任何推送：已发出的都记在账本里，其余的会在 Redis 恢复后从账本重新排队。`,
    daemonLine: (queue: string, workers: number) =>
      workers > 0 ? `队列：${queue}；本进程内有 ${workers} 个工作者，可用 advisory worker 增加` : `队列：${queue}；本进程内没有工作者：请运行 advisory worker`,
    notInLedger: (queue: string, key: string, ledger: string) =>
      `队列 ${queue}：任务 ${key} 不在本账本（${ledger}）里：未发送，直接确认。每个账本有自己的队列，所以只有在账本被替换（恢复备份，或改了 ADVISORY_STORE）而队列里还有任务时才会这样；每个队列只提示一次。`,
    queueWorkers: (queue: string, channel: string, due: number, workers: number) =>
      `队列 ${queue}（${channel}）：${due} 个任务在等，${workers} 个工作者在处理`,
    noWorker: (queue: string, channel: string, due: number) =>
      `队列 ${queue}（${channel}）：${due} 个任务在等，但没有工作者处理它，所以发不出去。请在本账本上启动 advisory worker（或用 --workers 1 及以上运行 advisory run），渠道设置和密钥要与生成这些发送时相同（channels/*.yaml、SMTP_URL、SMTP_USER……，即发布它们的那台机器上的设置）：密钥不同的工作者处理的是另一个账号的队列。`,
    queueUnreadable: (queue: string, why: string) => `队列 ${queue} 没有响应（${why}）：不知道有哪些工作者在处理它的队列。`,
    queuesSection: '队列',
  },
);
