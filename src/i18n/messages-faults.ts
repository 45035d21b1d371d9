/**
 * Faults of the machine (cli/fault-message.ts) and an address the server cannot listen on
 * (server/listen-error.ts): one line naming the file or address and what to do.
 * `why` is the system's own code and message (SQLITE_FULL: database or disk is full), kept as it is.
 */
import { messages } from './index.js';

export const faultMessages = messages(
  {
    theLedger: (file: string) => `the ledger ${file}`,
    theLedgerDefault: 'the ledger (var/advisory.db)',
    ledgerBusy: (ledger: string, why: string) =>
      `${ledger} is in use by another process (${why}; still locked after waiting 5 s): let that process finish or stop it, then run the command again`,
    ledgerDamaged: (ledger: string, why: string) =>
      `${ledger} is damaged or is not a ledger (${why}): move it aside and put back a backup copy; without one, moving it aside starts an empty ledger (its deliveries and subscribers are lost)`,
    ledgerDiskFull: (ledger: string, why: string) => `the disk holding ${ledger} is full (${why}): free some space, then run the command again`,
    ledgerReadOnly: (ledger: string, why: string) =>
      `${ledger} cannot be written (${why}): make it and its folder writable for the user running advisory (is the disk mounted read-only?)`,
    ledgerCannotOpen: (ledger: string, why: string) =>
      `cannot open ${ledger} (${why}): its folder must exist and be writable by the user running advisory (is the disk mounted read-only?)`,
    ledgerIoError: (ledger: string, why: string) =>
      `reading or writing ${ledger} failed (${why}): check the disk (free space, read-only, hardware errors), then run the command again`,
    hostLookup: (host: string, code: string) => `cannot look up the host name "${host}" (${code}): check the name and this machine's network and name server`,
    aFileUnder: (root: string) => `a file under ${root}`,
    aFile: 'a file',
    noSpace: (what: string, code: string) => `no space left on the disk while writing ${what} (${code}): free some space, then run the command again`,
    quota: (what: string, code: string) => `disk quota exceeded while writing ${what} (${code}): free some space or ask for a larger quota, then run the command again`,
    readOnlyDisk: (what: string, code: string) =>
      `cannot write ${what}: the disk is mounted read-only (${code}): remount it read-write, or run on a writable copy of the project with --root DIR`,
    permission: (what: string, code: string) => `permission denied on ${what} (${code}): give the user running advisory access to it, or run as its owner`,
    ioError: (what: string, code: string) => `input/output error on ${what} (${code}): the disk may be failing; check it, then run the command again`,
    cannotCreateFolder: (what: string, code: string) =>
      `cannot create the folder ${what} (${code}): the folder above it must exist and be writable (is the disk mounted read-only?)`,
    portInUse: (port: string, host: string, portOption: string) => `port ${port} on ${host} is already in use: stop the other program or pick another with ${portOption} N`,
    portPrivileged: (port: string, host: string, portOption: string) =>
      `port ${port} on ${host} needs more privileges than this user has (EACCES): pick a port above 1023 with ${portOption} N`,
    notOurAddress: (host: string) => `${host} is not an address of this machine (EADDRNOTAVAIL): listen on one of its own addresses with --host, e.g. 127.0.0.1`,
    unknownHost: (host: string) => `unknown host "${host}" (ENOTFOUND): give an address of this machine with --host, e.g. 127.0.0.1`,
    hostNoAnswer: (host: string) =>
      `could not look up the host "${host}" (EAI_AGAIN: the name server did not answer): give an address with --host, e.g. 127.0.0.1, or try again`,
  },
  {
    theLedger: (file: string) => `账本 ${file}`,
    theLedgerDefault: '账本（var/advisory.db）',
    ledgerBusy: (ledger: string, why: string) =>
      `${ledger} 正被另一个进程使用（${why}；等待 5 秒后仍被锁定）：请等那个进程结束或把它停止，然后重新运行命令`,
    ledgerDamaged: (ledger: string, why: string) =>
      `${ledger} 已损坏，或者不是账本文件（${why}）：请把它移到别处，放回一份备份；没有备份时，移走它会从一本空账本重新开始（其中的推送记录和订阅者都会丢失）`,
    ledgerDiskFull: (ledger: string, why: string) => `${ledger} 所在的磁盘已满（${why}）：请腾出一些空间，然后重新运行命令`,
    ledgerReadOnly: (ledger: string, why: string) =>
      `${ledger} 无法写入（${why}）：请让运行 advisory 的用户对它及其所在文件夹有写权限（磁盘是否以只读方式挂载？）`,
    ledgerCannotOpen: (ledger: string, why: string) =>
      `无法打开 ${ledger}（${why}）：它所在的文件夹必须存在，并且运行 advisory 的用户能够写入（磁盘是否以只读方式挂载？）`,
    ledgerIoError: (ledger: string, why: string) =>
      `读写 ${ledger} 失败（${why}）：请检查磁盘（剩余空间、是否只读、有无硬件错误），然后重新运行命令`,
    hostLookup: (host: string, code: string) => `无法解析主机名“${host}”（${code}）：请检查主机名，以及本机的网络和域名服务器`,
    aFileUnder: (root: string) => `${root} 下的某个文件`,
    aFile: '某个文件',
    noSpace: (what: string, code: string) => `写入 ${what} 时磁盘空间不足（${code}）：请腾出一些空间，然后重新运行命令`,
    quota: (what: string, code: string) => `写入 ${what} 时超出了磁盘配额（${code}）：请腾出一些空间或申请更大的配额，然后重新运行命令`,
    readOnlyDisk: (what: string, code: string) =>
      `无法写入 ${what}：磁盘以只读方式挂载（${code}）：请把它重新挂载为可读写，或用 --root DIR 在项目的一个可写副本上运行`,
    permission: (what: string, code: string) => `没有权限访问 ${what}（${code}）：请给运行 advisory 的用户授予访问权限，或以文件所有者的身份运行`,
    ioError: (what: string, code: string) => `读写 ${what} 时发生输入/输出错误（${code}）：磁盘可能有故障，请检查后重新运行命令`,
    cannotCreateFolder: (what: string, code: string) =>
      `无法创建文件夹 ${what}（${code}）：它的上一级文件夹必须存在并且可写（磁盘是否以只读方式挂载？）`,
    portInUse: (port: string, host: string, portOption: string) => `${host} 上的端口 ${port} 已被占用：请停止占用它的程序，或用 ${portOption} N 换一个端口`,
    portPrivileged: (port: string, host: string, portOption: string) =>
      `${host} 上的端口 ${port} 需要比当前用户更高的权限（EACCES）：请用 ${portOption} N 选一个大于 1023 的端口`,
    notOurAddress: (host: string) => `${host} 不是本机的地址（EADDRNOTAVAIL）：请用 --host 指定本机自己的地址，例如 127.0.0.1`,
    unknownHost: (host: string) => `未知主机“${host}”（ENOTFOUND）：请用 --host 指定本机的地址，例如 127.0.0.1`,
    hostNoAnswer: (host: string) => `无法解析主机“${host}”（EAI_AGAIN：域名服务器没有应答）：请用 --host 直接指定地址，例如 127.0.0.1，或稍后再试`,
  },
);
