/**
 * Choosing the ledger (ADVISORY_STORE, advisory.yaml's `store:`), the PostgreSQL
 * ledger (delivery/store/postgres/), and `advisory migrate` (cli/commands/migrate.ts).
 * A URL is always shown with its password masked (delivery/store/config.ts).
 */
import { messages } from './index.js';

const FORMS_EN = '`sqlite` (var/advisory.db, the default), `sqlite:PATH/advisory.db`, or `postgres://USER:PASSWORD@HOST:5432/DATABASE?schema=advisory`';
const FORMS_ZH = '`sqlite`（var/advisory.db，默认）、`sqlite:路径/advisory.db`，或 `postgres://用户:密码@主机:5432/数据库?schema=advisory`';

/** Which ledger the configuration names. */
export const storeConfigMessages = messages(
  {
    badSpec: (where: string, got: string) => `${where} names the ledger as "${got}": expected ${FORMS_EN}.`,
    badSqlitePath: (where: string, got: string) =>
      `${where} names the SQLite ledger "${got}": expected the ledger file advisory.db (e.g. sqlite:var/advisory.db) or the folder that holds it.`,
    badSchema: (where: string, got: string) =>
      `${where} names the PostgreSQL schema "${got}": expected lower-case letters, digits and _ (at most 63, not starting with a digit), e.g. ?schema=advisory_jinan.`,
    badUrl: (where: string, got: string, why: string) => `${where} names the ledger as "${got}", which is not a URL (${why}): expected ${FORMS_EN}.`,
    otherHost: 'a character of its password ends the password early, so it would reach another host',
    percentEncode: 'A password holding @, /, #, ? or : must be percent-encoded in the URL: @ as %40, / as %2F, # as %23, ? as %3F, : as %3A.',
    envWhere: 'ADVISORY_STORE',
    fileWhere: (file: string, line: number, column: number) => `${file}:${line}:${column} (store:)`,
    yamlError: (file: string, line: number, column: number, why: string) => `${file}:${line}:${column}: not valid YAML (${why}). It holds settings such as store: postgres://…`,
    notAMapping: (file: string) => `${file} must be a YAML mapping of settings (e.g. store: postgres://…), got something else.`,
    unknownKey: (file: string, line: number, column: number, key: string, near: string | undefined, known: string) =>
      `${file}:${line}:${column}: unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}: the settings are ${known}.`,
    emptyValue: (file: string, line: number, column: number, key: string) =>
      `${file}:${line}:${column}: ${key}: is empty. Name it (e.g. ${key === 'store' ? 'store: postgres://advisory@db.internal:5432/advisory' : 'queue: redis://queue.internal:6379/0'}) or remove the line for the default (${key === 'store' ? 'SQLite in var/' : 'local'}).`,
    storeNotText: (file: string, line: number, column: number) => `${file}:${line}:${column}: store: must be text: ${FORMS_EN}.`,
  },
  {
    badSpec: (where: string, got: string) => `${where} 指定的账本是“${got}”：应为 ${FORMS_ZH}。`,
    badSqlitePath: (where: string, got: string) =>
      `${where} 指定的 SQLite 账本是“${got}”：应为账本文件 advisory.db（例如 sqlite:var/advisory.db）或存放它的文件夹。`,
    badSchema: (where: string, got: string) =>
      `${where} 指定的 PostgreSQL 模式（schema）是“${got}”：只能用小写字母、数字和 _（最多 63 个，不以数字开头），例如 ?schema=advisory_jinan。`,
    badUrl: (where: string, got: string, why: string) => `${where} 指定的账本是“${got}”，这不是一个有效的网址（${why}）：应为 ${FORMS_ZH}。`,
    otherHost: '密码中的某个字符提前结束了密码，网址会指向另一台主机',
    percentEncode: '密码中含有 @、/、#、? 或 : 时，必须在网址里用百分号编码：@ 写作 %40，/ 写作 %2F，# 写作 %23，? 写作 %3F，: 写作 %3A。',
    envWhere: '环境变量 ADVISORY_STORE',
    fileWhere: (file: string, line: number, column: number) => `${file}:${line}:${column}（store:）`,
    yamlError: (file: string, line: number, column: number, why: string) => `${file}:${line}:${column}: 不是有效的 YAML（${why}）。这个文件存放 store: postgres://… 之类的设置。`,
    notAMapping: (file: string) => `${file} 应是 YAML 的键值设置（例如 store: postgres://…），实际内容不是。`,
    unknownKey: (file: string, line: number, column: number, key: string, near: string | undefined, known: string) =>
      `${file}:${line}:${column}: 未知的设置项“${key}”${near ? `（您是不是要输入“${near}”？）` : ''}：可用的设置项是 ${known}。`,
    emptyValue: (file: string, line: number, column: number, key: string) =>
      `${file}:${line}:${column}: ${key}: 是空的。请写明（例如 ${key === 'store' ? 'store: postgres://advisory@db.internal:5432/advisory' : 'queue: redis://queue.internal:6379/0'}），或删掉这一行以使用默认值（${key === 'store' ? 'var/ 里的 SQLite' : 'local'}）。`,
    storeNotText: (file: string, line: number, column: number) => `${file}:${line}:${column}: store: 必须是文字：${FORMS_ZH}。`,
  },
);

