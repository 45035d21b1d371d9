/**
 * The ledger file and its dispatcher lock: who holds the lock and how it stands (delivery/lock-messages.ts),
 * a ledger older than what went out (delivery/ledger-check.ts), one that cannot be opened (delivery/store/sqlite/).
 */
import { messages } from './index.js';

/** The dispatcher lock: who holds it, how it stands, what to do (delivery/lock-messages.ts); and a ledger older than what went out (ledger-check.ts). */
export const lockMessages = messages(
  {
    seconds: (n: number) => `${n} s`,
    holderName: (purpose: string, pid: number, host: string, since: string) => `${purpose}, pid ${pid} on ${host}, since ${since}`,
    alive: (holder: string, heartbeat: string) => `running (${holder}; heartbeat ${heartbeat} ago)`,
    unresponsive: (holder: string, heartbeat: string, lease: string, pid: number) =>
      `not responding (${holder}): the process exists but its last heartbeat was ${heartbeat} ago ` +
      `(lease ${lease}), so it may be frozen (stopped, or the machine is swapping). It keeps the lock: if it resumes it carries on. ` +
      `If it is stuck, stop it (kill ${pid}; kill -9 ${pid} if that does not end it); the next \`advisory run\` or \`advisory publish\` then takes over.`,
    dead: (holder: string) =>
      `not running: the last holder (${holder}) has died without releasing the lock; the next \`advisory run\` or \`advisory publish\` takes over and first checks what it left in sending`,
    expired: (holder: string, heartbeat: string, lease: string) =>
      `not running: the last holder (${holder}) on another host has sent no heartbeat for ${heartbeat} (lease ${lease}); the next \`advisory run\` or \`advisory publish\` takes over`,
    released: 'not running',
    heldByUnresponsive: (file: string, state: string) => `another dispatcher holds ${file} and is ${state}`,
    heldBy: (file: string, holder: string, pid: number) =>
      `another dispatcher already runs on ${file} (${holder}). One dispatcher per ledger: stop that one first (SIGTERM ${pid}), or point --root at another project.`,
    badLease: (raw: string) => `ADVISORY_LOCK_LEASE must be a number of seconds between 2 and 3600, got "${raw}". Unset it for the default (60).`,
    ledgerBehind: (ledger: string, n: number, key: string, where: string, outbox: string, siteState: string) =>
      `${ledger} does not know ${n} deliver${n === 1 ? 'y' : 'ies'} that went out (e.g. ${key}, in ${where}): ` +
      'the ledger is older than what was sent (restored from an older backup, or its write-ahead log advisory.db-wal was lost), and sending now would repeat them. ' +
      `Nothing was sent. Put back the newest ledger with its -wal file; or, if you started an empty ledger on purpose, move ${outbox} and ${siteState} away too.`,
  },
  {
    seconds: (n: number) => `${n} 秒`,
    holderName: (purpose: string, pid: number, host: string, since: string) => `${purpose}，${host} 上的进程 ${pid}，开始于 ${since}`,
    alive: (holder: string, heartbeat: string) => `正在运行（${holder}；上次心跳在 ${heartbeat}前）`,
    unresponsive: (holder: string, heartbeat: string, lease: string, pid: number) =>
      `没有响应（${holder}）：进程还在，但上次心跳是在 ${heartbeat}前（租期 ${lease}），可能被冻结了（被暂停，或机器内存不足、正在频繁换页）。` +
      `它仍持有锁：恢复后会接着工作。如果它卡住了，请停止它（kill ${pid}；不行再用 kill -9 ${pid}），之后下一次 \`advisory run\` 或 \`advisory publish\` 会接手。`,
    dead: (holder: string) =>
      `未运行：上一个持有者（${holder}）已经退出，没有释放锁；下一次 \`advisory run\` 或 \`advisory publish\` 会接手，并先核实它留在“发送中”的推送`,
    expired: (holder: string, heartbeat: string, lease: string) =>
      `未运行：另一台主机上的上一个持有者（${holder}）已有 ${heartbeat}没有心跳（租期 ${lease}）；下一次 \`advisory run\` 或 \`advisory publish\` 会接手`,
    released: '未运行',
    heldByUnresponsive: (file: string, state: string) => `另一个发送调度进程持有 ${file}，它的状态：${state}`,
    heldBy: (file: string, holder: string, pid: number) =>
      `已有另一个发送调度进程在使用 ${file}（${holder}）。一本账本只能有一个发送调度进程：请先停止那个进程（SIGTERM ${pid}），或用 --root 指向另一个项目。`,
    badLease: (raw: string) => `ADVISORY_LOCK_LEASE 须是 2 到 3600 之间的秒数，收到的是“${raw}”。不设置这个环境变量即使用默认值（60）。`,
    ledgerBehind: (ledger: string, n: number, key: string, where: string, outbox: string, siteState: string) =>
      `${ledger} 里缺少 ${n} 条已经发出的推送记录（例如 ${key}，见 ${where}）：` +
      '这本账本比实际发送的情况要旧（从较早的备份恢复，或丢失了预写日志 advisory.db-wal），现在发送会把这些推送再发一遍。' +
      `本次没有发送任何内容。请放回最新的账本及其 -wal 文件；如果是有意从一本空账本开始，请把 ${outbox} 和 ${siteState} 也移走。`,
  },
);

