/** `advisory subscribers import`, `add`, `list` and `remove` through the CLI entry (in process), on real fixture bytes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { withRuntime } from '../../src/cli/runtime.js';
import { subscriptions } from '../../src/app/subscriptions.js';
import type { Store } from '../../src/delivery/store/index.js';
import { tmpProject, withStore } from '../delivery/helpers.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/subscribers');
const NOW = '2014-09-20T02:00:00Z';
let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const io = (out: string[], err: string[]) => ({ out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => new Date(NOW) });
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], io(out, err), root);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const ledger = <T>(f: (s: Store) => T | Promise<T>): Promise<T> => withStore(join(root, 'var'), f);
const fixture = (name: string) => copyFileSync(join(FIXTURES, name), join(root, name));
const active = () => ledger(async (s) => (await s.subscribers('active')).map((x) => [x.address, x.name]).sort());
/** Whether the token is the subscriber's id signed with this project's link secret (what subscriptions() makes). */
const signed = (token: string, id: string) => withRuntime({ root, io: io([], []) }, async (rt) => (await subscriptions(rt)).links.verifyUnsubscribe(token) === id);

describe('advisory subscribers import', () => {
  it('imports a GBK export from Excel: names intact, the encoding and the columns said, source import:<file>, signed tokens', async () => {
    fixture('excel-gbk.csv');
    const r = await cli('subscribers', 'import', 'excel-gbk.csv');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n')).toEqual([
      'excel-gbk.csv (GBK/GB18030): 3 added, 0 already present, 0 unsubscribed earlier (skipped), 0 invalid.',
      '  the address from "电子邮箱" (column 3), the name from "姓名" (column 1), 2 other column(s) ignored.',
    ]);
    expect(await active()).toEqual([['li.si@example.org', '李四'], ['wang.wu@example.cn', '王五'], ['zhang.san@example.org', '张三']]);
    const subs = await ledger((s) => s.subscribers());
    expect(new Set(subs.map((s) => s.source))).toEqual(new Set(['import:excel-gbk.csv']));
    for (const s of subs) expect(await signed(s.unsubscribeToken, s.id)).toBe(true);
  });

  it.each([
    ['excel-utf8-bom.csv', 'UTF-8', 2],
    ['gb18030.csv', 'GBK/GB18030', 1],
    ['excel-unicode-utf16le.txt', 'UTF-16LE', 2],
    ['utf16le-no-bom.csv', 'UTF-16LE', 2],
    ['utf16be-bom.csv', 'UTF-16BE', 1],
    ['utf16be-no-bom.csv', 'UTF-16BE', 1],
    ['mailchimp.csv', 'UTF-8', 2],
  ])('imports %s, read as %s', async (name, encoding, n) => {
    fixture(name);
    const r = await cli('subscribers', 'import', name);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${name} (${encoding}): ${n} added, 0 already present, 0 unsubscribed earlier (skipped), 0 invalid.`);
    expect(JSON.stringify(await active())).not.toContain('\uFFFD');
    expect(await active()).toHaveLength(n);
  });

  it('is idempotent: importing again adds nothing and changes no id, token or audit entry', async () => {
    fixture('mailchimp.csv');
    await cli('subscribers', 'import', 'mailchimp.csv');
    const before = await ledger(async (s) => ({ subs: await s.subscribers(), audit: (await s.auditLog()).length }));
    const again = await cli('subscribers', 'import', 'mailchimp.csv');
    expect(again.out).toContain('mailchimp.csv (UTF-8): 0 added, 2 already present, 0 unsubscribed earlier (skipped), 0 invalid.');
    const after = await ledger(async (s) => ({ subs: await s.subscribers(), audit: (await s.auditLog()).length }));
    expect(after).toEqual(before);
  });

  it('reports each invalid line as file:line with what to do, imports the rest, exits 1', async () => {
    writeFileSync(join(root, 'people.csv'), '邮箱,姓名\r\nok@example.org,王丽\r\n"wrong address",张三\r\n,李四\r\nx@localhost,赵\r\n"b@example.org","Li,\r\nSi"\r\n');
    const r = await cli('subscribers', 'import', 'people.csv');
    expect(r.code).toBe(1);
    expect(r.out).toContain('people.csv (UTF-8): 2 added, 0 already present, 0 unsubscribed earlier (skipped), 3 invalid.');
    expect(r.err.split('\n')).toEqual([
      'people.csv:3: invalid address "wrong address": contains a space or one of < > ( ) [ ] \\ , ; : " (write the bare address, like name@example.org). Fix the line and import again (valid lines are not added twice).',
      'people.csv:4: no address (column "邮箱"). Fix the line and import again (valid lines are not added twice).',
      'people.csv:5: invalid address "x@localhost": "localhost" is not a mail domain (like example.org). Fix the line and import again (valid lines are not added twice).',
    ]);
    expect(await active()).toEqual([['b@example.org', 'Li, Si'], ['ok@example.org', '王丽']]);
  });

  it('says so when a file has nothing to import', async () => {
    writeFileSync(join(root, 'empty.csv'), '\uFEFFemail,name\r\n\r\n# nobody yet\r\n');
    const r = await cli('subscribers', 'import', 'empty.csv');
    expect(r).toMatchObject({ code: 0, err: 'empty.csv: warning nothing to import: the file has no lines but blank ones and comments after its header.' });
  });

  it('cuts a long name with a warning naming the line, strips control characters; exit 0', async () => {
    writeFileSync(join(root, 'long.csv'), `email,name\na@example.org,${'长'.repeat(70)}\nb@example.org,"王\u0007丽\u202E"\n`);
    const r = await cli('subscribers', 'import', 'long.csv');
    expect(r.code).toBe(0);
    expect(r.err).toBe(`long.csv:2: warning the name for a@example.org is longer than 50 characters; cut to "${'长'.repeat(50)}" (shorten it in the file to choose how).`);
    expect(await active()).toEqual([['a@example.org', '长'.repeat(50)], ['b@example.org', '王 丽']]);
  });

  it('a file without an address column: exit 1, the header found and the names accepted, nothing added', async () => {
    writeFileSync(join(root, 'people.csv'), '姓名,手机,邮件\n张三,138,zhang@example.org\n');
    const r = await cli('subscribers', 'import', 'people.csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^people\.csv:1:1: error no column of the header row is an e-mail address column\. Found: "姓名", "手机", "邮件"\. Accepted names for the address column: email, e-mail, email address, .*邮箱.*\[list-no-address-column\]$/);
    expect(await ledger((s) => s.subscribers())).toEqual([]);
  });

  it('never re-subscribes unsubscribed or bounced addresses, nor rows a status column marks not subscribed', async () => {
    await cli('subscribers', 'add', 'gone@example.org');
    await cli('subscribers', 'remove', 'gone@example.org');
    await cli('subscribers', 'add', 'dead@example.org');
    await ledger(async (s) => {
      const id = (await s.subscriberByAddress('dead@example.org'))!.id;
      for (let i = 0; i < 3; i++) await s.recordBounce(id, new Date(NOW), { code: '550', message: 'no such user' });
    });
    fixture('listmonk.csv');
    writeFileSync(join(root, 'more.csv'), 'email\ngone@example.org\ndead@example.org\n');
    const r = await cli('subscribers', 'import', 'more.csv');
    expect(r.out.split('\n')).toEqual([
      'more.csv (UTF-8): 0 added, 0 already present, 1 unsubscribed earlier (skipped), 1 bounced earlier (skipped), 0 invalid.',
      '  the address from "email" (column 1), no name column.',
      '  more.csv:2: gone@example.org unsubscribed earlier; not re-subscribed by an import (use `advisory subscribers add` if they asked to be).',
      '  more.csv:3: dead@example.org bounced earlier (mail to it was refused); not re-subscribed by an import (use `advisory subscribers add` once the address works).',
    ]);
    const lm = await cli('subscribers', 'import', 'listmonk.csv');
    expect(lm.out).toContain('listmonk.csv (UTF-8): 2 added, 0 already present, 0 unsubscribed earlier (skipped), 1 not subscribed in the file\'s status column (skipped), 0 invalid.');
    expect(lm.out).toContain('  listmonk.csv:3: blocked@example.org is "blocklisted" in the file; only active rows are imported.');
    expect(await active()).toEqual([['new@example.org', 'multi line name'], ['ok@example.org', 'Liu, Wei']]);
    expect(await ledger((s) => s.subscriberByAddress('blocked@example.org'))).toBeUndefined();
  });
});

describe('advisory subscribers add, list, remove', () => {
  it('add goes through subscriptions (signed token, source cli); re-activates a bounced address and says so', async () => {
    expect((await cli('subscribers', 'add', 'dead@example.org', '--name', '老王')).out).toBe('dead@example.org: subscribed (老王).');
    const s = (await ledger((st) => st.subscriberByAddress('dead@example.org')))!;
    expect(s.source).toBe('cli');
    expect(await signed(s.unsubscribeToken, s.id)).toBe(true);
    await ledger(async (st) => {
      for (let i = 0; i < 3; i++) await st.recordBounce(s.id, new Date(NOW), { code: '550', message: 'no such user' });
    });
    const again = await cli('subscribers', 'add', 'dead@example.org');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^dead@example\.org: subscribed again \(had bounced: 3 hard bounce\(s\), the last 2014-09-20T02:00:00\.000Z 550 no such user; the count starts again from 0 — make sure the address works now\) \(老王\)\.$/);
    expect(await ledger((st) => st.subscriberByAddress('dead@example.org'))).toMatchObject({ status: 'active', bounces: 0, id: s.id, unsubscribeToken: s.unsubscribeToken });
  });

  it('add activates a pending sign-up, cleans the name, and refuses an invalid address', async () => {
    await ledger((st) => st.addSubscriber({ address: 'p@example.org', status: 'pending', source: 'web' }, new Date(NOW)));
    expect((await cli('subscribers', 'add', 'p@example.org', '--name', 'A\r\nB')).out).toBe('p@example.org: subscribed (was waiting for the confirmation of a sign-up; now active) (A B).');
    expect((await cli('subscribers', 'add', 'a b@example.org')).code).toBe(1);
  });

  it('list counts all four states; --status filters; --json never has tokens; remove of a bounced one says so', async () => {
    for (const a of ['a@example.org', 'b@example.org', 'c@example.org']) await cli('subscribers', 'add', a, '--name', a[0]);
    await cli('subscribers', 'remove', 'b@example.org');
    await ledger(async (st) => {
      const id = (await st.subscriberByAddress('c@example.org'))!.id;
      for (let i = 0; i < 3; i++) await st.recordBounce(id, new Date(NOW), { message: 'refused' });
      await st.addSubscriber({ address: 'p@example.org', status: 'pending' }, new Date(NOW));
    });
    const all = await cli('subscribers', 'list');
    expect(all.out.split('\n')[0]).toBe('1 active, 1 pending, 1 unsubscribed, 1 bounced');
    expect(all.out.split('\n')).toHaveLength(5);
    const bounced = await cli('subscribers', 'list', '--status', 'bounced');
    expect(bounced.out.split('\n')).toEqual(['1 active, 1 pending, 1 unsubscribed, 1 bounced', expect.stringMatching(/^c@example\.org\s+bounced\s+c$/)]);
    const json = await cli('subscribers', 'list', '--json', '--status', 'active');
    expect(JSON.parse(json.out)).toEqual([expect.objectContaining({ address: 'a@example.org', status: 'active', source: 'cli' })]);
    const everything = (await cli('subscribers', 'list', '--json')).out;
    const tokens = await ledger(async (st) => (await st.subscribers()).map((s) => s.unsubscribeToken));
    for (const t of tokens) expect(everything).not.toContain(t);
    expect(everything).not.toContain('nsubscribeToken');
    expect((await cli('subscribers', 'remove', 'c@example.org')).out).toBe('c@example.org: bounced earlier; it is sent nothing already (kept as bounced).');
  });

  it('usage errors exit 2: a state that is not one, options with the wrong action', async () => {
    for (const args of [['list', '--status', 'gone'], ['export', '--json'], ['add', 'a@example.org', '--status', 'active'], ['import', 'x.csv', '--name', 'x'], ['export', 'a.csv', 'b.csv']]) {
      expect((await cli('subscribers', ...args)).code, args.join(' ')).toBe(2);
    }
    expect((await cli('subscribers', 'list', '--status', 'gone')).err).toContain('use one of pending, active, unsubscribed, bounced');
  });
});

describe('the list file is named from the folder the command runs in', () => {
  it('relative to the current folder, not to --root; a name found only in the project folder is read with a note', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'advisory-cwd-'));
    try {
      writeFileSync(join(elsewhere, 'here.csv'), 'email,name\nqian@example.com,钱七\n');
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['subscribers', 'import', 'here.csv', '--root', root], io(out, err), elsewhere);
      expect(code, err.join('\n')).toBe(0);
      expect(err.join('\n')).not.toContain('note:');
      writeFileSync(join(root, 'only-in-project.csv'), 'email\nsun@example.com\n');
      const err2: string[] = [];
      expect(await main(['subscribers', 'import', 'only-in-project.csv', '--root', root], io([], err2), elsewhere)).toBe(0);
      expect(err2.join('\n')).toContain(`note: only-in-project.csv is not in ${elsewhere}; read ${join(root, 'only-in-project.csv')}`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
