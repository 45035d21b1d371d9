/**
 * Machine faults → one line naming the file or address and what to do (exit 3);
 * anything else → null, so it stays a bug with its stack (exit 70). One case per code.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { faultError, faultMessage } from '../../src/cli/fault-message.js';
import { StateError } from '../../src/errors.js';

const ledger = '/srv/advisory/var/advisory.db';
const ctx = { ledger, root: '/srv/advisory' };
const sqlite = (code: string, message: string) => new Database.SqliteError(message, code);
const system = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${code}: ${message}`), { code, ...extra });

describe('faultMessage: the ledger (better-sqlite3 SqliteError codes)', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['SQLITE_BUSY', 'database is locked', /the ledger \/srv\/advisory\/var\/advisory\.db is in use by another process \(SQLITE_BUSY: database is locked; still locked after waiting 5 s\): let that process finish or stop it/],
    ['SQLITE_BUSY_SNAPSHOT', 'database is locked', /is in use by another process \(SQLITE_BUSY_SNAPSHOT/],
    ['SQLITE_LOCKED', 'database table is locked', /is in use by another process/],
    ['SQLITE_CORRUPT', 'database disk image is malformed', /the ledger \/srv\/advisory\/var\/advisory\.db is damaged or is not a ledger \(SQLITE_CORRUPT: database disk image is malformed\): move it aside and put back a backup copy/],
    ['SQLITE_NOTADB', 'file is not a database', /is damaged or is not a ledger \(SQLITE_NOTADB: file is not a database\)/],
    ['SQLITE_FULL', 'database or disk is full', /the disk holding the ledger \/srv\/advisory\/var\/advisory\.db is full \(SQLITE_FULL: database or disk is full\): free some space/],
    ['SQLITE_IOERR_SHMSIZE', 'disk I/O error', /the disk holding the ledger .* is full \(SQLITE_IOERR_SHMSIZE/],
    ['SQLITE_READONLY', 'attempt to write a readonly database', /the ledger .* cannot be written \(SQLITE_READONLY: attempt to write a readonly database\): make it and its folder writable/],
    ['SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database', /cannot be written \(SQLITE_READONLY_DBMOVED/],
    ['SQLITE_CANTOPEN', 'unable to open database file', /cannot open the ledger \/srv\/advisory\/var\/advisory\.db \(SQLITE_CANTOPEN: unable to open database file\): its folder must exist and be writable/],
    ['SQLITE_IOERR_WRITE', 'disk I/O error', /reading or writing the ledger .* failed \(SQLITE_IOERR_WRITE: disk I\/O error\): check the disk/],
  ];
  for (const [code, message, expected] of cases) {
    it(`${code}: one line that names the ledger and says what to do`, () => {
      const m = faultMessage(sqlite(code, message), ctx);
      expect(m).toMatch(expected);
      expect(m).not.toContain('\n');
    });
  }

  it('without a project root it still says which file it is about', () => {
    expect(faultMessage(sqlite('SQLITE_BUSY', 'database is locked'))).toMatch(/^the ledger \(var\/advisory\.db\) is in use by another process/);
  });

  it('a constraint or a syntax error in our own SQL is a bug, not a fault', () => {
    expect(faultMessage(sqlite('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: deliveries.key'), ctx)).toBeNull();
    expect(faultMessage(sqlite('SQLITE_ERROR', 'no such table: deliveries'), ctx)).toBeNull();
  });
});

describe('faultMessage: the disk (Node system errors)', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['ENOSPC', { syscall: 'open', path: '/srv/advisory/var/site/index.html' }, /^no space left on the disk while writing \/srv\/advisory\/var\/site\/index\.html \(ENOSPC, open\): free some space, then run the command again$/],
    ['ENOSPC', { syscall: 'write' }, /^no space left on the disk while writing a file under \/srv\/advisory \(ENOSPC, write\)/],
    ['EDQUOT', { syscall: 'write', path: '/srv/advisory/var/x' }, /^disk quota exceeded while writing \/srv\/advisory\/var\/x \(EDQUOT, write\): free some space or ask for a larger quota/],
    ['EROFS', { syscall: 'open', path: '/srv/advisory/var/x' }, /^cannot write \/srv\/advisory\/var\/x: the disk is mounted read-only \(EROFS, open\): remount it read-write/],
    ['EACCES', { syscall: 'open', path: '/srv/advisory/var/x' }, /^permission denied on \/srv\/advisory\/var\/x \(EACCES, open\): give the user running advisory access to it/],
    ['EPERM', { syscall: 'rename', path: '/srv/advisory/var/x' }, /^permission denied on \/srv\/advisory\/var\/x \(EPERM, rename\)/],
    ['EIO', { syscall: 'read', path: '/srv/advisory/var/x' }, /^input\/output error on \/srv\/advisory\/var\/x \(EIO, read\): the disk may be failing/],
    ['ENOENT', { syscall: 'mkdir', path: '/srv/advisory/var' }, /^cannot create the folder \/srv\/advisory\/var \(ENOENT, mkdir\): .*read-only/],
  ];
  for (const [code, extra, expected] of cases) {
    it(`${code} (${String(extra.syscall)}${extra.path ? '' : ', no path'})`, () => {
      expect(faultMessage(system(code, 'x', extra), ctx)).toMatch(expected);
    });
  }

  it('a missing file that is not a folder being made is a bug (ENOENT on open)', () => {
    expect(faultMessage(system('ENOENT', 'no such file', { syscall: 'open', path: '/srv/advisory/var/x' }), ctx)).toBeNull();
  });
});

describe('faultMessage: addresses', () => {
  it('a busy port, a privileged port and an address not of this machine (listen)', () => {
    expect(faultMessage(system('EADDRINUSE', 'address already in use', { syscall: 'listen', address: '127.0.0.1', port: 4321 }))).toBe(
      'port 4321 on 127.0.0.1 is already in use: stop the other program or pick another with --port N',
    );
    expect(faultMessage(system('EACCES', 'permission denied', { syscall: 'listen', address: '127.0.0.1', port: 80 }))).toMatch(/^port 80 on 127\.0\.0\.1 needs more privileges .*--port N/);
    expect(faultMessage(system('EADDRNOTAVAIL', 'address not available', { syscall: 'listen', address: '192.0.2.1', port: 4321 }))).toMatch(/^192\.0\.2\.1 is not an address of this machine \(EADDRNOTAVAIL\)/);
  });

  it('a host name that does not resolve (getaddrinfo)', () => {
    expect(faultMessage(system('ENOTFOUND', 'getaddrinfo ENOTFOUND nosuch.invalid', { syscall: 'getaddrinfo', hostname: 'nosuch.invalid' }))).toMatch(/^cannot look up the host name "nosuch\.invalid" \(ENOTFOUND\)/);
  });
});

describe('faultMessage: everything else stays a bug', () => {
  it('a TypeError, a thrown string, null', () => {
    expect(faultMessage(new TypeError("Cannot read properties of undefined (reading 'id')"), ctx)).toBeNull();
    expect(faultMessage('boom', ctx)).toBeNull();
    expect(faultMessage(null, ctx)).toBeNull();
  });

  it('a fault found as the cause of another error is still a fault', () => {
    const wrapped = new Error('could not record the delivery', { cause: sqlite('SQLITE_FULL', 'database or disk is full') });
    expect(faultMessage(wrapped, ctx)).toMatch(/is full \(SQLITE_FULL/);
  });
});

describe('faultError', () => {
  it('is a StateError with the message, the original code, and the original error as its cause', () => {
    const original = sqlite('SQLITE_BUSY', 'database is locked');
    const e = faultError(original, ctx);
    expect(e).toBeInstanceOf(StateError);
    expect(e?.code).toBe('SQLITE_BUSY');
    expect(e?.message).toBe(faultMessage(original, ctx));
    expect(e?.cause).toBe(original);
    expect(faultError(new RangeError('bug'), ctx)).toBeNull();
  });
});
