/** The Markdown limits of issue 12: counted in one pass before parsing, each reported at the first construct past it. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARKDOWN_LIMITS, markdownLimits } from '../../src/content/markdown-limits.js';
import { parseAdvisory } from '../../src/content/parse.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const L = MARKDOWN_LIMITS;
const rules = (body: string) => markdownLimits(body).map((e) => e.limit.rule);
const table = (rows: number, cols: number) => [`|${'h|'.repeat(cols)}`, `|${'-|'.repeat(cols)}`, ...Array.from({ length: rows - 1 }, () => `|${'x|'.repeat(cols)}`)].join('\n');

describe('markdownLimits', () => {
  it('the shipped advisories are far inside every limit', () => {
    for (const campaign of ['2014-national-day', 'national-day']) {
      const dir = join(ROOT, 'advisories', campaign);
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.md'))) {
        expect(markdownLimits(readFileSync(join(dir, f), 'utf8')), f).toEqual([]);
      }
    }
  });

  it('each limit: at it passes, one past it is refused at that construct', () => {
    const cases: Array<[string, (n: number) => string, number, string]> = [
      ['lines', (n) => Array.from({ length: n }, () => '段落').join('\n'), L.lines.max, L.lines.rule],
      ['links', (n) => '[a](b)'.repeat(n), L.links.max, L.links.rule],
      ['emphasis', (n) => '*'.repeat(n), L.emphasis.max, L.emphasis.rule],
      ['code', (n) => '`'.repeat(n), L.code.max, L.code.rule],
      ['html', (n) => '&'.repeat(n), L.html.max, L.html.rule],
    ];
    for (const [name, make, max, rule] of cases) {
      expect(rules(make(max)), name).not.toContain(rule);
      expect(rules(make(max + 1)), name).toContain(rule);
    }
    expect(rules('[^1]'.repeat(L.footnotes.max))).not.toContain(L.footnotes.rule);
    expect(rules('[^1]'.repeat(L.footnotes.max + 1))).toContain(L.footnotes.rule);
  });

  it('places the error at the first construct past the limit, and gives the count', () => {
    const body = `标题\n\n${'[a](b) '.repeat(L.links.max)}x [c](d)`;
    const [e] = markdownLimits(body);
    expect(e.limit.rule).toBe(L.links.rule);
    expect(e.count).toBe(L.links.max + 1);
    expect(e).toMatchObject({ line: 3, column: 7 * L.links.max + 3 });
  });

  it('web addresses and e-mail addresses count as links, a link\'s own address does not count twice', () => {
    expect(markdownLimits(`${'http://a.cn '.repeat(L.links.max + 1)}`).map((e) => e.count)).toEqual([L.links.max + 1]);
    expect(rules('www.a.cn '.repeat(L.links.max + 1))).toEqual([L.links.rule]);
    expect(rules('a@b.cn '.repeat(L.links.max + 1))).toEqual([L.links.rule]);
    expect(rules('[a](https://b.cn/) '.repeat(L.links.max))).toEqual([]);
  });

  it('table cells are rows × columns over every table; a table wider than the column limit is refused at its delimiter row', () => {
    expect(rules(table(16, 12))).toEqual([]); // 192 cells
    expect(rules(table(17, 12))).toEqual([L.tableCells.rule]);
    expect(rules(`${table(9, 12)}\n\n${table(9, 12)}`)).toEqual([L.tableCells.rule]); // 216 over two tables
    const wide = markdownLimits(`前言\n\n${table(2, 200)}`);
    expect(wide.map((e) => [e.limit.rule, e.count, e.line])).toContainEqual([L.tableColumns.rule, 200, 4]);
    // Pipes without a delimiter row are no table.
    expect(rules('|a|b|\n'.repeat(100))).toEqual([]);
  });

  it('the elements limit catches many constructs each under its own limit', () => {
    const body = ['- 项目\n'.repeat(100), '[a](b)'.repeat(100), table(10, 12)].join('\n\n'); // 112 lines, 100 links, 120 cells
    expect(rules(body)).toEqual([L.elements.rule]);
  });

  it('the issue\'s hostile texts are each refused by a limit', () => {
    expect(rules('[a]('.repeat(24_000))).toContain(L.links.rule);
    expect(rules(table(200, 200))).toEqual(expect.arrayContaining([L.tableColumns.rule, L.tableCells.rule]));
    expect(rules('[^1]'.repeat(20_000))).toContain(L.footnotes.rule);
    expect(rules('*'.repeat(50_000))).toContain(L.emphasis.rule);
    expect(rules('*_'.repeat(45_000))).toContain(L.emphasis.rule);
    expect(rules('- x\n'.repeat(25_000))).toContain(L.lines.rule);
  });
});

describe('parseAdvisory with hostile Markdown', () => {
  const fm = '---\ntitle: 标题\nsummary: 摘要。\n---\n';

  it('refuses with the file\'s line and column, and does not go on to the front matter', () => {
    const parsed = parseAdvisory(`${fm}正文\n${'*a'.repeat(1_000)}`, 'advisories/x/01-a.md');
    expect(parsed.frontMatter).toBeUndefined();
    expect(parsed.problems).toEqual([
      expect.objectContaining({ file: 'advisories/x/01-a.md', line: 6, column: 2 * L.emphasis.max + 1, severity: 'error', rule: L.emphasis.rule }),
    ]);
    expect(parsed.problems[0].message).toMatch(/^refused: the text has 1,000 emphasis markers; an advisory may have at most 500 \(each "\*", "_" or "~" counts; \*\*bold\*\* uses four\)\. .*split it into several advisories$/);
  });

  it('several limits: every one is reported at once', () => {
    const parsed = parseAdvisory(`${fm}${'[^1]'.repeat(300)}\n${'`'.repeat(300)}`, 'a.md');
    expect(parsed.problems.map((p) => p.rule)).toEqual([L.links.rule, L.footnotes.rule, L.code.rule]);
  });

  it('deep nesting is still reported as such (the clearer message), not as too many lines', () => {
    const parsed = parseAdvisory(`${fm}${Array.from({ length: 250 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')}`, 'a.md');
    expect(parsed.problems.map((p) => p.rule)).toEqual(['markdown-too-deep']);
  });
});
