/**
 * Recorded occurrences in the real SQLite ledger: the intent and every
 * delivery in one transaction (a kill inside it leaves nothing), the e-mail
 * fan-out done by the store with each recipient's data frozen, a payload
 * stored once, waiting channels completed later, an empty or foreign file
 * refused, and a ledger of the previous schema upgraded with its history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../../src/delivery/store/sqlite/ledger.js';
import { MIGRATIONS } from '../../../src/delivery/store/sqlite/migrations.js';
import { FANOUT_CHUNK } from '../../../src/delivery/store/sqlite/rows.js';
import type { NewDelivery, OccurrenceRecord } from '../../../src/delivery/store/types.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => openLedger((dir = mkdtempSync(join(tmpdir(), 'advisory-occ-'))));
const at = new Date('2014-09-29T01:00:00Z');

function occurrence(key = 'c/bulletin/2014-09-29T01:00:00Z'): OccurrenceRecord {
  return {
    key, campaign: 'c', schedule: 'bulletin', kind: 'manual', dueUtc: '2014-09-29T01:00:00Z', windowEndsUtc: '2014-09-29T07:00:00Z', contentHash: 'h',
    channels: [{ channel: 'wechat', baseKey: 'c/bulletin/wechat/2014-09-29T01:00:00Z' }, { channel: 'email', baseKey: 'c/bulletin/email/2014-09-29T01:00:00Z' }],
    detail: { key }, requestedBy: '王警官', createdAt: at.toISOString(),
  };
}

const part = (channel: 'wechat' | 'email', body: Record<string, unknown>): NewDelivery => ({
  key: `c/bulletin/${channel}/2014-09-29T01:00:00Z`, campaign: 'c', schedule: 'bulletin', channel, recipient: null, dueUtc: '2014-09-29T01:00:00Z',
  windowEndsUtc: '2014-09-29T07:00:00Z', payload: { channel, kind: 'test', label: channel, body }, contentHash: 'h', state: 'pending',
});

describe('recorded occurrences', () => {
  it('records the intent and every channel, the e-mail fanned out to each active subscriber with their data frozen, in one go', async () => {
    const s = fresh();
    const n = FANOUT_CHUNK * 2 + 7;
    for (let i = 0; i < n; i++) await s.addSubscriber({ address: `r${i}@example.org`, name: i % 2 ? `居民${i}` : undefined }, at);
    await s.unsubscribeAddress('r3@example.org', at);
    const steps: string[] = [];
    const r = await s.recordOccurrence(occurrence(), [
      { channel: 'wechat', baseKey: 'c/bulletin/wechat/2014-09-29T01:00:00Z', deliveries: [part('wechat', { a: 1 })] },
      { channel: 'email', baseKey: 'c/bulletin/email/2014-09-29T01:00:00Z', fanOut: [part('email', { html: '%%RECIPIENT_NAME%%' })] },
    ], at, (step) => steps.push(step));
    expect(r).toEqual({ recorded: true, created: 1 + n - 1 });
    expect(steps).toEqual(['occurrence', 'channel', 'fanout', 'fanout', 'fanout', 'channel']);
    const emails = (await s.list({ occurrence: occurrence().key })).filter((d) => d.channel === 'email');
    expect(emails).toHaveLength(n - 1);
    const one = emails.find((d) => d.recipientData?.address === 'r1@example.org')!;
    const sub = (await s.subscriberByAddress('r1@example.org'))!;
    expect(one).toMatchObject({ key: `c/bulletin/email/2014-09-29T01:00:00Z/${sub.id}`, recipient: sub.id, occurrence: occurrence().key, state: 'pending' });
    expect(one.recipientData).toEqual({ address: 'r1@example.org', name: '居民1', unsubscribeToken: sub.unsubscribeToken });
    // One payload row for all of them.
    expect(new Set(emails.map((d) => d.payloadSha256)).size).toBe(1);
    expect((s.db.prepare('SELECT count(*) AS n FROM payloads').get() as { n: number }).n).toBe(2);
    expect((await s.occurrenceChannels(occurrence().key)).map((c) => c.state)).toEqual(['created', 'created']);
    // The same occurrence again: nothing.
    expect(await s.recordOccurrence(occurrence(), [], at)).toEqual({ recorded: false, created: 0 });
    await s.close();
  });

  it('a failure inside the transaction (a kill, here a throw mid fan-out) leaves nothing recorded', async () => {
    const s = fresh();
    for (let i = 0; i < FANOUT_CHUNK + 1; i++) await s.addSubscriber({ address: `r${i}@example.org` }, at);
    await expect(s.recordOccurrence(occurrence(), [
      { channel: 'wechat', baseKey: 'c/bulletin/wechat/2014-09-29T01:00:00Z', deliveries: [part('wechat', {})] },
      { channel: 'email', baseKey: 'c/bulletin/email/2014-09-29T01:00:00Z', fanOut: [part('email', {})] },
    ], at, (step) => {
      if (step === 'fanout') throw new Error('killed');
    })).rejects.toThrow('killed');
    expect(await s.occurrence(occurrence().key)).toBeUndefined();
    expect(await s.list()).toEqual([]);
    await s.close();
  });

  it('a channel that did not render waits, with why, and is created later', async () => {
    const s = fresh();
    await s.addSubscriber({ address: 'a@example.org' }, at);
    await s.recordOccurrence(occurrence(), [
      { channel: 'wechat', baseKey: 'c/bulletin/wechat/2014-09-29T01:00:00Z', deliveries: [part('wechat', {})] },
      { channel: 'email', baseKey: 'c/bulletin/email/2014-09-29T01:00:00Z', error: 'templates/email/message.hbs:44:3: Parse error' },
    ], at);
    expect(await s.waitingChannels()).toMatchObject([{ channel: 'email', error: 'templates/email/message.hbs:44:3: Parse error', occurrence: { key: occurrence().key } }]);
    expect(await s.completeChannel(occurrence().key, { channel: 'email', baseKey: 'x', error: 'still broken' }, at)).toBe(0);
    expect((await s.waitingChannels())[0].error).toBe('still broken');
    expect(await s.completeChannel(occurrence().key, { channel: 'email', baseKey: 'c/bulletin/email/2014-09-29T01:00:00Z', fanOut: [part('email', {})] }, at)).toBe(1);
    expect(await s.waitingChannels()).toEqual([]);
    expect(await s.completeChannel(occurrence().key, { channel: 'email', baseKey: 'c/bulletin/email/2014-09-29T01:00:00Z', fanOut: [part('email', {})] }, at)).toBe(0);
    await s.close();
  });
});

describe('opening the ledger', () => {
  it('refuses an empty file instead of starting a new ledger over it', () => {
    dir = mkdtempSync(join(tmpdir(), 'advisory-occ-'));
    writeFileSync(join(dir, 'advisory.db'), '');
    expect(() => openLedger(dir)).toThrow(/advisory\.db is empty \(0 bytes\), so it is not opened as the ledger .*Restore the ledger from a backup; or, to start an empty ledger on purpose, move the file away/);
  });

  it('refuses another program\'s SQLite database, and a file that is not SQLite', () => {
    dir = mkdtempSync(join(tmpdir(), 'advisory-occ-'));
    const other = new Database(join(dir, 'advisory.db'));
    other.exec('CREATE TABLE notes (t TEXT)');
    other.close();
    expect(() => openLedger(dir)).toThrow(/is an SQLite database but not an advisory ledger/);
    writeFileSync(join(dir, 'advisory.db'), 'not a database at all, just some text that is long enough to be a header'.repeat(20));
    expect(() => openLedger(dir)).toThrow(/is not an SQLite database \(damaged or overwritten\)/);
  });

  it('upgrades a ledger of the previous schema: payloads kept, each earlier publish recorded as an occurrence', async () => {
    dir = mkdtempSync(join(tmpdir(), 'advisory-occ-'));
    const old = new Database(join(dir, 'advisory.db'));
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    const row = old.prepare(`INSERT INTO deliveries (key, campaign, schedule, channel, recipient, due_utc, window_ends_utc, state, payload, payload_sha256, content_hash, created_at, updated_at)
      VALUES (?, 'c', 'manual', ?, NULL, '2014-09-28T02:00:00Z', '2014-09-28T08:00:00Z', 'sent', ?, ?, 'h1', '2014-09-28T02:00:00Z', '2014-09-28T02:00:00Z')`);
    row.run('c/manual/weibo/2014-09-28T02:00:00Z', 'weibo', '{"body":{"status":"x"}}', 'sha-w');
    row.run('c/manual/website/2014-09-28T02:00:00Z', 'website', '{"body":{}}', 'sha-s');
    old.close();
    const s = openLedger(dir);
    expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(await s.get('c/manual/weibo/2014-09-28T02:00:00Z')).toMatchObject({ payload: { body: { status: 'x' } }, payloadSha256: 'sha-w', occurrence: 'c/manual/2014-09-28T02:00:00Z' });
    expect((await s.occurrences({ campaign: 'c', kind: 'manual', contentHash: 'h1' })).map((o) => o.key)).toEqual(['c/manual/2014-09-28T02:00:00Z']);
    expect((await s.occurrenceChannels('c/manual/2014-09-28T02:00:00Z')).map((c) => `${c.channel} ${c.state}`).sort()).toEqual(['website created', 'weibo created']);
    await s.close();
  });
});
