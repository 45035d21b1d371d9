import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/delivery/store/sqlite/ledger.js';
import { sha256 } from '../../src/hash.js';
import { MIGRATIONS } from '../../src/delivery/store/sqlite/migrations.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { outboxFile, safeKey } from '../../src/channels/sandbox.js';
import { newDelivery } from './helpers.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => openLedger((dir = mkdtempSync(join(tmpdir(), 'advisory-ledger-'))));

describe('ledger', () => {
  it('creates a delivery once: the same occurrence twice is a no-op', () => {
    const s = fresh();
    const at = new Date('2014-09-29T01:00:00Z');
    const ds = [newDelivery('wechat', 1, '2014-09-29T01:00:00Z'), newDelivery('wechat', 2, '2014-09-29T01:00:00Z')];
    expect(s.createDeliveries('occ-1', ds, at)).toBe(2);
    expect(s.createDeliveries('occ-1', ds, at)).toBe(0);
    expect(s.createDeliveries('occ-2', ds, at)).toBe(0);
    expect(s.list()).toHaveLength(2);
    s.close();
  });

  it('freezes the payload with its sha256 and keeps it through attempts', () => {
    const s = fresh();
    const d = newDelivery('weibo', 1, '2014-09-29T01:00:00Z');
    s.createDeliveries('occ', [d], new Date());
    const got = s.get(d.key)!;
    expect(got.payload).toEqual(d.payload);
    expect(got.payloadSha256).toBe(sha256(JSON.stringify(d.payload)));
    const { attempt } = s.markSending(d.key, new Date()) as { attempt: number };
    expect(s.markSending(d.key, new Date())).toBe(false);
    s.markSent(d.key, attempt, { id: '3504803600502730', at: '2014-09-29T01:00:01Z' }, new Date());
    expect(s.get(d.key)).toMatchObject({ state: 'sent', receipt: { id: '3504803600502730' }, payloadSha256: got.payloadSha256 });
    expect(s.attempts(d.key)).toMatchObject([{ n: 1, outcome: 'sent', receiptId: '3504803600502730' }]);
    s.close();
  });

  it('applies migrations once and refuses a ledger from a newer version', () => {
    const s = fresh();
    expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    s.close();
    openLedger(dir).close();
    const raw = new Database(join(dir, 'advisory.db'));
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openLedger(dir)).toThrow(/written by a newer advisory/);
  });
});

describe('failpoints and outbox names', () => {
  it('rejects a malformed failpoint with the expected form', () => {
    expect(() => parseFailpoints('after-send:3')).toThrow(/Expected NAME:N with NAME one of after-create, after-sending, after-publish/);
    let killed = 0;
    const f = parseFailpoints('after-sending:2', () => killed++);
    f.hit('after-sending');
    f.hit('after-publish');
    expect(killed).toBe(0);
    f.hit('after-sending');
    expect(killed).toBe(1);
  });
  it('gives every delivery key its own safe file name', () => {
    expect(safeKey('a/b:c')).not.toBe(safeKey('a_b_c'));
    expect(outboxFile('/v', 'email', 'c/s/email/2014-09-29T01:00:00Z/s-1')).toMatch(/^\/v\/outbox\/email\/c_s_email_2014-09-29T01_00_00Z_s-1\.[0-9a-f]{10}\.eml$/);
  });
});