/** The PostgreSQL ledger. */
export const postgresMessages = messages(
  {
    noPassword: (location: string) => `cannot reach the ledger ${location}: the server asks a password and none was given (no password: set PGPASSWORD or put it in the store URL, percent-encoded).`,
    cannotConnect: (location: string, why: string) =>
      `cannot reach the ledger ${location}: ${why}. Check that the PostgreSQL server runs and that ADVISORY_STORE (or store: in advisory.yaml) names it, with the right user and password.`,
    unavailable: (location: string, why: string) =>
      `the connection to the ledger ${location} failed (${why}). What was not committed is not recorded: run the command again once the server is back.`,
    notALedger: (location: string, tables: string) =>
      `the schema of ${location} holds tables (${tables}) but no schema_migrations table, so it is not an advisory ledger and is not used as one (a new one there would mix with another program's data). Name an empty or new schema with ?schema=….`,
    lockWait: (location: string) =>
      `the dispatcher lock of ${location} is kept by a transaction that does not finish (a frozen process on another machine?): waited 5 s. Stop that process, or wait for the server to end its session, then run again.`,
    busy: (location: string, seconds: number, why: string) =>
      `the ledger ${location} is in use by another session: what this command needs stayed locked for ${seconds} s (${why}). Let that session finish, or end it (pg_stat_activity shows who holds the lock), then run the command again; nothing more was recorded.`,
    newerSchema: (location: string, version: number, known: number) =>
      `the ledger ${location} was written by a newer advisory (schema version ${version}, this one knows ${known}), so it is left as it is and not used: upgrade advisory on this machine (every machine that uses the ledger runs the same version), then run the command again.`,
    incomplete: (location: string, missing: string) =>
      `the ledger ${location} lacks part of its schema (${missing}): it was changed by hand, or only partly restored or migrated, so it is not used (what is missing would be lost or misread). Put the whole schema back from a backup (pg_dump / pg_restore), then run the command again; nothing was recorded or sent.`,
    damaged: (location: string, why: string) =>
      `the ledger ${location} does not have what this advisory needs (${why}): its schema was changed while in use, by hand or by a partial restore. Put the whole schema back from a backup (pg_dump / pg_restore), then run the command again; what this command had not committed is not recorded.`,
    corrupt: (location: string, why: string) =>
      `the PostgreSQL server reports the ledger ${location} damaged (${why}): have its administrator check the server (its log says which table or index) and restore from a backup, then run the command again; nothing more was recorded.`,
    permission: (location: string, why: string) =>
      `the ledger ${location} refuses what this command needs (${why}): the user named in ADVISORY_STORE (or store: in advisory.yaml) needs USAGE on the schema and SELECT, INSERT, UPDATE, DELETE on its tables (and CREATE on the database or schema while the ledger is created or migrated). Grant them, or connect as the schema's owner, then run the command again; nothing more was recorded.`,
  },
  {
    noPassword: (location: string) => `无法连接账本 ${location}：服务器要求密码，但没有提供（没有密码：请设置 PGPASSWORD，或把密码写进账本网址，并用百分号编码）。`,
    cannotConnect: (location: string, why: string) =>
      `无法连接账本 ${location}：${why}。请检查 PostgreSQL 服务器是否在运行，ADVISORY_STORE（或 advisory.yaml 的 store:）是否指向它，用户名和密码是否正确。`,
    unavailable: (location: string, why: string) =>
      `与账本 ${location} 的连接中断了（${why}）。没有提交的内容不会被记录：服务器恢复后请重新运行命令。`,
    notALedger: (location: string, tables: string) =>
      `${location} 的模式（schema）里已有表（${tables}），却没有 schema_migrations 表，因此它不是 advisory 的账本，不会被当作账本使用（在那里新建会和别的程序的数据混在一起）。请用 ?schema=… 指定一个空的或新的模式。`,
    lockWait: (location: string) =>
      `${location} 的发送调度锁被一个一直没有结束的事务占着（另一台机器上被冻结的进程？）：已等待 5 秒。请停止那个进程，或等服务器结束它的会话，然后重新运行。`,
    busy: (location: string, seconds: number, why: string) =>
      `账本 ${location} 正被另一个会话占用：本命令需要的数据被锁了 ${seconds} 秒（${why}）。请等那个会话结束，或结束它（pg_stat_activity 可以看到谁持有锁），然后重新运行命令；没有再记录任何内容。`,
    newerSchema: (location: string, version: number, known: number) =>
      `账本 ${location} 是由更新版本的 advisory 写入的（结构版本 ${version}，本程序只认识到 ${known}），因此保持原样、不使用：请先升级本机的 advisory（使用这本账本的每台机器都要用同一版本），然后重新运行命令。`,
    incomplete: (location: string, missing: string) =>
      `账本 ${location} 的结构不完整（缺少 ${missing}）：它被手工改过，或只恢复、迁移了一部分，因此不使用（缺少的部分会丢失或被读错）。请从备份恢复整个模式（pg_dump / pg_restore），然后重新运行命令；没有记录或发送任何内容。`,
    damaged: (location: string, why: string) =>
      `账本 ${location} 缺少本程序需要的结构（${why}）：它的模式在使用中被手工修改，或只恢复了一部分。请从备份恢复整个模式（pg_dump / pg_restore），然后重新运行命令；本命令尚未提交的内容不会被记录。`,
    corrupt: (location: string, why: string) =>
      `PostgreSQL 服务器报告账本 ${location} 已损坏（${why}）：请数据库管理员检查服务器（其日志会写明是哪张表或索引）并从备份恢复，然后重新运行命令；没有再记录任何内容。`,
    permission: (location: string, why: string) =>
      `账本 ${location} 拒绝了本命令需要的操作（${why}）：ADVISORY_STORE（或 advisory.yaml 的 store:）中的用户需要该模式的 USAGE 权限，以及其中各表的 SELECT、INSERT、UPDATE、DELETE 权限（创建或迁移账本时还需要数据库或模式的 CREATE 权限）。请授予这些权限，或以该模式的所有者连接，然后重新运行命令；没有再记录任何内容。`,
  },
);

