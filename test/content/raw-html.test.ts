/**
 * Regression: pasted HTML deleted staff's words silently. A raw HTML block is dropped whole by the
 * renderer, with the text inside it (`<div align="center">`, two lines, `</div>`: both lines gone on every
 * channel; a line after `<img …>` or `<script>` gone up to the next blank line), and `check` said nothing.
 * Now each raw HTML node is a `raw-html` warning at its line and column, quoting the words that would be
 * lost; markup in a title, summary or tag is a `markup-in-text` warning.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rawHtmlProblems } from '../../src/content/raw-html.js';
import { parseAdvisory, parseCampaign } from '../../src/content/parse.js';
import { runCli } from '../cli/in-process.js';

const REPO = resolve(import.meta.dirname, '../..');
const at = (ps: { line: number; column: number; rule: string }[]) => ps.map((p) => [p.line, p.column, p.rule]);

describe('raw HTML in the text', () => {
  it('a <div> block with two lines of text: one warning at the <div>, quoting the lost text', () => {
    const body = '开头一段。\n\n<div align="center">\n第一行文字\n第二行文字\n</div>\n';
    const ps = rawHtmlProblems(body, 1, 'a.md');
    expect(at(ps)).toEqual([[3, 1, 'raw-html']]);
    expect(ps[0].severity).toBe('warning');
    expect(ps[0].message).toBe('this HTML (<div>) is not shown on any channel, and the text inside it is lost with it: "第一行文字 第二行文字". Delete the HTML tags and keep the text as Markdown');
  });

  it('text after an <img> or <script> line up to the next blank line is quoted; a script\'s own code is not', () => {
    const body = '<img src="a.png">\n图片后的文字\n\n<script>\nalert(1)\n</script>\n\n<script src="x.js">\n脚本后面这一行也会丢\n';
    const ps = rawHtmlProblems(body, 10, 'a.md');
    expect(at(ps)).toEqual([[10, 1, 'raw-html'], [13, 1, 'raw-html'], [17, 1, 'raw-html']]);
    expect(ps[0].message).toContain('(<img>)');
    expect(ps[0].message).toContain('"图片后的文字"');
    expect(ps[1].message).toMatch(/^this HTML \(<script>\) is not shown on any channel: the whole block is removed\./);
    expect(ps[2].message).toContain('"脚本后面这一行也会丢"');
  });

  it('long lost text is cut to its first 20 characters', () => {
    const ps = rawHtmlProblems(`<center>\n${'一二三四五六七八九十'.repeat(3)}\n</center>\n`, 1, 'a.md');
    expect(ps[0].message).toContain(`"${'一二三四五六七八九十'.repeat(2)}…"`);
  });

  it('tags in running text: a warning at each tag\'s column, the words around them are kept', () => {
    const ps = rawHtmlProblems('这是<span style="color:red">重要</span>内容\n\n- 列表里<br>换行\n', 1, 'a.md');
    expect(at(ps)).toEqual([[1, 3, 'raw-html'], [1, 29, 'raw-html'], [3, 6, 'raw-html']]);
    expect(ps[0].message).toMatch(/^the HTML tag <span> is not shown on any channel \(the text around it is kept\)/);
    expect(ps[1].message).toContain('</span>');
    expect(ps[2].message).toContain('<br>');
  });

  it('no warning for a comment, an autolink, a "<" in words, or text without HTML', () => {
    expect(rawHtmlProblems('<!-- 内部备注 -->\n\n正文\n', 1, 'a.md')).toEqual([]);
    expect(rawHtmlProblems('见 <https://www.example.gov.cn/> 。温度<5度时注意。\n', 1, 'a.md')).toEqual([]);
    expect(rawHtmlProblems('## 防范建议\n\n- 关好门窗\n', 1, 'a.md')).toEqual([]);
  });

  it('through parseAdvisory: placed in the file, after the front matter; in Chinese when chosen', () => {
    const text = '---\ntitle: 标题\nsummary: 摘要。\n---\n正文。\n\n<div align="center">\n居中的文字\n</div>\n';
    const parsed = parseAdvisory(text, 'a.md');
    expect(at(parsed.problems)).toEqual([[7, 1, 'raw-html']]);
    expect(parsed.frontMatter).toBeDefined();
  });
});

describe('markup in titles, summaries and tags', () => {
  it('a <script> title, an <svg onload> tag and a <b> summary: warnings at their values', () => {
    const parsed = parseAdvisory('---\ntitle: "<script>alert(1)</script>防范盗窃"\nsummary: 外出前<b>关好门窗</b>。\ntags: [盗窃, "<svg onload=alert(1)>"]\n---\n正文\n', 'a.md');
    expect(at(parsed.problems)).toEqual([[2, 8, 'markup-in-text'], [3, 10, 'markup-in-text'], [4, 12, 'markup-in-text']]);
    expect(parsed.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(parsed.problems[0].message).toMatch(/^"title" holds markup \(<script>\), but it is plain text/);
    expect(parsed.problems[2].message).toContain('(<svg>)');
  });

  it('what plain text loses is warned about: an unclosed "<b" too, and a comment', () => {
    const parsed = parseAdvisory('---\ntitle: "a<b 标题"\nsummary: "摘要<!-- 备注 -->"\n---\n正文\n', 'a.md');
    expect(at(parsed.problems)).toEqual([[2, 8, 'markup-in-text'], [3, 10, 'markup-in-text']]);
    expect(parsed.problems[0].message).toContain('(<b>)');
  });

  it('campaign fields too; a literal "&lt;" or a "<" in words is not markup', () => {
    const parsed = parseCampaign('title: "节日<i>安全</i>"\nissuer: 章丘市公安局\nsummary: "写作 &lt;script&gt; 的文字，温度<5度"\n', 'c.yaml');
    expect(at(parsed.problems.filter((p) => p.rule === 'markup-in-text'))).toEqual([[1, 8, 'markup-in-text']]);
  });
});

describe('advisory check', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('prints the warning at file:line:column with [raw-html] and still exits 0; in Chinese with --lang zh', async () => {
    root = mkdtempSync(join(tmpdir(), 'advisory-raw-html-'));
    for (const d of ['advisories', 'channels', 'templates']) cpSync(join(REPO, d), join(root, d), { recursive: true });
    rmSync(join(root, 'advisories/national-day'), { recursive: true });
    const file = join(root, 'advisories/2014-national-day/01-burglary.md');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.indexOf('## 防范建议');
    lines.splice(at, 0, '<div align="center">', '请保管好贵重物品', '外出时锁好门窗', '</div>', '');
    writeFileSync(file, lines.join('\n'));
    const r = await runCli(['check', '2014-national-day', '--root', root], { env: { ...process.env, NO_COLOR: '1', ADVISORY_LANG: 'en' } });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain(`advisories/2014-national-day/01-burglary.md:${at + 1}:1: warning this HTML (<div>) is not shown on any channel, and the text inside it is lost with it: "请保管好贵重物品 外出时锁好门窗". Delete the HTML tags and keep the text as Markdown [raw-html]`);
    const zh = await runCli(['check', '2014-national-day', '--lang', 'zh', '--root', root], { env: { ...process.env, NO_COLOR: '1' } });
    expect(zh.out).toContain('这里的 HTML（<div>）在任何渠道都不会显示，里面的文字也会跟着丢失：“请保管好贵重物品 外出时锁好门窗”。请删掉这些 HTML 标签，把文字留作普通的 Markdown 正文');
  });
});
