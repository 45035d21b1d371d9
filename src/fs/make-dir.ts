/**
 * `mkdir -p` that says why it failed. Node's recursive mkdir reports ENOENT
 * for a folder it could not make on a read-only disk or without permission
 * (tested with Node 20 on a read-only tmpfs), which reads as "a file is
 * missing", not as the fault of the machine it is (EROFS, EACCES): the sender
 * would retry it as transient until the delivery failed, instead of stopping
 * the run. On ENOENT the first missing level is made on its own, which fails
 * with the real code.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Makes `dir` and its missing parents; returns the first folder made (as mkdirSync does), or undefined when none. */
export function makeDir(dir: string): string | undefined {
  try {
    return mkdirSync(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    let missing = resolve(dir);
    while (dirname(missing) !== missing && !existsSync(dirname(missing))) missing = dirname(missing);
    // Throws the real reason (EROFS, EACCES, ENOSPC); if it succeeds (another process made it meanwhile), once more.
    mkdirSync(missing);
    return mkdirSync(dir, { recursive: true }) ?? missing;
  }
}

/** Errors of this machine's own resources: no channel can help, a person must (free space, remount, fix permissions). */
export const MACHINE_FAULT_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE']);
