/**
 * Faults during a real `publish --now`, each with its exit code and message,
 * and nothing lost or sent twice once the fault is removed and the same
 * command is run again: a disk that fills up mid-send, a read-only var/, the
 * ledger locked by another process. Real tmpfs disks (root only; skipped with
 * the reason otherwise) and a real second process holding the lock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mount, mountingPermitted, remount, unmount } from '../fs/tmpfs.js';
import { assertExactlyOnce, copyProject, outcome, publish, recoverByRerun, templateProject } from './recovery.js';

const canMount = mountingPermitted();
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** A project whose var/ is a tmpfs of `size`, holding a copy of the template's ledger. */
async function projectOnTmpfs(subscribers: number, size: string): Promise<string> {
  const template = await templateProject(subscribers);
  const root = copyProject(template);
  rmSync(template, { recursive: true, force: true });
  const ledger = join(tmpdir(), `advisory-ledger-${process.pid}-${Date.now()}.db`);
  renameSync(join(root, 'var/advisory.db'), ledger);
  mount(join(root, 'var'), size);
  copyFileSync(ledger, join(root, 'var/advisory.db'));
  rmSync(ledger);
  cleanup.push(() => rmSync(root, { recursive: true, force: true }), () => unmount(join(root, 'var')));
  return root;
}

describe.skipIf(!canMount)('disk faults during a publish (real tmpfs; skipped unless this user may mount one: needs root)', () => {
  it('the disk fills up mid-send: exit 3 with one line; made bigger, the same command finishes it, each once', async () => {
    const SUBSCRIBERS = 60;
    const root = await projectOnTmpfs(SUBSCRIBERS, '1100k');
    const full = publish(root);
    const r = await full.exited;
    expect(r.code, `${full.stdout()}\n${full.stderr()}`).toBe(3);
    expect(full.stderr().trim().split('\n').at(-1)).toMatch(/^advisory publish: .*(disk|space).*full|no space left/i);
    expect(full.stderr()).not.toMatch(/\n\s+at /); // no stack trace
    const left = await outcome(root);
    expect(left.occurrences).toBe(1);
    expect(left.sent).toBeGreaterThan(0);
    expect(left.sent).toBeLessThan(left.deliveries);
    remount(join(root, 'var'), { size: '20m' });
    const again = await recoverByRerun(root);
    expect(again.stdout()).toMatch(/^resumed: \d+ finished/m);
    expect(assertExactlyOnce(await outcome(root), SUBSCRIBERS, 'after the disk was made bigger', false)).toBe(0);
    // No temp file of the failed writes is left in the outbox.
    expect(readdirSync(join(root, 'var/outbox/email')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 60_000);

  it('a read-only var/: exit 3 with one line, nothing recorded; made writable, the command publishes once', async () => {
    const root = await projectOnTmpfs(5, '10m');
    remount(join(root, 'var'), 'ro');
    const ro = publish(root);
    expect((await ro.exited).code, ro.stderr()).toBe(3);
    expect(ro.stderr()).toMatch(/read-only/);
    expect(ro.stderr()).not.toMatch(/\n\s+at /);
    remount(join(root, 'var'), 'rw');
    expect((await outcome(root)).occurrences).toBe(0);
    await recoverByRerun(root);
    expect(assertExactlyOnce(await outcome(root), 5, 'after var/ was made writable', false)).toBe(0);
  }, 60_000);
});

describe('the ledger locked by another process', () => {
  it('exit 3 with one line after the busy timeout; once the other process lets go, the command publishes once', async () => {
    const template = await templateProject(5);
    const root = copyProject(template);
    rmSync(template, { recursive: true, force: true });
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const holder = spawn(process.execPath, ['-e', `
      const db = new (require(${JSON.stringify(sqlite)}))(${JSON.stringify(join(root, 'var/advisory.db'))});
      db.exec('BEGIN EXCLUSIVE'); console.log('locked');
      process.stdin.on('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });
    `], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanup.push(() => holder.kill('SIGKILL'));
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const locked = publish(root);
    expect((await locked.exited).code, locked.stderr()).toBe(3);
    expect(locked.stderr()).toMatch(/in use by another process/);
    holder.stdin!.write('go\n');
    await new Promise((resolve) => holder.once('exit', resolve));
    await recoverByRerun(root);
    expect(assertExactlyOnce(await outcome(root), 5, 'after the lock was released', false)).toBe(0);
  }, 60_000);
});
