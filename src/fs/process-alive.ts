/**
 * Whether a process with this pid runs on this machine: how a lock or a temp
 * file left behind is told from one whose owner is still at work. A pid can be
 * reused after its process ends: where the kernel says when a process started
 * (/proc on Linux), a caller that recorded it (`processStart`) can pass it, and
 * a different process under the same pid is not mistaken for the owner. A
 * zombie (ended, not yet reaped by its parent) is not alive.
 */
import { readFileSync } from 'node:fs';

/** State and start time (clock ticks since boot) of a process from /proc; null where there is no /proc. */
function procStat(pid: number): { start: string; zombie: boolean } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { start: rest[19], zombie: rest[0] === 'Z' || rest[0] === 'X' };
  } catch {
    return null;
  }
}

/** When this process started, as the kernel counts it (null where that cannot be read). */
export function processStart(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

export function processAlive(pid: number, start: string | null = null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return start === null || start === processStart(pid);
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, but belongs to another user
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true; // no /proc: the pid exists, that is all that can be known
  if (stat.zombie) return false;
  return start === null || stat.start === start;
}
