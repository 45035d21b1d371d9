/**
 * Faults of the machine, not of the program: a locked, damaged or unwritable
 * ledger, a full or read-only disk, an address that cannot be listened on.
 * `faultMessage` turns such an error into one line naming the file or address
 * and what to do (the CLI prints it and exits 3); anything else gives null and
 * stays a bug (exit 70 with its stack). Pure: it looks only at the error.
 */
import { StateError } from '../errors.js';
import { listenProblem } from '../server/listen-error.js';

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
  const ledger = ctx.ledger ? `the ledger ${ctx.ledger}` : 'the ledger (var/advisory.db)';
  const why = `${e.code}: ${String(e.message)}`;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT, …) share their base code's meaning.
  // SHMSIZE: the WAL index (advisory.db-shm) could not grow, which usually means the disk is full.
  const base = e.code === 'SQLITE_IOERR_SHMSIZE' ? 'SQLITE_FULL' : /^SQLITE_[A-Z]+/.exec(e.code)?.[0];
  switch (base) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return `${ledger} is in use by another process (${why}; still locked after waiting 5 s): let that process finish or stop it, then run the command again`;
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return `${ledger} is damaged or is not a ledger (${why}): move it aside and put back a backup copy; without one, moving it aside starts an empty ledger (its deliveries and subscribers are lost)`;
    case 'SQLITE_FULL':
      return `the disk holding ${ledger} is full (${why}): free some space, then run the command again`;
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return `${ledger} cannot be written (${why}): make it and its folder writable for the user running advisory (is the disk mounted read-only?)`;
    case 'SQLITE_CANTOPEN':
      return `cannot open ${ledger} (${why}): its folder must exist and be writable by the user running advisory (is the disk mounted read-only?)`;
    case 'SQLITE_IOERR':
      return `reading or writing ${ledger} failed (${why}): check the disk (free space, read-only, hardware errors), then run the command again`;
    default:
      return undefined;
  }
}

function systemFault(e: SystemError, ctx: FaultContext): string | undefined {
  if (typeof e.code !== 'string') return undefined;
  if (e.syscall === 'listen') return listenProblem(e, String(e.port ?? '?'), String(e.address ?? '?'));
  if (e.syscall === 'getaddrinfo' && (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')) {
    return `cannot look up the host name "${String(e.hostname ?? '?')}" (${e.code}): check the name and this machine's network and name server`;
  }
  const path = typeof e.path === 'string' ? e.path : undefined;
  const what = path ?? (ctx.root ? `a file under ${ctx.root}` : 'a file');
  const code = `${e.code}${typeof e.syscall === 'string' ? `, ${e.syscall}` : ''}`;
  switch (e.code) {
    case 'ENOSPC':
      return `no space left on the disk while writing ${what} (${code}): free some space, then run the command again`;
    case 'EDQUOT':
      return `disk quota exceeded while writing ${what} (${code}): free some space or ask for a larger quota, then run the command again`;
    case 'EROFS':
      return `cannot write ${what}: the disk is mounted read-only (${code}): remount it read-write, or run on a writable copy of the project with --root DIR`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${what} (${code}): give the user running advisory access to it, or run as its owner`;
    case 'EIO':
      return `input/output error on ${what} (${code}): the disk may be failing; check it, then run the command again`;
    case 'ENOENT':
      // Node's recursive mkdir reports a read-only disk as ENOENT.
      if (e.syscall !== 'mkdir') return undefined;
      return `cannot create the folder ${what} (${code}): the folder above it must exist and be writable (is the disk mounted read-only?)`;
    default:
      return undefined;
  }
}
