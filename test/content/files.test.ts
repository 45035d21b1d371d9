/**
 * Inputs that are awkward to commit (encodings, sizes, symlinks) are built in
 * a temp copy of the valid fixture. Each must be refused with a clear message
 * at the right place: no hang, no crash.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../src/content/load.js';

const VALID = fileURLToPath(new URL('../fixtures/content/valid/', import.meta.url));
const C = 'advisories/demo/campaign.yaml';
const A = 'advisories/demo/01-burglary.md';
let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'advisory-content-'));
  outside = mkdtempSync(join(tmpdir(), 'advisory-outside-'));
  cpSync(VALID, root, { recursive: true });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});
const write = (rel: string, data: string | Buffer) => writeFileSync(join(root, rel), data);
/** Bytes that start like a PNG (check looks at the content, not only the name). */
const png = (tail: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(tail)]);
const errorsOf = () => loadProject(root).problems.filter((p) => p.severity === 'error');

describe('files that are not plain UTF-8 text', () => {
  it('GBK: says so, points at the first bad byte, and says how to convert', () => {
    const gbk = Buffer.from([0xb2, 0xe2, 0xca, 0xd4]); // 测试 in GBK
    write(A, Buffer.concat([Buffer.from('---\ntitle: '), gbk, Buffer.from('\nsummary: x\n---\nbody\n')]));
    const [e, ...rest] = errorsOf();
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: A, line: 2, column: 8, rule: 'not-utf8' });
    expect(e.message).toMatch(/not UTF-8.*GBK\/GB18030.*iconv -f GBK -t UTF-8 in\.md > out\.md.*Notepad/);
  });

  it('a UTF-8 BOM and CRLF line endings are accepted, and positions stay right', () => {
    write(C, `\uFEFFtitle: 测试公告\r\nissuer: 章丘市公安局\r\nshedule: []\r\nsummary: 测试摘要\r\n`);
    write(A, `\uFEFF---\r\ntitle: 防范\r\nsumary: x\r\nsummary: y\r\n---\r\n正文\r\n`);
    expect(errorsOf().map((p) => [p.file, p.line, p.column, p.rule])).toEqual([
      [C, 3, 1, 'unknown-key'],
      [A, 3, 1, 'unknown-key'],
    ]);
  });

  it('BOM + CRLF valid files load, body normalised to \\n', () => {
    write(A, `\uFEFF---\r\ntitle: 防范\r\nsummary: y\r\n---\r\n## 正文\r\n\r\n- 一\r\n`);
    const { campaigns, problems } = loadProject(root);
    expect(problems).toEqual([]);
    expect(campaigns[0].advisories[0]).toMatchObject({ title: '防范', body: '## 正文\n\n- 一\n', bodyLine: 5 });
  });
});

describe('hostile files are refused without hanging', () => {
  it('a file over 1 MiB is refused before it is read', () => {
    write(A, `---\ntitle: x\nsummary: y\n---\n${'安'.repeat(400_000)}`);
    const [e, ...rest] = errorsOf();
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: A, line: 1, column: 1, rule: 'file-too-large' });
    expect(e.message).toMatch(/1\.15 MiB, more than the 1 MiB allowed/);
  });

  it('a YAML alias bomb ("billion laughs") is refused', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    write(C, `${levels.join('\n')}\n`);
    const started = Date.now();
    const [e, ...rest] = errorsOf();
    expect(Date.now() - started).toBeLessThan(5_000); // generous: a hang would take forever
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: C, rule: 'yaml-alias-bomb' });
    expect(e.message).toMatch(/aliases.*expand to more than 100/);
  });

  it('a symlinked advisory pointing outside advisories/ is refused', () => {
    writeFileSync(join(outside, 'secret.md'), '---\ntitle: x\nsummary: y\n---\nsecret\n');
    symlinkSync(join(outside, 'secret.md'), join(root, 'advisories/demo/02-link.md'));
    const [e, ...rest] = errorsOf();
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: 'advisories/demo/02-link.md', line: 1, column: 1, rule: 'symlink-outside' });
    expect(e.message).toMatch(/symbolic link.*outside/);
  });

  it('a symlinked campaign folder pointing outside advisories/ is refused', () => {
    cpSync(join(root, 'advisories/demo'), join(outside, 'evil'), { recursive: true });
    symlinkSync(join(outside, 'evil'), join(root, 'advisories/evil'));
    const { campaigns, problems } = loadProject(root);
    expect(problems.map((p) => [p.file, p.rule])).toEqual([['advisories/evil', 'symlink-outside']]);
    expect(campaigns.map((c) => c.id)).toEqual(['demo']);
  });

  it('a cover image behind a symlink to outside the campaign is refused', () => {
    writeFileSync(join(outside, 'x.png'), 'not really a png');
    mkdirSync(join(root, 'advisories/demo/images'));
    symlinkSync(join(outside, 'x.png'), join(root, 'advisories/demo/images/cover.png'));
    write(C, 'title: t\nissuer: i\nsummary: s\ncover: images/cover.png\n');
    const errors = errorsOf();
    expect(errors.map((p) => [p.file, p.line, p.column, p.rule])).toEqual([[C, 4, 8, 'symlink-outside']]);
  });

  it('a symlink loop does not crash the loader', () => {
    symlinkSync(join(root, 'advisories/demo/loop.md'), join(root, 'advisories/demo/loop.md'));
    const errors = errorsOf();
    expect(errors.map((p) => [p.file, p.rule])).toEqual([['advisories/demo/loop.md', 'unreadable']]);
  });
});

describe('image references', () => {
  it('a cover that is not an image by name is refused; an existing PNG is accepted', () => {
    mkdirSync(join(root, 'advisories/demo/images'));
    write('advisories/demo/images/cover.png', png('cover'));
    write('advisories/demo/images/notes.txt', 'txt');
    write(C, 'title: t\nissuer: i\nsummary: s\ncover: images/notes.txt\n');
    expect(errorsOf().map((p) => [p.file, p.line, p.column, p.rule])).toEqual([[C, 4, 8, 'image-type']]);
    write(C, 'title: t\nissuer: i\nsummary: s\ncover: images/cover.png\n');
    expect(errorsOf()).toEqual([]);
  });

  it('a path that climbs out through .. is refused even when the file exists', () => {
    write(C, 'title: t\nissuer: i\nsummary: s\ncover: images/../../demo/../../x.png\n');
    expect(errorsOf().map((p) => [p.line, p.column, p.rule])).toEqual([[4, 8, 'image-outside']]);
  });
});

describe('content hash', () => {
  it('changes when campaign.yaml, an advisory or a referenced image changes, and only then', () => {
    mkdirSync(join(root, 'advisories/demo/images'));
    write('advisories/demo/images/cover.png', png('v1'));
    write(C, 'title: t\nissuer: i\nsummary: s\ncover: images/cover.png\n');
    const hash = () => loadProject(root).campaigns[0].contentHash;
    const h1 = hash();
    expect(hash()).toBe(h1);
    write('advisories/demo/images/unused.png', 'x');
    expect(hash()).toBe(h1);
    write('advisories/demo/images/cover.png', png('v2'));
    const h2 = hash();
    expect(h2).not.toBe(h1);
    write(A, '---\ntitle: x\nsummary: y\n---\nchanged\n');
    expect(hash()).not.toBe(h2);
  });
});
