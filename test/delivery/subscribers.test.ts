/** `advisory subscribers` and the subscriber lines of `advisory status`, through the CLI entry (in process). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Store } from '../../src/delivery/store/index.js';
import { parseSubscriberList, validAddress } from '../../src/delivery/subscriber-list.js';
import { tmpProject, withStore } from './helpers.js';

let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function cli(args: string[], now = '2014-09-20T02:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => new Date(now) }, root);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ledger = <T>(f: (s: Store) => T | Promise<T>): Promise<T> => withStore(join(root, 'var'), f);

describe('advisory subscribers', () => {
  it('add, list, remove (kept as unsubscribed), add again', async () => {
    const a = await cli(['subscribers', 'add', 'Wang.Li@Example.org', '--name', '王丽']);
    expect(a).toMatchObject({ code: 0, out: 'wang.li@example.org: subscribed (王丽).' });
    expect((await cli(['subscribers', 'add', 'wang.li@example.org'])).out).toBe('wang.li@example.org: already subscribed (王丽).');
    expect((await cli(['subscribers', 'add', 'zhao@example.org'])).code).toBe(0);
    const listed = await cli(['subscribers', 'list']);
    expect(listed.out.split('\n')).toEqual(['2 active, 0 pending, 0 unsubscribed, 0 bounced', expect.stringMatching(/^wang\.li@example\.org\s+active\s+王丽$/), expect.stringMatching(/^zhao@example\.org\s+active$/)]);
    const removed = await cli(['subscribers', 'remove', 'ZHAO@example.org']);
    expect(removed.code).toBe(0);
    expect(removed.out).toContain('zhao@example.org: unsubscribed');
    expect((await cli(['subscribers', 'remove', 'zhao@example.org'])).out).toBe('zhao@example.org: already unsubscribed.');
    const json = JSON.parse((await cli(['subscribers', 'list', '--json'])).out);
    expect(json).toEqual([
      expect.objectContaining({ address: 'wang.li@example.org', name: '王丽', status: 'active' }),
      expect.objectContaining({ address: 'zhao@example.org', status: 'unsubscribed' }),
    ]);
    expect(JSON.stringify(json)).not.toContain('nsubscribeToken');
    expect(await ledger(async (s) => (await s.subscribers('active')).map((x) => x.address))).toEqual(['wang.li@example.org']);
    const audit = (await ledger((s) => s.auditLog())).filter((e) => e.event.endsWith('subscribed'));
    // Adding one already subscribed changes nothing and is not an event.
    expect(audit.map((e) => e.event)).toEqual(['subscribed', 'subscribed', 'unsubscribed']);
    expect((await cli(['subscribers', 'add', 'zhao@example.org'])).out).toBe('zhao@example.org: subscribed again (had unsubscribed).');
  });

  it('import: counts added / already present / invalid with line numbers; unsubscribed ones are not re-added; exit 1', async () => {
    await cli(['subscribers', 'add', 'old@example.org']);
    await cli(['subscribers', 'add', 'gone@example.org']);
    await cli(['subscribers', 'remove', 'gone@example.org']);
    const file = join(root, 'list.csv');
    writeFileSync(file, [
      'address,name',
      'new1@example.org,张三',
      '"new2@example.org","Li, Si"',
      '',
      '# a comment',
      'old@example.org',
      'not-an-address',
      'gone@example.org',
      'NEW1@example.org',
      'x@localhost',
    ].join('\n'));
    const r = await cli(['subscribers', 'import', 'list.csv']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('list.csv (UTF-8): 2 added, 2 already present, 1 unsubscribed earlier (skipped), 2 invalid.');
    expect(r.out).toContain('list.csv:8: gone@example.org unsubscribed earlier; not re-subscribed by an import');
    expect(r.err).toContain('list.csv:7: invalid address "not-an-address": has no @');
    expect(r.err).toContain('list.csv:10: invalid address "x@localhost": "localhost" is not a mail domain');
    const active = await ledger(async (s) => (await s.subscribers('active')).map((x) => [x.address, x.name]));
    expect(active).toEqual(expect.arrayContaining([['new1@example.org', '张三'], ['new2@example.org', 'Li, Si'], ['old@example.org', null]]));
    expect(active).toHaveLength(3);
    // Importing again adds nothing.
    const again = await cli(['subscribers', 'import', 'list.csv']);
    expect(again.out).toContain('0 added, 4 already present');
  });

  it('usage errors exit 2 and change nothing; invalid add and unknown remove exit 1', async () => {
    expect((await cli(['subscribers'])).code).toBe(2);
    expect((await cli(['subscribers', 'frobnicate'])).code).toBe(2);
    expect((await cli(['subscribers', 'add'])).code).toBe(2);
    expect((await cli(['subscribers', 'import', 'missing.csv'])).code).toBe(2);
    expect((await cli(['subscribers', 'remove', 'a@example.org', '--name', 'x'])).code).toBe(2);
    const bad = await cli(['subscribers', 'add', 'a b@example.org']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('invalid address "a b@example.org": contains a space');
    const unknown = await cli(['subscribers', 'remove', 'nobody@example.org']);
    expect(unknown).toMatchObject({ code: 1, err: 'nobody@example.org is not a subscriber (see `advisory subscribers list`).' });
    expect(await ledger((s) => s.subscribers())).toEqual([]);
  });

  it('validates addresses by their syntax', () => {
    for (const ok of ['a@example.org', 'first.last+tag@mail.example.com.cn', '用户@例子.中国']) expect(validAddress(ok)).toBeNull();
    for (const bad of ['', 'a@', '@example.org', 'a@@example.org', 'a.@example.org', 'a@example', 'a@-x.org', 'a@b..org', '<a@example.org>']) expect(validAddress(bad)).not.toBeNull();
    expect(parseSubscriberList('\uFEFFemail\r\na@example.org\r\n').entries).toEqual([{ line: 2, address: 'a@example.org', name: undefined }]);
  });
});

describe('advisory status and subscribers', () => {
  it('counts active subscribers and warns when e-mail is scheduled but nobody is subscribed', async () => {
    const none = await cli(['status']);
    expect(none.out).toContain('e-mail subscribers: 0 active');
    expect(none.out).toMatch(/warnings:\n {2}2014-national-day, national-day schedule e-mail but there are no active subscribers \(next e-mail firing: 2014-national-day\/bulletin\/2014-09-29T01:00:00Z\): nobody would receive it/);
    await cli(['subscribers', 'add', 'a@example.org']);
    await cli(['subscribers', 'add', 'b@example.org']);
    await cli(['subscribers', 'remove', 'b@example.org']);
    const some = await cli(['status']);
    expect(some.out).toContain('e-mail subscribers: 1 active, 1 unsubscribed');
    expect(some.out).not.toContain('warnings:');
    const json = JSON.parse((await cli(['status', '--json'])).out);
    expect(json).toMatchObject({ subscribers: { active: 1, unsubscribed: 1 }, warnings: [] });
  });
});
