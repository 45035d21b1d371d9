/**
 * Whether a process with this pid runs on this machine: how a lock or a temp
 * file left behind is told from one whose owner is still at work. A pid can be
 * reused after its process ends, so callers that can also use an age do.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, but belongs to another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
