/**
 * The SQLite backend (`<varDir>/advisory.db`): the store contract, and what
 * only SQLite can show (its audit log refuses changes in the database itself).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/delivery/store/index.js';
import { LockTable } from '../../../src/delivery/store/sqlite/locks.js';
import { openLedger } from '../../../src/delivery/store/sqlite/ledger.js';
import { storeContract } from './contract.js';

const dirs: string[] = [];
const removeDirs = () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
};
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'advisory-store-'));
  dirs.push(d);
  return d;
};

storeContract('sqlite', {
  open: () => openStore({ kind: 'sqlite', varDir: tmp() }),
  reopen: (store) => openStore({ kind: 'sqlite', varDir: dirname(store.location) }),
  // A holder on this host is judged by its process, and this process is alive: so the one taking over acts as a
  // dispatcher on another host whose clock is past the holder's lease.
  async takeOver(store, name) {
    const db = new Database(store.location);
    try {
      const elsewhere = new LockTable(db, { pid: 1, host: 'elsewhere', start: null }, () => new Date(Date.now() + 10 * 60_000));
      const r = elsewhere.acquire(name, 'advisory run');
      if (!('held' in r)) throw new Error(`the takeover was refused: ${JSON.stringify(r.holder)}`);
    } finally {
      db.close();
    }
  },
  cleanup: removeDirs,
});

describe('SQLite: the audit log is append-only in the database itself', () => {
  afterEach(removeDirs);

  it('an UPDATE or DELETE of audit_log is refused by its triggers', async () => {
    const s = openLedger(tmp());
    try {
      await s.recordApproval('2014-national-day', 'h1', '王警官', new Date());
      expect(() => s.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      expect(() => s.db.prepare(`UPDATE audit_log SET event = 'x'`).run()).toThrow(/append-only/);
      expect(await s.auditLog({ event: 'approval' })).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
