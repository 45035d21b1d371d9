/**
 * One site build at a time per var folder, across processes (the daemon
 * publishing while someone runs `advisory build`): an exclusive lock file
 * holding the owner's pid. A lock left by a dead process is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StateError } from '../errors.js';

const WAIT_MS = 60_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function withSiteLock<T>(varDir: string, fn: () => T): T {
  const file = join(varDir, 'site-state', 'build.lock');
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!ownerAlive(file)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new StateError('ESITELOCK', `Another process has been building the site for over a minute (lock ${file}). Wait for it, or remove the file if that process is gone.`);
      }
      Atomics.wait(sleeper, 0, 0, 50);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function ownerAlive(file: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  } catch {
    return true; // being written right now
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
