/**
 * The dispatcher lock as a lease with a fencing generation, on a real SQLite
 * file, with the holders' identities and the wall clock injected: how each
 * kind of holder is judged (alive, unresponsive, dead, expired, released),
 * and that a store fenced by a lost generation commits nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LockTable, selfIdentity } from '../../../src/delivery/store/sqlite/locks.js';
import { openLedger } from '../../../src/delivery/store/sqlite/ledger.js';
import { LockLostError } from '../../../src/delivery/store/index.js';
import { processAlive, processStart } from '../../../src/fs/process-alive.js';
import { newDelivery } from '../helpers.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function ledgerDb(): Promise<Database.Database> {
  dir = mkdtempSync(join(tmpdir(), 'advisory-locks-'));
  await openLedger(dir).close();
  return new Database(join(dir, 'advisory.db'));
}

/** A pid that certainly exited (a child that ran and was reaped). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('dispatcher lock', () => {
  it('on one host: a live holder keeps it, even when its heartbeat is old (frozen); a dead one is taken over with a new generation', async () => {
    const db = await ledgerDb();
    let wall = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => new Date(wall);
    const me = selfIdentity();
    const first = new LockTable(db, me, clock);
    const got = first.acquire('dispatcher', 'advisory run', 3_000);
    expect(got).toMatchObject({ held: { generation: 1, leaseMs: 3_000 } });
    // Another process on this host: this process is alive, so it is refused, whatever the heartbeat.
    const other = new LockTable(db, { pid: deadPid(), host: me.host, start: null }, clock);
    expect(other.acquire('dispatcher', 'advisory publish')).toMatchObject({ holder: { pid: process.pid, state: 'alive' } });
    wall += 60_000;
    expect(other.acquire('dispatcher', 'advisory publish')).toMatchObject({ holder: { state: 'unresponsive', heartbeatAgeMs: 60_000 } });
    // The same pid but another process start (pid reuse) is not the holder: dead, taken over.
    db.prepare(`UPDATE locks SET process_start = 'not-this-process'`).run();
    const taken = other.acquire('dispatcher', 'advisory publish');
    expect(taken).toMatchObject({ held: { generation: 2 } });
    expect(() => first.check({ name: 'dispatcher', generation: 1, leaseMs: 3_000 })).toThrow(LockLostError);
    expect(first.heartbeat({ name: 'dispatcher', generation: 1, leaseMs: 3_000 })).toBe(false);
    db.close();
  });

  it('from another host: judged by its heartbeat against its own lease', async () => {
    const db = await ledgerDb();
    let wall = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => new Date(wall);
    const a = new LockTable(db, { pid: 1234, host: 'host-a', start: null }, clock);
    const b = new LockTable(db, { pid: 1234, host: 'host-b', start: null }, clock);
    const held = a.acquire('dispatcher', 'advisory run', 10_000);
    expect('held' in held).toBe(true);
    wall += 9_000;
    expect(b.acquire('dispatcher', 'advisory run')).toMatchObject({ holder: { host: 'host-a', state: 'alive' } });
    expect(a.heartbeat((held as { held: { name: string; generation: number; leaseMs: number } }).held)).toBe(true);
    wall += 10_001;
    expect(b.describe('dispatcher')).toMatchObject({ state: 'expired' });
    expect(b.acquire('dispatcher', 'advisory run')).toMatchObject({ held: { generation: 2 } });
    expect(a.describe('dispatcher')).toMatchObject({ host: 'host-b', generation: 2 });
    db.close();
  });

  it('a released lock is free, and its generation keeps counting (a stale holder can never match a new one)', async () => {
    const db = await ledgerDb();
    const me = new LockTable(db);
    const g1 = me.acquire('dispatcher', 'advisory publish');
    if (!('held' in g1)) throw new Error('not acquired');
    me.release(g1.held);
    expect(me.holder('dispatcher')).toBeNull();
    expect(me.describe('dispatcher')).toMatchObject({ state: 'released' });
    expect(me.acquire('dispatcher', 'advisory publish')).toMatchObject({ held: { generation: 2 } });
    db.close();
  });

  it('a store fenced by a lost generation commits nothing: every state change is refused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'advisory-locks-'));
    const a = openLedger(dir);
    const d = newDelivery('weibo', 1, '2014-09-29T01:00:00Z');
    await a.createDeliveries('occ', [d], new Date());
    const got = await a.acquireLock('dispatcher', 'advisory run', 5_000);
    expect('held' in got).toBe(true);
    expect(await a.markSending(d.key, new Date())).toEqual({ attempt: 1 });
    // A dispatcher on another host, a minute later by its clock: our heartbeat is past its lease, so it takes over.
    const raw = new Database(join(dir, 'advisory.db'));
    const elsewhere = new LockTable(raw, { pid: 1, host: 'elsewhere', start: null }, () => new Date(Date.now() + 60_000));
    expect(elsewhere.acquire('dispatcher', 'advisory run')).toMatchObject({ held: { generation: 2 } });
    raw.close();
    await expect(a.markSent(d.key, 1, { id: 'x', at: '2014-09-29T01:00:01Z' }, new Date())).rejects.toThrow(/lost the dispatcher lock \(generation 1\), now held by advisory run \(pid \d+ on elsewhere, generation 2\)/);
    await expect(a.checkFence()).rejects.toThrow(LockLostError);
    expect((await a.get(d.key))!.state).toBe('sending');
    await a.close();
  });
});

describe('process liveness', () => {
  it('the pid and the start time: this process is alive, a reaped child is not, a recorded start that differs is not', () => {
    expect(processAlive(process.pid, processStart(process.pid))).toBe(true);
    expect(processAlive(deadPid())).toBe(false);
    expect(processAlive(process.pid, 'some-other-start')).toBe(process.platform !== 'linux');
  });
});
