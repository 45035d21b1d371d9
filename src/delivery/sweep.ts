/**
 * Removes what a killed process left half-done under `var/`; meant for the
 * start of `advisory run` and `advisory publish --now`, before anything is sent:
 *  - writeAtomic temp files in the sandbox outbox and the site state, when
 *    their writer is gone (fs/sweep.ts);
 *  - the site's unfinished builds and unlinked object folders (the website
 *    channel's sweep), unless a live process holds the site lock, i.e. is
 *    building right now.
 * None of these is ever read as a result (reconcile looks at final names and at
 * the served build only), so this is housekeeping, not recovery: it keeps a
 * crash loop from filling the disk, and rollback from reaching a build that
 * was never served.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { STALE_AFTER_MS, sweepTempFiles } from '../fs/sweep.js';
import { stateDir, sweepSites } from '../channels/website/index.js';

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

/** Every folder writeAtomic writes into: `outbox/<channel>/` (the sandbox), the site state and its `published/`. */
function atomicFolders(varDir: string): string[] {
  const outbox = join(varDir, 'outbox');
  const channels = existsSync(outbox) ? readdirSync(outbox).map((c) => join(outbox, c)) : [];
  return [...channels, stateDir(varDir), join(stateDir(varDir), 'published')];
}
