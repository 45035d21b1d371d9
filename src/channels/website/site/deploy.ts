/**
 * Atomic deploys. Each build is a new folder `builds/<buildId>/`; the served
 * site is a symlink switched with one rename, so a reader sees the old site or
 * the new one, never half of either. Campaign pages live in immutable,
 * content-addressed folders `objects/<campaign>/<hash>/` that a build links to
 * (one symlink per campaign), so an unchanged campaign costs one syscall.
 * Site-wide files unchanged since the previous build are hard-linked from it.
 */
import { createHash } from 'node:crypto';
import {
  existsSync, linkSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, lstatSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { StateError } from '../../../errors.js';
import { sha256 } from '../../../hash.js';
import { fsyncDir, writeAtomic } from '../../../fs/write-atomic.js';
import { siteMessages } from '../../../i18n/messages-site.js';

export interface SiteLayout {
  /** The served path: a symlink to the current build. */
  link: string;
  builds: string;
  objects: string;
  keep: number;
}

export function siteLayout(varDir: string, kind: 'public' | 'preview', keep = 5): SiteLayout {
  const name = kind === 'public' ? 'site' : 'site-preview';
  return { link: join(varDir, name), builds: join(varDir, `${name}-builds`), objects: join(varDir, `${name}-objects`), keep };
}

export type FileContent = string | Buffer;

export interface CampaignObject {
  id: string;
  hash: string;
  deliveryKey: string | null;
  /** Called only when the folder does not exist yet. */
  files(): Map<string, FileContent>;
}

export interface BuildPlan {
  /** Site-wide files by site-relative path. */
  files: Map<string, FileContent>;
  campaigns: CampaignObject[];
  createdAt: string;
}

export interface Manifest {
  id: string;
  createdAt: string;
  /** Top-level files by path → sha256 (hard-linked from the previous build when equal). */
  files: Record<string, string>;
  /** Top-level folders (campaigns, and the site's own `tags/`, `archive/`, …) → their immutable object. */
  campaigns: Record<string, { hash: string; deliveryKey: string | null }>;
}

export interface DeployResult {
  buildId: string;
  written: string[];
  linked: number;
  objectsWritten: string[];
}

const MANIFEST = '.manifest.json';

export function deploy(layout: SiteLayout, plan: BuildPlan): DeployResult {
  mkdirSync(layout.builds, { recursive: true });
  mkdirSync(layout.objects, { recursive: true });
  const previous = currentBuild(layout);
  const prevManifest = previous ? readManifest(layout, previous) : null;
  const buildId = nextBuildId(layout, plan.createdAt);
  removeUnfinished(layout);
  const tmp = join(layout.builds, `.tmp-${buildId}`);
  mkdirSync(tmp);

  const manifest: Manifest = { id: buildId, createdAt: plan.createdAt, files: {}, campaigns: {} };
  const objectsWritten: string[] = [];
  const written: string[] = [];
  const { top, folders } = splitFolders(plan.files);
  for (const c of [...plan.campaigns, ...folders]) {
    const dir = join(layout.objects, c.id, c.hash);
    const files = writeObject(layout, c.id, c.hash, c.files);
    if (files) {
      if (c.deliveryKey === SITE_FOLDER) written.push(...[...files.keys()].map((p) => `${c.id}/${p}`));
      else objectsWritten.push(c.id);
    }
    symlinkSync(relative(tmp, dir), join(tmp, c.id));
    manifest.campaigns[c.id] = { hash: c.hash, deliveryKey: c.deliveryKey === SITE_FOLDER ? null : c.deliveryKey };
  }

  let linked = 0;
  const made = new Set<string>();
  for (const [path, content] of top) {
    const hash = sha256(content);
    manifest.files[path] = hash;
    const target = join(tmp, path);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    if (previous && prevManifest?.files[path] === hash) {
      try {
        linkSync(join(layout.builds, previous, path), target);
        linked++;
        continue;
      } catch {
        // the previous file is gone or on another device: write it instead
      }
    }
    writeFileSync(target, content);
    written.push(path);
  }
  // reconcile reads the manifest to tell whether a delivery went out: it must survive a power cut
  writeAtomic(join(tmp, MANIFEST), JSON.stringify(manifest));
  renameSync(tmp, join(layout.builds, buildId));
  fsyncDir(layout.builds);
  swap(layout, buildId);
  prune(layout);
  return { buildId, written, linked, objectsWritten };
}

/**
 * Writes the immutable folder `objects/<id>/<hash>/` unless it exists (whole or not at all: a
 * temporary folder renamed into place). Returns the files written, or null when it was there.
 * A build may write its campaigns' folders as it renders them, before `deploy` links them.
 */
export function writeObject(layout: SiteLayout, id: string, hash: string, files: () => Map<string, FileContent>): Map<string, FileContent> | null {
  const dir = join(layout.objects, id, hash);
  if (existsSync(dir)) return null;
  mkdirSync(join(layout.objects, id), { recursive: true });
  const part = `${dir}.tmp-${process.pid}`;
  rmSync(part, { recursive: true, force: true });
  const made = files();
  writeTree(part, made);
  renameSync(part, dir);
  return made;
}

/** Writes one campaign's folder of a plain build (`build --out`). Returns the number of files. */
export function writePlainFolder(outDir: string, id: string, files: Map<string, FileContent>): number {
  writeTree(join(outDir, id), files);
  return files.size;
}

/** Marks the site's own folders among the objects (they carry no delivery). */
const SITE_FOLDER = '\0site';

/**
 * Site-wide files in folders (`tags/…`, `archive/…`) become content-addressed
 * objects like campaigns: an unchanged folder of a thousand tag pages costs one
 * symlink, not a thousand links. Top-level files stay individual.
 */
function splitFolders(files: Map<string, FileContent>): { top: Map<string, FileContent>; folders: CampaignObject[] } {
  const top = new Map<string, FileContent>();
  const groups = new Map<string, Map<string, FileContent>>();
  for (const [path, content] of files) {
    const slash = path.indexOf('/');
    if (slash < 0) {
      top.set(path, content);
      continue;
    }
    const name = path.slice(0, slash);
    const group = groups.get(name) ?? new Map<string, FileContent>();
    groups.set(name, group);
    group.set(path.slice(slash + 1), content);
  }
  const folders = [...groups].map(([id, group]) => {
    const h = createHash('sha256');
    for (const p of [...group.keys()].sort()) h.update(p).update('\0').update(sha256(group.get(p)!)).update('\n');
    return { id, hash: h.digest('hex').slice(0, 16), deliveryKey: SITE_FOLDER, files: () => group };
  });
  return { top, folders };
}

/** Points the served symlink at a build with one rename (atomic on POSIX). */
export function swap(layout: SiteLayout, buildId: string): void {
  if (existsSync(layout.link) && !lstatSync(layout.link).isSymbolicLink()) {
    throw new StateError('ESITE', siteMessages().notASymlink(layout.link));
  }
  const tmpLink = `${layout.link}.swap-${process.pid}`;
  rmSync(tmpLink, { force: true });
  symlinkSync(relative(dirname(layout.link), join(layout.builds, buildId)), tmpLink);
  renameSync(tmpLink, layout.link);
  fsyncDir(dirname(layout.link));
}

/**
 * Removes what a deploy killed half-way leaves beside the finished builds: its
 * `.tmp-` build folder and its swap link. The caller holds the site lock, so no
 * deploy is in progress. Returns the paths removed.
 */
export function removeUnfinished(layout: SiteLayout): string[] {
  const removed: string[] = [];
  const leftovers: [string, string][] = [[layout.builds, '.tmp-'], [dirname(layout.link), `${basename(layout.link)}.swap-`]];
  for (const [dir, prefix] of leftovers) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix)) continue;
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}

