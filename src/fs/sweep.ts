/**
 * Removes the temp files a killed writer left (`<name>.tmp-<pid>-<random>`,
 * write-atomic.ts): those whose pid runs no process, or that have not changed
 * for `staleAfterMs` (the pid may have been reused, as after a container
 * restart). A live writer's temp is left alone. Which folders to sweep, and
 * what else, is the caller's (delivery/sweep.ts).
 */
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseTempName } from './write-atomic.js';
import { processAlive } from './process-alive.js';

export const STALE_AFTER_MS = 15 * 60_000;

/** Removes the writeAtomic temps in `dirs` whose writer is gone; returns their paths. */
export function sweepTempFiles(dirs: string[], now: Date, staleAfterMs = STALE_AFTER_MS): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !lstatSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir)) {
      const temp = parseTempName(name);
      if (!temp) continue;
      const file = join(dir, name);
      let stat;
      try {
        stat = lstatSync(file);
      } catch {
        continue; // its writer renamed it a moment ago
      }
      if (!stat.isFile()) continue;
      if (processAlive(temp.pid) && now.getTime() - stat.mtimeMs < staleAfterMs) continue;
      rmSync(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}
