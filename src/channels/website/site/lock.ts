/**
 * One site build at a time per var folder, across processes (the daemon
 * publishing while someone runs `advisory build`): an exclusive lock file
 * holding the owner's pid. A lock left by a dead process is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StateError } from '../../../errors.js';
import { makeDir } from '../../../fs/make-dir.js';
import { processAlive } from '../../../fs/process-alive.js';
import { siteMessages } from '../../../i18n/messages-site.js';

const WAIT_MS = 60_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function withSiteLock<T>(varDir: string, fn: () => T): T {
  const file = lockFile(varDir);
  const deadline = Date.now() + WAIT_MS;
  while (!acquire(file)) {
    if (Date.now() > deadline) {
      throw new StateError('ESITELOCK', siteMessages().siteLocked(file));
    }
    Atomics.wait(sleeper, 0, 0, 50);
  }
  return holding(file, fn);
}

/** Runs `fn` under the site lock if no live process holds it; otherwise returns undefined without waiting. */
export function ifSiteLockFree<T>(varDir: string, fn: () => T): T | undefined {
  const file = lockFile(varDir);
  return acquire(file) ? holding(file, fn) : undefined;
}

function lockFile(varDir: string): string {
  const file = join(varDir, 'site-state', 'build.lock');
  makeDir(dirname(file));
  return file;
}

/** One attempt: true when the lock is now ours (taken over from a dead owner if need be). */
function acquire(file: string): boolean {
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (ownerAlive(file)) return false;
      rmSync(file, { force: true });
    }
  }
}

function holding<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function ownerAlive(file: string): boolean {
  try {
    return processAlive(Number.parseInt(readFileSync(file, 'utf8'), 10));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT'; // released a moment ago: try again
  }
}
