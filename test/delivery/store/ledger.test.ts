/** The SQLite ledger: deliveries created once, payloads frozen with their sha256, migrations applied once. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../../src/delivery/store/sqlite/ledger.js';
import { sha256 } from '../../../src/hash.js';
import { MIGRATIONS } from '../../../src/delivery/store/sqlite/migrations.js';
import { newDelivery } from '../helpers.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => openLedger((dir = mkdtempSync(join(tmpdir(), 'advisory-ledger-'))));

describe('ledger', () => {
  it('creates a delivery once: the same occurrence twice is a no-op', async () => {
    const s = fresh();
    const at = new Date('2014-09-29T01:00:00Z');
    const ds = [newDelivery('wechat', 1, '2014-09-29T01:00:00Z'), newDelivery('wechat', 2, '2014-09-29T01:00:00Z')];
    expect(await s.createDeliveries('occ-1', ds, at)).toBe(2);
    expect(await s.createDeliveries('occ-1', ds, at)).toBe(0);
    expect(await s.createDeliveries('occ-2', ds, at)).toBe(0);
    expect(await s.list()).toHaveLength(2);
    await s.close();
  });

  it('freezes the payload with its sha256 and keeps it through attempts', async () => {
    const s = fresh();
    const d = newDelivery('weibo', 1, '2014-09-29T01:00:00Z');
    await s.createDeliveries('occ', [d], new Date());
    const got = (await s.get(d.key))!;
    expect(got.payload).toEqual(d.payload);
    expect(got.payloadSha256).toBe(sha256(JSON.stringify(d.payload)));
    const { attempt } = (await s.markSending(d.key, new Date())) as { attempt: number };
    expect(await s.markSending(d.key, new Date())).toBe(false);
    await s.markSent(d.key, attempt, { id: '3504803600502730', at: '2014-09-29T01:00:01Z' }, new Date());
    expect(await s.get(d.key)).toMatchObject({ state: 'sent', receipt: { id: '3504803600502730' }, payloadSha256: got.payloadSha256 });
    expect(await s.attempts(d.key)).toMatchObject([{ n: 1, outcome: 'sent', receiptId: '3504803600502730' }]);
    await s.close();
  });

  it('applies migrations once and refuses a ledger from a newer version', async () => {
    const s = fresh();
    expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    await s.close();
    await openLedger(dir).close();
    const raw = new Database(join(dir, 'advisory.db'));
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openLedger(dir)).toThrow(/written by a newer advisory/);
  });

  it('upgrades subscribers of schema 4: a random id in place of sha256(address), deliveries re-keyed with it, tokens and states kept', async () => {
    dir = mkdtempSync(join(tmpdir(), 'advisory-ledger-'));
    const old = new Database(join(dir, 'advisory.db'));
    for (const m of MIGRATIONS.slice(0, 4)) typeof m === 'string' ? old.exec(m) : m(old);
    old.pragma('user_version = 4');
    const hashed = `s-${sha256('wang@example.org').slice(0, 16)}`;
    const at = '2014-09-29T01:00:00.000Z';
    old.prepare(`INSERT INTO subscribers (id, address, name, unsubscribe_token, status, created_at, updated_at) VALUES (?, 'wang@example.org', '王', 'legacy-token-1234567890', 'active', ?, ?)`).run(hashed, at, at);
    old.prepare(`INSERT INTO subscribers (id, address, name, unsubscribe_token, status, created_at, updated_at) VALUES (?, 'gone@example.org', NULL, 'legacy-token-abcdefghij', 'unsubscribed', ?, ?)`).run(`s-${sha256('gone@example.org').slice(0, 16)}`, at, at);
    old.prepare(`INSERT INTO deliveries (key, campaign, schedule, channel, recipient, due_utc, window_ends_utc, state, content_hash, created_at, updated_at)
      VALUES (?, 'c', 'manual', 'email', ?, ?, ?, 'pending', 'h', ?, ?)`).run(`c/manual/email/${at}/${hashed}`, hashed, at, at, at, at);
    old.close();
    const s = openLedger(dir);
    const wang = (await s.subscriberByAddress('wang@example.org'))!;
    expect(wang.id).toMatch(/^s-[0-9a-f]{16}$/);
    expect(wang.id).not.toBe(hashed);
    expect(wang).toMatchObject({ name: '王', status: 'active', unsubscribeToken: 'legacy-token-1234567890', source: 'cli', bounces: 0 });
    expect(await s.subscriberByAddress('gone@example.org')).toMatchObject({ status: 'unsubscribed', unsubscribedAt: at });
    const [d] = await s.list();
    expect(d).toMatchObject({ key: `c/manual/email/${at}/${wang.id}`, recipient: wang.id });
    // The token in mail already sent still works.
    expect(await s.unsubscribe('legacy-token-1234567890', new Date())).toBe(true);
    await s.close();
  });
});