/** The ledger file itself (delivery/store/sqlite/): one that cannot be opened, is newer, busy, or a lock lost. */
export const storeMessages = messages(
  {
    refused: (file: string, what: string) =>
      `${file} ${what}, so it is not opened as the ledger (a new one would forget what was sent, and send it again, and the subscribers and approvals). ` +
      `Restore the ledger from a backup; or, to start an empty ledger on purpose, move the file away (e.g. mv ${file} ${file}.bad) and run again.`,
    danglingLink: (target: string) => `is a symbolic link to ${target}, which does not exist (is its disk or volume mounted?)`,
    emptyFile: 'is empty (0 bytes)',
    otherProgram: (id: number) => `is an SQLite database of another program (application_id ${id})`,
    notALedger: 'is an SQLite database but not an advisory ledger (it has tables, and no advisory schema version)',
    noDeliveries: (version: number) => `claims advisory schema version ${version} but has no deliveries table`,
    notSqlite: 'is not an SQLite database (damaged or overwritten)',
    malformed: 'is damaged (SQLite reports a malformed database)',
    cannotCreate: (file: string, message: string, dir: string) => `cannot create the ledger ${file}: ${message}. Check that ${dir} is writable and the disk is not full.`,
    cannotOpen: (file: string, message: string, dir: string) => `cannot open the ledger ${file}: ${message}. Check that ${dir} exists and is writable.`,
    newerSchema: (file: string, version: number, known: number) =>
      `${file} was written by a newer advisory (schema version ${version}, this one knows ${known}). Upgrade advisory, or move the file away to start a new ledger.`,
    busy: (file: string, why: string) =>
      `the ledger ${file} is in use by another process (${why}; still locked after waiting 5 s): let that process finish or stop it (one that is stopped or frozen keeps it locked), then run the command again`,
    nowHeldBy: (purpose: string, pid: number, host: string, generation: number) => `, now held by ${purpose} (pid ${pid} on ${host}, generation ${generation})`,
    lockLost: (generation: number, by: string) =>
      `this process lost the dispatcher lock (generation ${generation})${by}. It stopped sending at once: nothing it had not recorded is sent twice. ` +
      'The holder finishes the work; run `advisory status` to see it.',
    attemptTaken: (key: string, attempt: number) => `delivery ${key} is no longer in attempt ${attempt} (another process took it over, or it was finished): this attempt stops here`,
    badRow: (ledger: string, row: string, why: string) =>
      `the ledger ${ledger} holds a row that cannot be read: ${row} is not valid JSON (${why}). It was changed by hand or damaged, and is not used as it is: ` +
      'put that row (or the ledger) back from a backup, then run the command again; nothing was sent from it.',
  },
  {
    refused: (file: string, what: string) =>
      `${file} ${what}，因此不把它当作账本打开（新建一本会忘记已经发过什么而重新发送，也会丢失订阅者和批准记录）。` +
      `请从备份恢复账本；如果确实要从一本空账本开始，请把这个文件移走（例如 mv ${file} ${file}.bad）后重新运行。`,
    danglingLink: (target: string) => `是指向 ${target} 的符号链接，但目标不存在（它所在的磁盘或卷挂载了吗？）`,
    emptyFile: '是空文件（0 字节）',
    otherProgram: (id: number) => `是别的程序的 SQLite 数据库（application_id ${id}）`,
    notALedger: '是 SQLite 数据库，但不是 advisory 的账本（里面有表，却没有 advisory 的结构版本）',
    noDeliveries: (version: number) => `声称是 advisory 结构版本 ${version}，却没有 deliveries 表`,
    notSqlite: '不是 SQLite 数据库（已损坏或被覆盖）',
    malformed: '已损坏（SQLite 报告数据库格式错误）',
    cannotCreate: (file: string, message: string, dir: string) => `无法创建账本 ${file}：${message}。请检查 ${dir} 是否可写、磁盘是否已满。`,
    cannotOpen: (file: string, message: string, dir: string) => `无法打开账本 ${file}：${message}。请检查 ${dir} 是否存在且可写。`,
    newerSchema: (file: string, version: number, known: number) =>
      `${file} 是由更新版本的 advisory 写入的（结构版本 ${version}，本程序只认识到 ${known}）。请升级 advisory，或把这个文件移走以新建账本。`,
    busy: (file: string, why: string) =>
      `账本 ${file} 正被另一个进程使用（${why}；等待 5 秒后仍被锁定）：请等那个进程结束或把它停止（被暂停或冻结的进程也会一直锁着），然后重新运行命令`,
    nowHeldBy: (purpose: string, pid: number, host: string, generation: number) => `，现在由 ${purpose} 持有（${host} 上的进程 ${pid}，第 ${generation} 代）`,
    lockLost: (generation: number, by: string) =>
      `本进程失去了发送调度锁（第 ${generation} 代）${by}。它已立即停止发送：没有记录过的内容不会重复发送。` +
      '由持有者完成剩下的工作；运行 `advisory status` 可以查看。',
    attemptTaken: (key: string, attempt: number) => `推送 ${key} 已不在第 ${attempt} 次尝试中（被另一个进程接手，或已经完成）：本次尝试到此为止`,
    badRow: (ledger: string, row: string, why: string) =>
      `账本 ${ledger} 中有一行无法读取：${row} 不是有效的 JSON（${why}）。它被手工改过或已损坏，不会照原样使用：` +
      '请从备份恢复这一行（或整本账本），然后重新运行命令；没有根据它发送任何内容。',
  },
);
