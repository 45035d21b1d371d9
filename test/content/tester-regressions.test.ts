/**
 * Bugs found by probing `advisory check` with hand-made bad input, one test
 * per bug (named after the symptom), so they stay fixed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAdvisory, parseCampaign } from '../../src/content/parse.js';
import { cronProblem } from '../../src/content/datetime.js';
import { loadProject, projectRootProblem } from '../../src/content/load.js';

const F = 'advisories/x/campaign.yaml';
const A = 'advisories/x/01-burglary.md';
const head = 'title: 测试\nissuer: 章丘市公安局\nholiday: national-day\nsummary: 摘要\n';
const entry = (lines: string) => `${head}schedule:\n  - name: b\n    channels: [weibo]\n${lines}`;
const problemsOf = (text: string) => parseCampaign(text, F).problems.map((p) => ({ line: p.line, column: p.column, rule: p.rule, message: p.message, severity: p.severity }));

describe('Windows line endings', () => {
  it('CRLF front matter whose last line is a flow list ("tags: [a]\\r") is accepted', () => {
    const r = parseAdvisory('\uFEFF---\r\ntitle: 防范\r\nsummary: 摘要\r\ntags: [入室盗窃]\r\n---\r\n正文\r\n', A);
    expect(r.problems).toEqual([]);
    expect(r.frontMatter?.tags).toEqual(['入室盗窃']);
  });

  it('a CRLF campaign.yaml ending in a flow list without a final newline is accepted', () => {
    const r = parseCampaign(`${head}tags: [国庆节]`.replace(/\n/g, '\r\n') + '\r', F);
    expect(r.problems.map((p) => p.rule)).toEqual(['no-schedule']);
    expect(r.data?.tags).toEqual(['国庆节']);
  });
});

describe('full-width punctuation typed in Chinese input mode', () => {
  it('a full-width colon after a key in campaign.yaml is reported at the colon, saying what to type', () => {
    const ps = problemsOf(head.replace('issuer: ', 'issuer：'));
    expect(ps).toMatchObject([{ line: 2, column: 7, rule: 'full-width-punctuation', severity: 'error' }]);
    expect(ps[0].message).toMatch(/"issuer" is followed by a full-width colon "：".*Write issuer: /);
  });

  it('a full-width colon in front matter is reported on the .md line', () => {
    const r = parseAdvisory('---\ntitle：防范\nsummary: 摘要\n---\n正文\n', A);
    expect(r.problems.map((p) => [p.line, p.column, p.rule])).toEqual([[2, 6, 'full-width-punctuation']]);
  });

  it('a front matter of a single "title：…" line (no YAML error at all) is still explained', () => {
    const r = parseAdvisory('---\ntitle：防范\n---\n正文\n', A);
    expect(r.problems.map((p) => p.rule)).toEqual(['full-width-punctuation']);
  });

  it('a full-width space after the colon and full-width indentation are named', () => {
    expect(problemsOf(head.replace('issuer: ', 'issuer:\u3000'))[0].message).toMatch(/full-width space/);
    const indented = problemsOf(entry('    at: 2014-09-29T09:00\n').replace('    channels', '\u3000\u3000channels'));
    expect(indented).toMatchObject([{ line: 7, rule: 'full-width-punctuation' }]);
    expect(indented[0].message).toMatch(/indented with a full-width space/);
  });

  it('a full-width colon inside a text (a summary continuation line) is not flagged', () => {
    const r = parseCampaign('title: 测试\nissuer: 章丘市公安局\nsummary: >-\n  国庆将至。\n  WiFi：注意安全\n', F);
    expect(r.problems.map((p) => p.rule)).toEqual(['no-schedule']);
    expect(r.data?.summary).toBe('国庆将至。 WiFi：注意安全');
  });
});

describe('schedule shapes', () => {
  it('advisories: [] is an error in check, not a schedule the planner silently skips', () => {
    const ps = problemsOf(entry('    at: 2014-09-29T09:00\n    advisories: []\n'));
    expect(ps).toMatchObject([{ line: 9, column: 17, rule: 'invalid-value' }]);
    expect(ps[0].message).toMatch(/name at least one advisory id, or remove "advisories:"/);
  });

  it('at: { holiday: -2 } points at the offset, not at "a mapping, which is not allowed"', () => {
    const ps = problemsOf(entry('    at: { holiday: -2 }\n'));
    expect(ps).toMatchObject([{ line: 8, column: 20, rule: 'wrong-type' }]);
    expect(ps[0].message).toMatch(/"schedule\[0\]\.at\.holiday" should be a text, but is number -2\. Example: at: \{ holiday: -2d/);
    expect(ps[0].message).not.toMatch(/national-day/);
  });

  it('at: { holday: -2d } says did you mean "holiday"', () => {
    const ps = problemsOf(entry('    at: { holday: -2d }\n'));
    expect(ps.find((p) => p.rule === 'unknown-key')).toMatchObject({ line: 8, column: 11 });
    expect(ps.find((p) => p.rule === 'unknown-key')?.message).toMatch(/unknown field "holday"\. Did you mean "holiday"\?/);
  });

  it('front matter that is a list says "the front matter", not "the file"', () => {
    const r = parseAdvisory('---\n- a\n- b\n---\n正文\n', A);
    expect(r.problems[0].message).toMatch(/^the front matter should be a mapping/);
  });

  it('"@daily" cron shortcuts get the five-field replacement', () => {
    expect(cronProblem('@daily', 'Asia/Shanghai')).toMatch(/"0 0 \* \* \*" for @daily/);
    expect(cronProblem('@reboot', 'Asia/Shanghai')).toMatch(/not supported/);
  });
});

describe('years and the holiday calendar', () => {
  it('a number out of range says "must be at most", not "is too long … items"', () => {
    const ps = problemsOf(head.replace('holiday:', 'year: 3000\nholiday:')).filter((p) => p.severity === 'error');
    expect(ps[0].message).not.toMatch(/too long|items/);
  });

  it('year 2100, which the holiday calendar cannot resolve, is rejected by check instead of planning nothing', () => {
    const ps = problemsOf(head.replace('holiday:', 'year: 2100\nholiday:')).filter((p) => p.severity === 'error');
    expect(ps).toMatchObject([{ line: 3, column: 7, rule: 'invalid-value' }]);
    expect(ps[0].message).toBe('"year" must be at most 2099, but is number 2100');
    expect(problemsOf(head.replace('holiday:', 'year: 1999\nholiday:'))[0].message).toBe('"year": must be at least 2000, but is number 1999');
  });

  it('a year chinese-days does not cover is a check warning [calendar-estimated], not only a plan warning', () => {
    const ps = problemsOf(`${head}year: 2030\n`).filter((p) => p.rule !== 'no-schedule');
    expect(ps).toMatchObject([{ line: 5, column: 7, rule: 'calendar-estimated', severity: 'warning' }]);
    expect(ps[0].message).toMatch(/national-day 2030: .*estimated.*Write calendar\/2030\.yaml/);
    expect(problemsOf(`${head}year: 2014\n`).map((p) => p.rule)).toEqual(['no-schedule']);
  });
});

describe('files and folders', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'advisory-regress-'));
    cpSync(fileURLToPath(new URL('../fixtures/content/valid/', import.meta.url)), root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a file just over 1 MiB names a size above the limit (not "1.0 MiB, more than the 1.0 MiB allowed")', () => {
    writeFileSync(join(root, 'advisories/demo/01-burglary.md'), `---\ntitle: x\nsummary: y\n---\n${'a'.repeat(1_100_000)}`);
    const p = loadProject(root).problems.find((q) => q.rule === 'file-too-large');
    expect(p?.message).toMatch(/the file is 1\.05 MiB, more than the 1 MiB allowed/);
  });

  it('advisories/ being a file is a clear problem, not a crash', () => {
    rmSync(join(root, 'advisories'), { recursive: true });
    writeFileSync(join(root, 'advisories'), 'oops');
    const { campaigns, problems } = loadProject(root);
    expect(campaigns).toEqual([]);
    expect(problems).toMatchObject([{ rule: 'no-advisories-folder' }]);
    expect(projectRootProblem(root)).toMatch(/advisories is a file/);
    expect(projectRootProblem(join(root, 'nope'))).toMatch(/does not exist.*--root DIR/);
    rmSync(join(root, 'advisories'));
    expect(projectRootProblem(root)).toMatch(/there is no advisories\/ folder/);
  });
});

describe('files that look like advisories but are never published', () => {
  let root: string;
  const D = 'advisories/demo';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'advisory-regress-'));
    cpSync(fileURLToPath(new URL('../fixtures/content/valid/', import.meta.url)), root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const move = (from: string, to: string) => {
    cpSync(join(root, D, from), join(root, D, to), { recursive: true });
    rmSync(join(root, D, from));
  };
  const rules = () => loadProject(root).problems.map((p) => [p.file, p.severity, p.rule]).sort();

  it('Notepad\'s "01-burglary.md.txt" is a warning naming the rename, not a silently missing advisory', () => {
    move('01-burglary.md', '01-burglary.md.txt');
    writeFileSync(join(root, D, '02-extra.md'), '---\ntitle: 另一条\nsummary: 摘要\n---\n正文\n');
    const p = loadProject(root).problems;
    expect(p.map((q) => [q.file, q.severity, q.rule])).toEqual([[`${D}/01-burglary.md.txt`, 'warning', 'ignored-file']]);
    expect(p[0].message).toMatch(/rename it to 01-burglary\.md/);
  });

  it('a .markdown file and a .md in a subfolder are warned about; hidden files and editor backups are not', () => {
    move('01-burglary.md', '01-burglary.markdown');
    mkdirSync(join(root, D, 'drafts'));
    writeFileSync(join(root, D, 'drafts/02-draft.md'), 'x');
    for (const junk of ['.DS_Store', '01-burglary.md~', '.01-burglary.md.swp', '01-burglary.md.bak']) writeFileSync(join(root, D, junk), 'x');
    expect(rules()).toEqual([
      [`${D}/01-burglary.markdown`, 'warning', 'ignored-file'],
      [`${D}/campaign.yaml`, 'error', 'no-advisories'],
      [`${D}/drafts/02-draft.md`, 'warning', 'ignored-file'],
    ]);
  });
});

describe('odd YAML', () => {
  it('thousands of nested brackets give one "nested too deeply" line, not one error per level', () => {
    const ps = problemsOf(`${head}tags: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(ps.filter((p) => p.rule === 'yaml-too-deep')).toHaveLength(1);
    expect(ps.length).toBeLessThan(5);
    expect(ps.some((p) => /call stack/.test(p.message))).toBe(false);
  });

  it('an unknown numeric key ("2014: x") is reported on its own line, not at the top of the file', () => {
    expect(problemsOf(`${head}2014: x\n`).filter((p) => p.severity === 'error')).toMatchObject([{ line: 5, column: 1, rule: 'unknown-key' }]);
  });
});

describe('an absolute "at" outside starts…expires', () => {
  const at = (extra: string, when: string) =>
    problemsOf(`${head}${extra}schedule:\n  - name: bulletin\n    channels: [website]\n    at: ${when}\n`).filter((p) => p.rule === 'never-fires');

  it('an "at" before "starts" (a typo in the year) warns that it is never sent, instead of silently planning nothing', () => {
    const ps = at('starts: 2014-10-03\n', '2014-09-29T09:00');
    expect(ps).toMatchObject([{ line: 9, column: 9, severity: 'warning' }]);
    expect(ps[0].message).toMatch(/fires at 2014-09-29T09:00, before the campaign starts \(starts: 2014-10-03\), so it is never sent/);
  });

  it('an "at" after a date-only "expires" warns; one on the expiry day itself does not', () => {
    expect(at('expires: 2014-10-31\n', '2014-11-01T00:00')[0].message).toMatch(/after the campaign expires \(expires: 2014-10-31\)/);
    expect(at('expires: 2014-10-31\n', '2014-10-31T23:59')).toEqual([]);
    expect(at('starts: 2014-09-01\nexpires: 2014-10-31\n', '2014-09-29T09:00+08:00')).toEqual([]);
  });

  it('reads local times as the planner does, also in the hour before a daylight-saving change (check and plan agree)', () => {
    // Berlin 2026-03-29: 01:30 CET is 00:30Z, so 00:45 CET (23:45Z the day before) is before "starts" and plan skips it.
    // Reading wall-clock-as-UTC with one offset lookup put 01:30 an hour early, and the warning went missing.
    const berlin = 'timezone: Europe/Berlin\nstarts: 2026-03-29T01:30\n';
    expect(at(berlin, '2026-03-29T00:45')[0].message).toMatch(/before the campaign starts/);
    expect(at(berlin, '2026-03-29T01:45')).toEqual([]);
  });
});

describe('lengths count characters, not UTF-16 units', () => {
  it('a 40-emoji title passes (it is 40 characters, not 80), a 65-character one is too long with the right count', () => {
    expect(problemsOf(head.replace('title: 测试', `title: ${'🚨'.repeat(40)}`)).filter((p) => p.severity === 'error')).toEqual([]);
    const ps = problemsOf(head.replace('title: 测试', `title: ${'🚨'.repeat(65)}`));
    expect(ps).toMatchObject([{ line: 1, column: 8, rule: 'too-long' }]);
    expect(ps[0].message).toBe('"title" is too long (65): at most 64 characters allowed; shorten it');
  });
});

describe('encodings other than UTF-8 and GBK', () => {
  let root: string;
  const file = 'advisories/demo/01-burglary.md';
  const text = '---\ntitle: 防范\nsummary: 摘要\n---\n正文\n';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'advisory-regress-'));
    cpSync(fileURLToPath(new URL('../fixtures/content/valid/', import.meta.url)), root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const messageFor = (bytes: Buffer) => {
    writeFileSync(join(root, file), bytes);
    return loadProject(root).problems.find((p) => p.rule === 'not-utf8');
  };

  it('UTF-16 (Notepad "Unicode") is named as such with an iconv -f UTF-16 hint, not told to convert from GBK', () => {
    const le = messageFor(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(le).toMatchObject({ line: 1, column: 1 });
    expect(le?.message).toMatch(/saved as UTF-16LE \("Unicode" in Notepad\).*iconv -f UTF-16LE -t UTF-8/);
    expect(le?.message).not.toMatch(/GBK/);
    const be = messageFor(Buffer.from(text, 'utf16le').swap16());
    expect(be?.message).toMatch(/UTF-16BE/);
  });

  it('a byte that is neither UTF-8 nor GBK does not suggest converting from GBK', () => {
    const p = messageFor(Buffer.concat([Buffer.from(text), Buffer.from([0xe9])]));
    expect(p?.message).toMatch(/not UTF-8 \(first bad byte 0xe9 here\)/);
    expect(p?.message).not.toMatch(/iconv -f GBK/);
  });
});

describe('Chinese names for channels and holidays', () => {
  it('channels: [微博] and holiday: 国庆节 get "did you mean" the key', () => {
    expect(problemsOf(head.replace('national-day', '国庆节'))[0].message).toMatch(/unknown holiday "国庆节"\. Did you mean "national-day"\?/);
    const ps = problemsOf(entry('    at: 2014-09-29T09:00\n').replace('[weibo]', '[微信, 网站]')).filter((p) => p.rule === 'unknown-channel');
    expect(ps.map((p) => p.message.match(/Did you mean "(\w+)"/)?.[1])).toEqual(['wechat', 'website']);
    expect(problemsOf(head.replace('national-day', '微博'))[0].message).not.toMatch(/Did you mean/);
  });
});

describe('images', () => {
  let root: string;
  const D = 'advisories/demo';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'advisory-regress-'));
    cpSync(fileURLToPath(new URL('../fixtures/content/valid/', import.meta.url)), root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const setCover = (cover: string) => {
    const file = join(root, D, 'campaign.yaml');
    const yaml = readFileSync(file, 'utf8').replace(/^cover:.*\n/m, '');
    writeFileSync(file, `${yaml.trimEnd()}\ncover: ${cover}\n`);
  };
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

  it('a text file renamed to .png is refused [image-type] instead of passing check and failing at publish', () => {
    mkdirSync(join(root, D, 'images'), { recursive: true });
    writeFileSync(join(root, D, 'images/fake.png'), 'hello');
    setCover('images/fake.png');
    const p = loadProject(root).problems.filter((q) => q.severity === 'error');
    expect(p).toMatchObject([{ file: `${D}/campaign.yaml`, rule: 'image-type' }]);
    expect(p[0].message).toMatch(/named like an image but its content is not JPEG, PNG, GIF or WebP/);
  });

  it('a Windows path "images\\cover.png" is accepted and handed to the channels as images/cover.png', () => {
    mkdirSync(join(root, D, 'images'), { recursive: true });
    writeFileSync(join(root, D, 'images/cover.png'), PNG);
    setCover('images\\cover.png');
    const { campaigns, problems } = loadProject(root);
    expect(problems.filter((q) => q.severity === 'error')).toEqual([]);
    expect(campaigns[0].cover).toBe('images/cover.png');
  });
});

describe('hostile Markdown', () => {
  const md = (body: string) => parseAdvisory(`---\ntitle: 防范\nsummary: 摘要\n---\n${body}`, A);

  it('20,000 nested quotes (">>>>…") are refused [markdown-too-deep] at their place, instead of crashing check with exit 70', () => {
    const r = md(`正文\n\n${'>'.repeat(20_000)} x\n`);
    expect(r.frontMatter).toBeUndefined();
    expect(r.problems).toMatchObject([{ line: 7, rule: 'markdown-too-deep', severity: 'error' }]);
    expect(r.problems[0].message).toMatch(/nests quotes \(>\), lists or emphasis more than 40 levels deep/);
  });

  it('250 nested list levels are refused too; ordinary lists and quotes pass', () => {
    expect(md(Array.from({ length: 250 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')).problems.map((p) => p.rule)).toEqual(['markdown-too-deep']);
    expect(md('> 引用\n>\n> - 一\n>   - 二\n>     1. **三** [链接](https://example.com)\n').problems).toEqual([]);
  });
});

describe('very long advisory text', () => {
  it('a body over 100,000 characters is refused [body-too-long] before Markdown parsing (400 KB of "[a](" parses for ~50 s)', () => {
    const r = parseAdvisory(`---\ntitle: 防范\nsummary: 摘要\n---\n${'[a]('.repeat(100_000)}\n`, A);
    expect(r.problems).toMatchObject([{ line: 5, column: 1, rule: 'body-too-long' }]);
    expect(r.problems[0].message).toMatch(/the text is 400,001 characters; an advisory may have at most 100,000/);
  });
});

it('an unsupported YAML tag (issuer: !include x) says it is ignored and to remove it', () => {
  const ps = problemsOf(head.replace('issuer: ', 'issuer: !include '));
  expect(ps.find((p) => p.rule === 'yaml-warning')).toMatchObject({ line: 2, column: 9, severity: 'warning' });
  expect(ps.find((p) => p.rule === 'yaml-warning')?.message).toBe('the YAML tag !include is not supported and is ignored (the value is read as plain text): remove "!include"');
});

describe('a date-only expires includes its whole day, in check as in plan (regression)', () => {
  it('no "expired" warning on the expiry day itself, and starts on the same day as expires is allowed', async () => {
    const { parseCampaign } = await import('../../src/content/parse.js');
    const text = 'title: t\nissuer: i\nsummary: s\nholiday: national-day\nstarts: 2014-10-01\nexpires: 2014-10-01\nschedule:\n  - name: b\n    channels: [website]\n    at: 2014-10-01T09:00+08:00\n';
    const onTheDay = parseCampaign(text, 'c.yaml', { now: new Date('2014-10-01T15:00:00+08:00') }).problems.map((p) => p.rule);
    expect(onTheDay).not.toContain('expired');
    expect(onTheDay).not.toContain('starts-after-expires');
    const dayAfter = parseCampaign(text, 'c.yaml', { now: new Date('2014-10-02T00:00:01+08:00') }).problems.map((p) => p.rule);
    expect(dayAfter).toContain('expired');
  });
});

describe('a schedule\'s window must be at least 1 minute (issue 8: window: 0m passed check, then every firing was recorded missed)', () => {
  it('0m, 0h, 00d are errors on the value; 1m and longer are fine', () => {
    for (const w of ['0m', '0h', '00d']) {
      expect(problemsOf(entry(`    cron: "0 8 * * *"\n    window: ${w}\n`))).toEqual([
        { line: 9, column: 13, rule: 'window-too-short', severity: 'error', message: `"window: ${w}" is shorter than the minimum of 1 minute: every firing would be recorded missed, never sent. Give how late a firing may still go out, e.g. window: 30m (or 6h, 2d, holiday)` },
      ]);
    }
    for (const w of ['1m', '01m', '6h', '2d', 'holiday']) expect(problemsOf(entry(`    cron: "0 8 * * *"\n    window: ${w}\n`))).toEqual([]);
  });

  it('`advisory check` prints it as campaign.yaml:LINE:COL and exits 1', async () => {
    const { main } = await import('../../src/cli/main.js');
    const root = mkdtempSync(join(tmpdir(), 'advisory-window-'));
    try {
      cpSync(fileURLToPath(new URL('../fixtures/content/window-zero', import.meta.url)), root, { recursive: true });
      for (const d of ['templates', 'channels']) cpSync(fileURLToPath(new URL(`../../${d}`, import.meta.url)), join(root, d), { recursive: true });
      const out: string[] = [];
      const code = await main(['check', '--root', root], { out: (t) => out.push(t), err: (t) => out.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date('2014-09-01T00:00:00Z') });
      expect(code).toBe(1);
      expect(out[0]).toBe('advisories/demo/campaign.yaml:9:13: error "window: 0m" is shorter than the minimum of 1 minute: every firing would be recorded missed, never sent. Give how late a firing may still go out, e.g. window: 30m (or 6h, 2d, holiday) [window-too-short]');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