/** `advisory migrate`. */
export const migrateMessages = messages(
  {
    usage: [
      'advisory migrate [--root DIR]',
      'advisory migrate --from STORE [--to STORE] [--root DIR]',
      '',
      'Without --from: applies the schema migrations to the configured ledger (ADVISORY_STORE, else store: in',
      'advisory.yaml, else var/advisory.db) and says what it did. Opening a ledger applies them too.',
      '',
      'With --from: copies a whole ledger (deliveries with payloads and receipts, attempts, occurrences, approvals,',
      'subscribers, staff accounts, the audit log, meta) into the ledger --to names (default: the configured one),',
      'which must be empty, in one transaction, and verifies it (rows and a sha256 per table) before committing.',
      '',
      'STORE is sqlite (var/advisory.db), sqlite:PATH/advisory.db, or postgres://USER:PASSWORD@HOST:5432/DB?schema=NAME.',
      'Stop `advisory run` first: the copy takes the source\'s dispatcher lock.',
      '',
      'Example: advisory migrate --from sqlite:var/advisory.db --to postgres://advisory@db.internal/advisory',
    ].join('\n'),
    toWithoutFrom: '--to needs --from: the ledger to copy. Example: advisory migrate --from sqlite:var/advisory.db --to postgres://…',
    positional: (arg: string) => `unexpected "${arg}": migrate takes only --from and --to.`,
    applied: (location: string, from: number, to: number) => `${location}: schema version ${from} → ${to} (${to - from} migration${to - from === 1 ? '' : 's'} applied).`,
    upToDate: (location: string, version: number) => `${location}: schema version ${version}, up to date; nothing to do.`,
    created: (location: string, version: number) => `${location}: new ledger created at schema version ${version}.`,
    same: (location: string) => `--from and --to both name ${location}: a ledger cannot be copied onto itself.`,
    sameThroughAlias: (from: string, to: string) => `--from ${from} and --to ${to} are the same ledger (the server reached under two names): a ledger cannot be copied onto itself.`,
    notEmpty: (location: string, tables: string) =>
      `${location} is not empty (${tables}), so nothing was copied: a copy into a ledger in use would mix two histories. Name a new schema (?schema=…) or an empty ledger.`,
    noSource: (location: string) => `${location} does not exist: there is nothing to copy.`,
    busy: (location: string, holder: string) => `${location} is in use by ${holder}: stop it first (the copy must see a ledger nobody changes), then run again.`,
    copying: (from: string, to: string) => `Copying ${from} → ${to}`,
    tableLine: (table: string, rows: number, hash: string) => `  ${table}: ${rows} row${rows === 1 ? '' : 's'}, sha256 ${hash}`,
    mismatch: (table: string, from: string, to: string) =>
      `the copy of ${table} does not match its source (${from} ≠ ${to}): nothing was committed. Report this as a bug with both ledgers kept as they are.`,
    done: (n: number, to: string) => `Verified: every table has the same rows and hash in both ledgers (${n} rows). ${to} is ready: point ADVISORY_STORE (or store: in advisory.yaml) at it.`,
  },
  {
    usage: [
      'advisory migrate [--root 目录]',
      'advisory migrate --from 账本 [--to 账本] [--root 目录]',
      '',
      '不带 --from：对配置的账本（ADVISORY_STORE，其次 advisory.yaml 的 store:，再次 var/advisory.db）执行结构迁移，',
      '并报告做了什么。打开账本时也会自动迁移。',
      '',
      '带 --from：把整本账本（推送及其内容和回执、每次尝试、发布记录、批准、订阅者、工作人员账号、审计日志、meta）',
      '复制到 --to 指定的账本（默认是配置的账本）。目标必须为空；复制在一个事务里完成，提交前逐表核对行数和 sha256。',
      '',
      '账本写作 sqlite（var/advisory.db）、sqlite:路径/advisory.db，或 postgres://用户:密码@主机:5432/数据库?schema=名称。',
      '请先停止 `advisory run`：复制期间会占用源账本的发送调度锁。',
      '',
      '例：advisory migrate --from sqlite:var/advisory.db --to postgres://advisory@db.internal/advisory',
    ].join('\n'),
    toWithoutFrom: '--to 需要配合 --from（要复制的账本）。例：advisory migrate --from sqlite:var/advisory.db --to postgres://…。',
    positional: (arg: string) => `多余的参数“${arg}”：migrate 只接受 --from 和 --to。`,
    applied: (location: string, from: number, to: number) => `${location}：结构版本 ${from} → ${to}（执行了 ${to - from} 个迁移）。`,
    upToDate: (location: string, version: number) => `${location}：结构版本 ${version}，已是最新，无需迁移。`,
    created: (location: string, version: number) => `${location}：已新建账本，结构版本 ${version}。`,
    same: (location: string) => `--from 和 --to 都指向 ${location}：不能把账本复制到它自己。`,
    sameThroughAlias: (from: string, to: string) => `--from ${from} 和 --to ${to} 是同一本账本（同一台服务器的两个名字）：不能把账本复制到它自己。`,
    notEmpty: (location: string, tables: string) =>
      `${location} 不是空的（${tables}），因此没有复制：复制到正在使用的账本会把两段历史混在一起。请指定新的模式（?schema=…）或空账本。`,
    noSource: (location: string) => `${location} 不存在：没有可复制的内容。`,
    busy: (location: string, holder: string) => `${location} 正被 ${holder} 使用：请先停止它（复制时账本不能有改动），然后重新运行。`,
    copying: (from: string, to: string) => `正在复制 ${from} → ${to}`,
    tableLine: (table: string, rows: number, hash: string) => `  ${table}：${rows} 行，sha256 ${hash}`,
    mismatch: (table: string, from: string, to: string) =>
      `${table} 的副本与源不一致（${from} ≠ ${to}）：什么也没有提交。请保留两本账本原样，并作为程序缺陷报告。`,
    done: (n: number, to: string) => `核对完毕：两本账本每张表的行数和哈希都相同（共 ${n} 行）。${to} 已可使用：把 ADVISORY_STORE（或 advisory.yaml 的 store:）指向它。`,
  },
);
