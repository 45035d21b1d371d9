/**
 * Faults during a real `publish --now`, each with its exit code and message,
 * and nothing lost or sent twice once the fault is removed and the same
 * command is run again: a disk that fills up mid-send, a read-only var/, the
 * ledger locked by another process. Real tmpfs disks (root only; skipped with
 * the reason otherwise) and a real second process holding the lock. The disk
 * faults also with the ledger in PostgreSQL (var/ still holds the outbox and
 * the site), and the PostgreSQL ledger locked by another session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { mount, mountingPermitted, remount, unmount } from '../fs/tmpfs.js';
import { startProcess, until } from './daemon-process.js';
import { describeOn, POSTGRES, SQLITE, useLedgers, type Backend, type Case } from './ledgers.js';
import { assertExactlyOnce, copyProject, outcome, publish, recoverByRerun, templateProject } from './recovery.js';
import { PG_URL } from './store/postgres-harness.js';

const canMount = mountingPermitted();
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** A project whose var/ is a tmpfs of `size`, holding a copy of the template's ledger (SQLite). */
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

/** Each backend's disk: with the ledger in var/ (SQLite) the tmpfs holds it too, so it is larger. */
const FULL_DISK: Record<Backend['kind'], string> = { sqlite: '1100k', postgres: '700k', queue: '' };

for (const backend of [SQLITE, POSTGRES]) describeOn(backend, 'disk faults during a publish', () => {
  const ledgers = useLedgers(backend);
  const onTmpfs = async (subscribers: number, size: string): Promise<Case> => ledgers.ledger(await projectOnTmpfs(subscribers, size), subscribers);

  describe.skipIf(!canMount)('real tmpfs (skipped unless this user may mount one: needs root)', () => {
    it('the disk fills up mid-send: exit 3 with one line; made bigger, the same command finishes it, each once', async () => {
      const SUBSCRIBERS = 60;
      const c = await onTmpfs(SUBSCRIBERS, FULL_DISK[backend.kind]);
      const full = publish(c);
      const r = await full.exited;
      expect(r.code, `${full.stdout()}\n${full.stderr()}`).toBe(3);
      expect(full.stderr().trim().split('\n').at(-1)).toMatch(/^advisory publish: .*(disk|space).*full|no space left/i);
      expect(full.stderr()).not.toMatch(/\n\s+at /); // no stack trace
      const left = await outcome(c);
      expect(left.occurrences).toBe(1);
      expect(left.sent).toBeGreaterThan(0);
      expect(left.sent).toBeLessThan(left.deliveries);
      remount(join(c.root, 'var'), { size: '20m' });
      const again = await recoverByRerun(c);
      expect(again.stdout()).toMatch(/^resumed: \d+ finished/m);
      expect(assertExactlyOnce(await outcome(c), SUBSCRIBERS, 'after the disk was made bigger', false)).toBe(0);
      // No temp file of the failed writes is left in the outbox.
      expect(readdirSync(join(c.root, 'var/outbox/email')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    }, 60_000);

    it('a read-only var/: exit 3 with one line, nothing sent; made writable, the command publishes once', async () => {
      const c = await onTmpfs(5, '10m');
      remount(join(c.root, 'var'), 'ro');
      const ro = publish(c);
      expect((await ro.exited).code, ro.stderr()).toBe(3);
      expect(ro.stderr()).toMatch(/read-only/);
      expect(ro.stderr()).not.toMatch(/\n\s+at /);
      remount(join(c.root, 'var'), 'rw');
      const left = await outcome(c);
      expect(left.sent).toBe(0);
      // SQLite: the ledger is on that disk, so nothing could be recorded. PostgreSQL: the intent is recorded and every
      // delivery waits, pending: none retried until it failed (they were: Node says ENOENT for a folder it cannot make
      // on a read-only disk, and the website's deploy wrapped EROFS as a transient error of its own).
      if (backend === SQLITE) expect(left.occurrences).toBe(0);
      else expect(left.unfinished.filter((u) => !u.endsWith(' pending'))).toEqual([]);
      await recoverByRerun(c);
      expect(assertExactlyOnce(await outcome(c), 5, 'after var/ was made writable', false)).toBe(0);
    }, 60_000);
  });
}, false);

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

describeOn(POSTGRES, 'the PostgreSQL ledger locked by another session', () => {
  const ledgers = useLedgers(POSTGRES);
  // It waited silently forever: no lock_timeout, so a DDL statement, VACUUM FULL or LOCK TABLE in an open transaction
  // of another session held `publish --now` without a word. Now it waits 10 s, as SQLite's busy timeout (5 s) does.
  it('exit 3 with one line after the lock timeout (it hung forever); once the session lets go, the command publishes once', async () => {
    const template = await templateProject(5);
    const root = copyProject(template);
    rmSync(template, { recursive: true, force: true });
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const c = await ledgers.ledger(root, 5);
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    cleanup.push(() => void holder.end().catch(() => {}));
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE "${(c.ledger as { schema: string }).schema}".deliveries IN ACCESS EXCLUSIVE MODE`);
    const locked = publish(c);
    const r = await locked.exited;
    expect(r.code, locked.stderr()).toBe(3);
    const last = locked.stderr().trim().split('\n').at(-1);
    expect(last).toMatch(/^advisory publish: the ledger postgres:\/\/.*schema=t_\w+ is in use by another session: what this command needs stayed locked for 10 s \(55P03: /);
    expect(locked.stderr()).not.toMatch(/\n\s+at /);
    await holder.query('ROLLBACK');
    expect((await outcome(c)).occurrences).toBe(0);
    await recoverByRerun(c);
    expect(assertExactlyOnce(await outcome(c), 5, 'after the lock was released', false)).toBe(0);
  }, 60_000);

  it('the daemon behind such a lock: its cycle fails with that line and is tried again; once let go, it sends a publish handed to it', async () => {
    const template = await templateProject(5);
    const root = copyProject(template);
    rmSync(template, { recursive: true, force: true });
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const c = await ledgers.ledger(root, 5);
    const daemon = startProcess(['run', '--root', root, '--port', '0'], c.env);
    cleanup.push(() => daemon.child.kill('SIGKILL'));
    await until(() => daemon.stderr().includes('serving') || daemon.child.exitCode !== null, 20_000, 'the daemon to start');
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    cleanup.push(() => void holder.end().catch(() => {}));
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE "${(c.ledger as { schema: string }).schema}".deliveries IN ACCESS EXCLUSIVE MODE`);
    // The daemon's log (stdout): the failed cycle, said with the lock, and when it tries again.
    const failed = /dispatch cycle failed; trying again in \d+ s: the ledger postgres:\/\/\S+ is in use by another session: what this command needs stayed locked for 10 s/;
    await until(() => failed.test(daemon.stdout()) || daemon.child.exitCode !== null, 30_000, 'the daemon to say its cycle failed on the lock');
    expect(daemon.stdout()).toMatch(failed);
    expect(daemon.child.exitCode).toBeNull();
    await holder.query('ROLLBACK');
    // Handed to the running daemon, which sends it.
    await recoverByRerun(c);
    expect(assertExactlyOnce(await outcome(c), 5, 'published through the daemon after the lock', false)).toBe(0);
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code, daemon.stderr()).toBe(0);
  }, 60_000);
  // One at a time: the cases share this file's clean-up list.
}, false);