export function currentBuild(layout: SiteLayout): string | null {
  try {
    return basename(readlinkSync(layout.link));
  } catch {
    return null;
  }
}

/** Finished builds, oldest first. */
export function listBuilds(layout: SiteLayout): string[] {
  if (!existsSync(layout.builds)) return [];
  return readdirSync(layout.builds).filter((n) => !n.startsWith('.')).sort();
}

export function readManifest(layout: SiteLayout, buildId: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(join(layout.builds, buildId, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** Switches back to the build before the current one. */
export function rollback(layout: SiteLayout): { from: string; to: string } {
  const current = currentBuild(layout);
  const builds = listBuilds(layout);
  if (!current) throw new StateError('ESITE', siteMessages().nothingDeployed);
  const at = builds.indexOf(current);
  if (at <= 0) {
    throw new StateError('ESITE', siteMessages().oldestKept(current, builds.length));
  }
  const to = builds[at - 1];
  swap(layout, to);
  return { from: current, to };
}

/** Keeps the newest `keep` builds (and always the current one), then drops campaign folders no kept build uses. */
export function prune(layout: SiteLayout): void {
  const current = currentBuild(layout);
  const builds = listBuilds(layout);
  const keep = new Set(builds.slice(-Math.max(1, layout.keep)));
  if (current) keep.add(current);
  const dropped = builds.filter((b) => !keep.has(b));
  if (dropped.length === 0) return;
  const used = new Set<string>();
  for (const b of keep) {
    const m = readManifest(layout, b);
    for (const [id, c] of Object.entries(m?.campaigns ?? {})) used.add(`${id}/${c.hash}`);
  }
  // candidates: the folders the dropped builds used (a full scan would cost one readdir per campaign)
  const candidates = new Set<string>();
  for (const b of dropped) {
    const m = readManifest(layout, b);
    for (const [id, c] of Object.entries(m?.campaigns ?? {})) candidates.add(`${id}/${c.hash}`);
    rmSync(join(layout.builds, b), { recursive: true, force: true });
  }
  for (const key of candidates) if (!used.has(key)) rmSync(join(layout.objects, key), { recursive: true, force: true });
}

function nextBuildId(layout: SiteLayout, createdAt: string): string {
  const builds = listBuilds(layout);
  const last = builds.length ? Number.parseInt(builds[builds.length - 1], 10) : 0;
  const stamp = createdAt.replace(/[-:]/g, '').replace(/\.\d+/, '').replace(/Z$/, 'Z');
  return `${String((Number.isFinite(last) ? last : 0) + 1).padStart(6, '0')}-${stamp}`;
}

function writeTree(dir: string, files: Map<string, FileContent>): void {
  const made = new Set<string>();
  for (const [path, content] of files) {
    const target = join(dir, path);
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, content);
  }
}

/** Writes a build as plain files (no symlinks) for copying to a static host: `advisory build --out DIR`. */
export function writePlain(outDir: string, plan: BuildPlan, written?: ReadonlyMap<string, number>): number {
  mkdirSync(outDir, { recursive: true });
  let n = 0;
  for (const c of plan.campaigns) {
    const already = written?.get(c.id);
    n += already ?? writePlainFolder(outDir, c.id, c.files());
  }
  writeTree(outDir, plan.files);
  return n + plan.files.size;
}
