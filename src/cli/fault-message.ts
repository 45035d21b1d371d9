/**
 * Faults of the machine, not of the program: a locked, damaged or unwritable
 * ledger, a full or read-only disk, an address that cannot be listened on.
 * `faultMessage` turns such an error into one line naming the file or address
 * and what to do (the CLI prints it and exits 3); anything else gives null and
 * stays a bug (exit 70 with its stack). Pure: it looks only at the error.
 */
import { StateError } from '../errors.js';
import { listenProblem } from '../server/listen-error.js';
import { faultMessages } from '../i18n/messages-faults.js';

export interface FaultContext {
  /** The ledger the command uses: SQLite's errors do not name their file. */
  ledger?: string;
  /** The project folder: where a write that names no file happened. */
  root?: string;
}

/** What better-sqlite3 and Node's system errors carry. */
interface SystemError {
  code?: unknown;
  message?: unknown;
  path?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
}

/** The one line for a machine fault in `err` (or in its causes), or null. */
export function faultMessage(err: unknown, ctx: FaultContext = {}): string | null {
  let e: unknown = err;
  for (let depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const message = sqliteFault(e as SystemError, ctx) ?? systemFault(e as SystemError, ctx);
    if (message) return message;
    e = (e as SystemError).cause;
  }
  return null;
}

/** The same as an error of our taxonomy, keeping the original as `cause` for the logs. */
export function faultError(err: unknown, ctx: FaultContext = {}): StateError | null {
  const message = faultMessage(err, ctx);
  if (message === null) return null;
  const code = (err as SystemError | null)?.code;
  return new StateError(typeof code === 'string' ? code : 'EFAULT', message, { cause: err });
}

function sqliteFault(e: SystemError, ctx: FaultContext): string | undefined {
  if (typeof e.code !== 'string' || !e.code.startsWith('SQLITE_')) return undefined;
  const m = faultMessages();
  const ledger = ctx.ledger ? m.theLedger(ctx.ledger) : m.theLedgerDefault;
  const why = `${e.code}: ${String(e.message)}`;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT, …) share their base code's meaning.
  // SHMSIZE: the WAL index (advisory.db-shm) could not grow, which usually means the disk is full.
  const base = e.code === 'SQLITE_IOERR_SHMSIZE' ? 'SQLITE_FULL' : /^SQLITE_[A-Z]+/.exec(e.code)?.[0];
  switch (base) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return m.ledgerBusy(ledger, why);
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return m.ledgerDamaged(ledger, why);
    case 'SQLITE_FULL':
      return m.ledgerDiskFull(ledger, why);
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return m.ledgerReadOnly(ledger, why);
    case 'SQLITE_CANTOPEN':
      return m.ledgerCannotOpen(ledger, why);
    case 'SQLITE_IOERR':
      return m.ledgerIoError(ledger, why);
    default:
      return undefined;
  }
}

function systemFault(e: SystemError, ctx: FaultContext): string | undefined {
  if (typeof e.code !== 'string') return undefined;
  const m = faultMessages();
  if (e.syscall === 'listen') return listenProblem(e, String(e.port ?? '?'), String(e.address ?? '?'));
  if (e.syscall === 'getaddrinfo' && (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')) {
    return m.hostLookup(String(e.hostname ?? '?'), e.code);
  }
  const path = typeof e.path === 'string' ? e.path : undefined;
  const what = path ?? (ctx.root ? m.aFileUnder(ctx.root) : m.aFile);
  const code = `${e.code}${typeof e.syscall === 'string' ? `, ${e.syscall}` : ''}`;
  switch (e.code) {
    case 'ENOSPC':
      return m.noSpace(what, code);
    case 'EDQUOT':
      return m.quota(what, code);
    case 'EROFS':
      return m.readOnlyDisk(what, code);
    case 'EACCES':
    case 'EPERM':
      return m.permission(what, code);
    case 'EIO':
      return m.ioError(what, code);
    case 'ENOENT':
      // Node's recursive mkdir reports a read-only disk as ENOENT.
      if (e.syscall !== 'mkdir') return undefined;
      return m.cannotCreateFolder(what, code);
    default:
      return undefined;
  }
}
