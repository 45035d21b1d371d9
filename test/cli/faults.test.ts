/**
 * Regression (issue 8): a damaged, locked or unwritable ledger and a full or
 * read-only disk ended in exit 70 with a stack trace ("a bug"). Now: one line
 * naming the file and what to do, exit 3. Through the CLI entry, in process;
 * the lock is held by a real second process, the disks are real tmpfs mounts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, reportError } from '../../src/cli/main.js';
import { tmpProject } from '../delivery/helpers.js';
import { mount, mountingPermitted, remount, unmount } from '../fs/tmpfs.js';

let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => new Date('2014-09-28T02:00:00Z') });
  return { code, out, err };
}

/** Exit 3 and exactly one line on stderr, without a stack trace. */
function expectOneLine(r: { code: number; err: string[] }, message: RegExp): void {
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).not.toContain('\n');
  expect(r.err[0]).not.toMatch(/internal error|\bat .*\(.*:\d+:\d+\)/);
  expect(r.err[0]).toMatch(message);
  expect(r.code).toBe(3);
}

const ledgerFile = () => join(root, 'var', 'advisory.db');

describe('a damaged ledger', () => {
  it('garbage in var/advisory.db: `advisory status` exits 3 with one line naming the file', async () => {
    mkdirSync(join(root, 'var'));
    writeFileSync(ledgerFile(), 'this is not a database, just some text someone saved here\n'.repeat(20));
    expectOneLine(await cli('status'), new RegExp(`^advisory status: ${ledgerFile()} is not an SQLite database \\(damaged or overwritten\\), so it is not opened as the ledger .*Restore the ledger from a backup`));
  });

  it('a real ledger truncated to half its size: exit 3, damaged', async () => {
    for (let i = 0; i < 20; i++) expect((await cli('subscribers', 'add', `u${i}@example.org`)).code).toBe(0);
    truncateSync(ledgerFile(), Math.floor(statSync(ledgerFile()).size / 2));
    expectOneLine(await cli('subscribers', 'list'), /^advisory subscribers: (.*advisory\.db is damaged \(SQLite reports a malformed database\), so it is not opened as the ledger|the ledger .*advisory\.db is damaged or is not a ledger \(SQLITE_CORRUPT)/);
  });
});

describe('a ledger locked by another process', () => {
  it('a second process holding BEGIN EXCLUSIVE past the 5 s busy timeout: `subscribers add` exits 3, "in use by another process"', async () => {
    expect((await cli('subscribers', 'add', 'a@example.org')).code).toBe(0);
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const holder = spawn(process.execPath, ['-e', `
      const db = new (require(process.argv[1]))(process.argv[2]);
      db.exec('BEGIN EXCLUSIVE');
      process.stdout.write('locked\\n');
      setTimeout(() => {}, 60_000);`, sqlite, ledgerFile()], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d) => String(d).includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`the lock holder exited early (${code})`)));
      });
      const started = Date.now();
      const r = await cli('subscribers', 'add', 'x@example.org');
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_900); // it waited the busy timeout first
      expectOneLine(r, new RegExp(`^advisory subscribers: the ledger ${ledgerFile()} is in use by another process \\(SQLITE_BUSY: database is locked; still locked after waiting 5 s\\)`));
    } finally {
      holder.kill('SIGKILL');
    }
  }, 30_000);
});

describe('not every error is a fault', () => {
  it('a real bug still exits 70 with its stack', () => {
    const err: string[] = [];
    const code = reportError(new TypeError("Cannot read properties of undefined (reading 'key')"), 'status', { out: () => {}, err: (t) => err.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date() }, root);
    expect(code).toBe(70);
    expect(err[0]).toMatch(/internal error \(a bug.*\n.*TypeError/s);
  });
});

const canMount = mountingPermitted();

describe.skipIf(!canMount)('var/ on a real tmpfs (skipped unless this user may mount one: needs root)', () => {
  let varDir: string;
  beforeEach(() => {
    varDir = join(root, 'var');
    mkdirSync(varDir);
    mount(varDir, '1m');
  });
  afterEach(() => {
    unmount(varDir);
  });

  it('read-only var/: writing commands exit 3 with one line naming the ledger or folder', async () => {
    expect((await cli('subscribers', 'add', 'a@example.org')).code).toBe(0);
    remount(varDir, 'ro');
    expectOneLine(await cli('subscribers', 'add', 'b@example.org'), new RegExp(`^advisory subscribers: cannot open the ledger ${ledgerFile()} \\(SQLITE_CANTOPEN: unable to open database file\\): .*read-only`));
    expectOneLine(await cli('status'), /^advisory status: cannot open the ledger .*advisory\.db .*read-only/);
    // EROFS, as it is (Node's recursive mkdir said ENOENT: src/fs/make-dir.ts asks the folder itself).
    expectOneLine(await cli('build'), new RegExp(`^advisory build: cannot write ${join(varDir, 'site-state')}: the disk is mounted read-only \\(EROFS, mkdir\\)`));
  });

  it('a read-only disk where var/ is still empty: exit 3, and nothing is created', async () => {
    remount(varDir, 'ro');
    expectOneLine(await cli('status'), /^advisory status: cannot create the ledger .*advisory\.db: .*Check that .* is writable and the disk is not full\./);
    expect(readdirSync(varDir)).toEqual([]);
  });

  it('a full disk: the ledger (SQLITE_FULL or the WAL index cannot grow) and the site (ENOSPC) exit 3 saying it is full', async () => {
    expect((await cli('subscribers', 'add', 'a@example.org')).code).toBe(0);
    try {
      writeFileSync(join(varDir, 'filler'), Buffer.alloc(2 * 1024 * 1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC'); // the disk is now full
    }
    expectOneLine(await cli('subscribers', 'add', 'b@example.org'), new RegExp(`^advisory subscribers: the disk holding the ledger ${ledgerFile()} is full \\(SQLITE_[A-Z_]+: .*\\): free some space`));
    const build = await cli('build');
    expectOneLine(build, /^advisory build: no space left on the disk while writing .* \(ENOSPC, [a-z]+\): free some space, then run the command again$/);
    expect(existsSync(join(varDir, 'site'))).toBe(false); // the served site was not switched to a half-written build
  });
});
