/** Subscriber lists (pure): encodings, CSV quoting, header columns, names, the export's CSV. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentError } from '../../src/errors.js';
import type { Subscriber } from '../../src/delivery/store/index.js';
import {
  ADDRESS_HEADERS, cleanName, csvRecords, decodeSubscriberList, formatSubscriberCsv, formulaSafe, MAX_NAME_CHARS, NAME_HEADERS, parseSubscriberList,
} from '../../src/delivery/subscriber-list.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/subscribers');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const read = (name: string) => {
  const { text, encoding } = decodeSubscriberList(fixture(name), name);
  return { encoding, ...parseSubscriberList(text, name) };
};
const pairs = (p: { entries: Array<{ address: string; name?: string }> }) => p.entries.map((e) => [e.address, e.name]);

describe('decoding a list', () => {
  it('reads GBK as Excel on Chinese Windows saves it (names intact, not U+FFFD)', () => {
    const bytes = fixture('excel-gbk.csv');
    // The fixture really is GBK: 张三 is D5C5 C8FD, and the bytes are not UTF-8.
    expect(bytes.includes(Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]))).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const list = read('excel-gbk.csv');
    expect(list.encoding).toBe('GBK/GB18030');
    expect(pairs(list)).toEqual([['zhang.san@example.org', '张三'], ['li.si@example.org', '李四'], ['wang.wu@example.cn', '王五']]);
    expect(JSON.stringify(list)).not.toContain('\uFFFD');
  });

  it('reads GB18030 characters outside GBK (four-byte sequences)', () => {
    expect(fixture('gb18030.csv').includes(Buffer.from([0x82, 0x35, 0x87, 0x39]))).toBe(true);
    expect(pairs(read('gb18030.csv'))).toEqual([['a@example.org', '\u4DB6先生']]);
  });

  it('reads UTF-8 with a BOM (the BOM is not part of the first header)', () => {
    const list = read('excel-utf8-bom.csv');
    expect(list.encoding).toBe('UTF-8');
    expect(list.columns.header).toEqual(['邮箱地址', '名字']);
    expect(pairs(list)).toEqual([['zhao@example.org', '赵六'], ['qian@example.org', '钱七']]);
  });

  it.each([
    ['excel-unicode-utf16le.txt', 'UTF-16LE', [['sun@example.org', '孙八'], ['zhou@example.org', '周九']]],
    ['utf16le-no-bom.csv', 'UTF-16LE', [['wu@example.org', '吴十'], ['zheng@example.org', '郑一']]],
    ['utf16be-bom.csv', 'UTF-16BE', [['feng@example.org', '冯二']]],
    ['utf16be-no-bom.csv', 'UTF-16BE', [['chen@example.org', '陈一']]],
  ])('reads %s as %s, with or without a BOM', (name, encoding, expected) => {
    const list = read(name);
    expect(list.encoding).toBe(encoding);
    expect(list.invalid).toEqual([]);
    expect(pairs(list)).toEqual(expected);
  });

  it('refuses bytes that are no text in any of them, saying how to save the file', () => {
    const bad = Uint8Array.from([0x61, 0x40, 0x62, 0x2e, 0x63, 0x6e, 0xff, 0xff, 0xff, 0x0a]);
    expect(() => decodeSubscriberList(bad, 'x.csv')).toThrow(ContentError);
    expect(() => decodeSubscriberList(bad, 'x.csv')).toThrow(/neither UTF-8, GBK\/GB18030 nor UTF-16.*CSV UTF-8/);
  });
});

describe('CSV records', () => {
  it('keeps commas, doubled quotes and line breaks inside quotes; CRLF, LF and CR end records; numbers the line each starts on', () => {
    const { records, problems } = csvRecords('a,"b, c"\r\n"say ""hi""",x\n"two\r\nlines",y\rlast,"",z', ',');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b, c'] },
      { line: 2, cells: ['say "hi"', 'x'] },
      { line: 3, cells: ['two\r\nlines', 'y'] },
      { line: 5, cells: ['last', '', 'z'] },
    ]);
  });

  it('skips blank lines, rows of empty cells and # comments, and reports an unclosed quote where it opened', () => {
    const { records, problems } = csvRecords('# list\n\n,,,\na@example.org\n"b@example.org,oops\nc@example.org\n', ',');
    expect(records).toEqual([{ line: 4, cells: ['a@example.org'] }]);
    expect(problems).toEqual([{ line: 5, message: expect.stringContaining('never closed') }]);
  });
});

describe('header columns', () => {
  it.each(ADDRESS_HEADERS)('finds the address column named "%s", in any position', (title) => {
    const list = parseSubscriberList(`id,${title},city\n1,a@example.org,济南\n`);
    expect(list.columns.address).toBe(1);
    expect(pairs(list)).toEqual([['a@example.org', undefined]]);
  });

  it.each(NAME_HEADERS)('finds the name column named "%s"', (title) => {
    expect(pairs(parseSubscriberList(`${title},备注,邮箱\n王丽,x,a@example.org\n`))).toEqual([['a@example.org', '王丽']]);
  });

  it('matches case, spaces, dashes and underscores loosely (EMAIL, E_Mail, email_address)', () => {
    for (const title of ['EMAIL', 'E_Mail', 'email_address', ' Email  Address ']) expect(parseSubscriberList(`${title}\na@example.org\n`).entries).toHaveLength(1);
  });

  it('prefers an e-mail column to a generic "address" one (a postal address)', () => {
    const list = parseSubscriberList('name,address,email\n王丽,"山东省济南市, 章丘区",wang@example.org\n');
    expect(pairs(list)).toEqual([['wang@example.org', '王丽']]);
  });

  it('joins first and last name when there is no name column (Mailchimp)', () => {
    const list = read('mailchimp.csv');
    expect(pairs(list)).toEqual([['jane.doe@example.com', 'Jane Doe'], ['john@example.com', 'John']]);
    expect(list.invalid).toEqual([]);
  });

  it('honours a status column: only subscribed rows are imported (listmonk: blocklisted ones never come back)', () => {
    const list = read('listmonk.csv');
    expect(pairs(list)).toEqual([['ok@example.org', 'Liu, Wei'], ['new@example.org', 'multi line name']]);
    expect(list.notActive).toEqual([{ line: 3, address: 'blocked@example.org', status: 'blocklisted' }]);
    const odd = parseSubscriberList('email,status\na@example.org,maybe\nb@example.org,\n');
    expect(odd.invalid).toEqual([{ line: 2, message: expect.stringContaining('unknown status "maybe"') }]);
    expect(pairs(odd)).toEqual([['b@example.org', undefined]]);
  });

  it('a header without an address column is an error naming what was found and what is accepted', () => {
    let err: unknown;
    try {
      parseSubscriberList('姓名,手机,邮件\n张三,138,zhang@example.org\n', 'people.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ContentError);
    const [p] = (err as ContentError).problems;
    expect(p).toMatchObject({ file: 'people.csv', line: 1, rule: 'list-no-address-column' });
    expect(p.message).toContain('Found: "姓名", "手机", "邮件"');
    expect(p.message).toContain('email, e-mail, email address');
    expect(p.message).toContain('邮箱, 电子邮箱, 邮件地址, 电子邮件, 邮箱地址');
  });

  it('without a header: address first, then the name (as before); tab- and semicolon-separated lists too', () => {
    expect(pairs(parseSubscriberList('a@example.org,王丽\nb@example.org\n'))).toEqual([['a@example.org', '王丽'], ['b@example.org', undefined]]);
    expect(parseSubscriberList('a@example.org\n').columns.header).toBeNull();
    expect(pairs(parseSubscriberList('a@example.org\tLi, Si\n'))).toEqual([['a@example.org', 'Li, Si']]);
    expect(pairs(parseSubscriberList('Email;Name\na@example.org;Müller\n'))).toEqual([['a@example.org', 'Müller']]);
  });
});

describe('lines and names', () => {
  it('reports invalid addresses by the line they are on (a quoted line break counts), keeps the rest, and counts repeats', () => {
    const text = 'email,name\n"good@example.org","two\nlines"\nbad-address,x\n,no address\nGOOD@example.org,again\nx@localhost,y\n';
    const list = parseSubscriberList(text);
    expect(pairs(list)).toEqual([['good@example.org', 'two lines']]);
    expect(list.duplicates).toBe(1);
    expect(list.invalid).toEqual([
      { line: 4, message: 'invalid address "bad-address": has no @ (write it like name@example.org)' },
      { line: 5, message: 'no address (column "email")' },
      { line: 7, message: expect.stringMatching(/^invalid address "x@localhost": "localhost" is not a mail domain/) },
    ]);
  });

  it(`cuts a name longer than ${MAX_NAME_CHARS} characters (a warning with the line) between whole characters`, () => {
    const long = '很'.repeat(60);
    const list = parseSubscriberList(`email,name\na@example.org,${long}\nb@example.org,${'好'.repeat(MAX_NAME_CHARS)}\n`);
    expect(list.entries[0].name).toBe('很'.repeat(MAX_NAME_CHARS));
    expect(list.entries[1].name).toBe('好'.repeat(MAX_NAME_CHARS));
    expect(list.warnings).toEqual([{ line: 2, message: expect.stringContaining(`longer than ${MAX_NAME_CHARS} characters`) }]);
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // one character on screen, five code points
    const cut = cleanName(`${'x'.repeat(MAX_NAME_CHARS - 2)}${family}`);
    expect(cut).toEqual({ name: 'x'.repeat(MAX_NAME_CHARS - 2), cut: true });
  });

  it('strips control characters, line breaks and direction overrides from names', () => {
    expect(cleanName('王\u0000丽\r\n\t先生\u0007')).toEqual({ name: '王 丽 先生', cut: false });
    expect(cleanName('evil\u202Egpj.exe')).toEqual({ name: 'evil gpj.exe', cut: false });
    expect(cleanName('a\u2028b')).toEqual({ name: 'a b', cut: false });
    expect(cleanName(' \u0001 ')).toEqual({ cut: false });
  });
});

describe('the export CSV', () => {
  const sub = (over: Partial<Subscriber>): Subscriber => ({
    id: 's-0000000000000001', address: 'a@example.org', name: null, unsubscribeToken: 'u.s-0000000000000001.SECRETTOKEN', status: 'active', source: 'cli',
    bounces: 0, lastBounce: null, createdAt: '2014-09-01T00:00:00.000Z', updatedAt: '2014-09-01T00:00:00.000Z', confirmedAt: '2014-09-01T00:00:00.000Z', unsubscribedAt: null, ...over,
  });

  it('is UTF-8 with a BOM, CRLF, a header, quoted where needed, and never the token', () => {
    const { csv } = formatSubscriberCsv([sub({ name: '王丽, "小王"' }), sub({ id: 's-2', address: 'b@example.org', status: 'unsubscribed', unsubscribedAt: '2014-09-02T00:00:00.000Z', unsubscribeToken: 'u.s-2.OTHERTOKEN' })]);
    expect(csv.startsWith('\uFEFFemail,name,status,source,created_at,confirmed_at,unsubscribed_at,bounces\r\n')).toBe(true);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFemail,name,status,source,created_at,confirmed_at,unsubscribed_at,bounces',
      'a@example.org,"王丽, ""小王""",active,cli,2014-09-01T00:00:00.000Z,2014-09-01T00:00:00.000Z,,0',
      'b@example.org,,unsubscribed,cli,2014-09-01T00:00:00.000Z,2014-09-01T00:00:00.000Z,2014-09-02T00:00:00.000Z,0',
      '',
    ]);
    expect(csv).not.toMatch(/TOKEN|u\.s-/);
  });

  it('strips the characters a spreadsheet runs as a formula from the start of every cell, and names the addresses it changed', () => {
    for (const [raw, safe] of [['=HYPERLINK("http://x")', 'HYPERLINK("http://x")'], ['+1+2', '1+2'], ['-2+3', '2+3'], ['@SUM(A1)', 'SUM(A1)'], ['\t=1', '1'], ['\r-=@+x', 'x'], ['王=丽', '王=丽']]) {
      expect(formulaSafe(raw)).toBe(safe);
    }
    const { csv, altered } = formatSubscriberCsv([sub({ name: '=cmd|\' /C calc\'!A0', source: 'import:@evil.csv' }), sub({ address: '-x@example.org' })]);
    const cells = csv.split('\r\n').slice(1, 3).flatMap((r) => r.split(','));
    expect(cells.filter((c) => /^"?[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(csv).toContain(`cmd|' /C calc'!A0`);
    expect(csv).toContain('import:@evil.csv'); // only a cell's start matters
    expect(altered).toEqual(['-x@example.org']);
  });

  it('reads back as the same subscribed list (addresses, names), not-active rows left out', () => {
    const subs = [sub({ name: '王丽' }), sub({ address: 'b@example.org', name: 'Li, "Si"' }), sub({ address: 'c@example.org', status: 'unsubscribed' }), sub({ address: 'd@example.org', status: 'bounced', bounces: 3 }), sub({ address: 'e@example.org', status: 'pending' })];
    const { csv } = formatSubscriberCsv(subs);
    const { text, encoding } = decodeSubscriberList(Buffer.from(csv), 'export.csv');
    expect(encoding).toBe('UTF-8');
    const back = parseSubscriberList(text, 'export.csv');
    expect(pairs(back)).toEqual([['a@example.org', '王丽'], ['b@example.org', 'Li, "Si"']]);
    expect(back.notActive.map((n) => [n.address, n.status])).toEqual([['c@example.org', 'unsubscribed'], ['d@example.org', 'bounced'], ['e@example.org', 'pending']]);
  });
});
