/**
 * What a deploy killed half-way leaves under `var/` (deploy.ts), removed at
 * the next start:
 *   site-builds/.tmp-<build>/      a build not finished                (killed before its rename)
 *   site.swap-<pid>                a symlink not yet renamed over site (killed inside swap)
 *   site-builds/<build>/           a finished build newer than the one served: never served
 *                                  (killed between its rename and the swap), or rolled back from
 *   site-objects/<c>/<hash>.tmp-<pid>/  a campaign folder half-written
 *   site-objects/<c>/<hash>/       a whole campaign folder no build links to
 *                                  (killed before its build was renamed into place)
 * The served build and every older one (rollback's targets) are kept, with every
 * object folder one of them links to. The same for the preview site.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { currentBuild, listBuilds, readManifest, removeUnfinished, siteLayout, type SiteLayout } from './deploy.js';
import { ifSiteLockFree } from './lock.js';

export interface SiteSweep {
  /** Build folders and swap links removed (absolute paths). */
  builds: string[];
  /** Object folders removed, partial or unreferenced (absolute paths). */
  objects: string[];
}

/** Sweeps the public and the preview site, if no live process holds the site lock; null if one does (it is building). */
export function sweepSites(varDir: string): SiteSweep | null {
  const all: SiteSweep = { builds: [], objects: [] };
  const layouts = [siteLayout(varDir, 'public'), siteLayout(varDir, 'preview')];
  if (!layouts.some((l) => existsSync(l.builds) || existsSync(l.objects))) return all; // no site was ever built
  return ifSiteLockFree(varDir, () => {
    for (const layout of layouts) {
      const r = sweepSite(layout);
      all.builds.push(...r.builds);
      all.objects.push(...r.objects);
    }
    return all;
  }) ?? null;
}

/** The caller holds the site lock, so no deploy is in progress and nothing unlinked is on its way to being linked. */
export function sweepSite(layout: SiteLayout): SiteSweep {
  const builds = removeUnfinished(layout);
  const served = servedBuild(layout);
  const finished = listBuilds(layout);
  // Without a served build there is nothing to tell a never-served build from a rollback target: keep them all.
  const at = served === null ? -1 : finished.indexOf(served);
  for (const b of at < 0 ? [] : finished.slice(at + 1)) {
    rmSync(join(layout.builds, b), { recursive: true, force: true });
    builds.push(join(layout.builds, b));
  }
  const kept = at < 0 ? finished : finished.slice(0, at + 1);
  const used = objectsUsed(layout, kept);
  return { builds, objects: used ? removeUnused(layout, used) : [] };
}

/** The build `var/site` points to, if it is one of ours. */
function servedBuild(layout: SiteLayout): string | null {
  const build = currentBuild(layout);
  if (build === null) return null;
  const target = resolve(dirname(layout.link), readlinkSync(layout.link));
  return target === join(layout.builds, build) ? build : null;
}

/**
 * `<campaign>/<hash>` of every object folder a build links to, by its manifest
 * and by the symlinks it serves through; null when a build cannot be read (then
 * nothing is removed).
 */
function objectsUsed(layout: SiteLayout, builds: string[]): Set<string> | null {
  const used = new Set<string>();
  for (const b of builds) {
    const manifest = readManifest(layout, b);
    for (const [id, c] of Object.entries(manifest?.campaigns ?? {})) used.add(`${id}/${c.hash}`);
    // a finished build's manifest names every folder it links (deploy writes it last): read the links only without one
    if (manifest) continue;
    const dir = join(layout.builds, b);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return null;
    }
    for (const name of names) {
      if (!lstatSync(join(dir, name)).isSymbolicLink()) continue;
      const rel = relative(layout.objects, resolve(dir, readlinkSync(join(dir, name))));
      if (!rel.startsWith('..')) used.add(rel.split(sep).join('/'));
    }
  }
  return used;
}

function removeUnused(layout: SiteLayout, used: Set<string>): string[] {
  const removed: string[] = [];
  if (!existsSync(layout.objects)) return removed;
  for (const id of readdirSync(layout.objects)) {
    const dir = join(layout.objects, id);
    if (!lstatSync(dir).isDirectory()) continue;
    const names = readdirSync(dir);
    for (const name of names) {
      if (used.has(`${id}/${name}`)) continue;
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(join(dir, name));
    }
    if (names.every((name) => !used.has(`${id}/${name}`))) rmdirSync(dir);
  }
  return removed;
}
