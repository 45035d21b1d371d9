/**
 * Real small disks for fault tests: a tmpfs mounted on a folder (needs root,
 * CAP_SYS_ADMIN). Tests that need one skip, saying why, where mounting is not
 * permitted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether this process may mount a tmpfs: tried once, on a probe folder. */
export function mountingPermitted(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'advisory-mount-probe-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status !== 0) return false;
    spawnSync('umount', [probe]);
    return true;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export function mount(dir: string, size: string): void {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount failed: ${r.stderr}`);
}

/** Remounts read-only or read-write, or with a new size (the disk made bigger: the fault removed). */
export function remount(dir: string, how: 'ro' | 'rw' | { size: string }): void {
  const opt = typeof how === 'string' ? how : `size=${how.size}`;
  const r = spawnSync('mount', ['-o', `remount,${opt}`, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`remount ${opt} failed: ${r.stderr}`);
}

export function unmount(dir: string): void {
  if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
}
