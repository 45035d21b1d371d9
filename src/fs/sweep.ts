/**
 * Removes what a killed process left half-done under `var/`; meant for the
 * start of `advisory run` and `advisory publish --now`, before anything is sent:
 *  - writeAtomic temp files (`<name>.tmp-<pid>-<random>`) in the sandbox outbox
 *    and the site state, when their writer is gone: its pid runs no process, or
 *    the file has not changed for `staleAfterMs` (the pid may have been reused,
 *    as after a container restart). A live writer's temp is left alone.
 *  - the site's unfinished builds and unlinked object folders (site/sweep.ts),
 *    unless a live process holds the site lock, i.e. is building right now.
 * None of these is ever read as a result (reconcile looks at final names and at
 * the served build only), so this is housekeeping, not recovery: it keeps a
 * crash loop from filling the disk, and rollback from reaching a build that
 * was never served.
 */
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { parseTempName } from './write-atomic.js';
import { processAlive } from './process-alive.js';
import { sweepSites } from '../site/sweep.js';
import { stateDir } from '../site/state.js';

export interface SweepOptions {
  /** The time to judge a temp file's age by. */
  now?: Date;
  /** A temp file unchanged for this long is taken as abandoned even if its pid runs (default 15 minutes). */
  staleAfterMs?: number;
  log?: Pick<Logger, 'info'>;
}

export interface SweepResult {
  /** writeAtomic temp files removed. */
  tempFiles: number;
  /** Unfinished or never-served site builds, and swap links, removed. */
  siteBuilds: number;
  /** Half-written or unreferenced site object folders removed. */
  siteObjects: number;
  /** A live process held the site lock, so the site was not swept. */
  siteBusy: boolean;
  /** Everything removed, relative to the var folder. */
  removed: string[];
}

const STALE_AFTER_MS = 15 * 60_000;

export function sweepOrphans(varDir: string, options: SweepOptions = {}): SweepResult {
  const temps = sweepTempFiles(atomicFolders(varDir), options.now ?? new Date(), options.staleAfterMs ?? STALE_AFTER_MS);
  const site = sweepSites(varDir);
  const result: SweepResult = {
    tempFiles: temps.length,
    siteBuilds: site?.builds.length ?? 0,
    siteObjects: site?.objects.length ?? 0,
    siteBusy: site === null,
    removed: [...temps, ...(site?.builds ?? []), ...(site?.objects ?? [])].map((p) => relative(varDir, p)),
  };
  if (result.removed.length > 0 || result.siteBusy) {
    const { removed: _removed, ...counts } = result;
    options.log?.info(counts, result.siteBusy ? 'removed what killed writers left; the site is being built, so it was not swept' : 'removed what killed writers left');
  }
  return result;
}

/** Every folder writeAtomic writes into: `outbox/<channel>/` (sandbox.ts), the site state and its `published/` (site/state.ts). */
function atomicFolders(varDir: string): string[] {
  const outbox = join(varDir, 'outbox');
  const channels = existsSync(outbox) ? readdirSync(outbox).map((c) => join(outbox, c)) : [];
  return [...channels, stateDir(varDir), join(stateDir(varDir), 'published')];
}

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
