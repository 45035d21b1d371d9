import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { MAX_MARKDOWN_DEPTH, tooDeep } from '../../src/content/markdown-depth.js';

/** The real depth, by parsing (what tooDeep answers when it cannot rule a text out cheaply). */
function depthOf(body: string): number {
  const walk = (n: { children?: unknown[] }, d: number): number => Math.max(d, ...(n.children ?? []).map((c) => walk(c as { children?: unknown[] }, d + 1)));
  return walk(unified().use(remarkParse).parse(body), 0);
}

describe('tooDeep without a second parse', () => {
  it('still finds nesting that no single line shows: 30 list levels by indentation, emphasis in links in a quote', () => {
    const lists = Array.from({ length: 30 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n');
    expect(depthOf(lists)).toBeGreaterThan(MAX_MARKDOWN_DEPTH);
    expect(tooDeep(lists)?.line).toBeGreaterThanOrEqual(20);
    const inline = `> > ${'*a '.repeat(50)}b${' c*'.repeat(50)}`;
    expect(depthOf(inline)).toBeGreaterThan(MAX_MARKDOWN_DEPTH);
    expect(tooDeep(inline)).toBeDefined();
  });

  it('passes ordinary advisories (lists, quotes, bold, links) and agrees with the parse on them', () => {
    const body = '## 防范建议\n\n- **外出前**检查门窗\n  - 燃气阀门\n- 见[说明](https://example.org/a)\n\n> 提示：*拨打110*\n';
    expect(depthOf(body)).toBeLessThan(MAX_MARKDOWN_DEPTH);
    expect(tooDeep(body)).toBeUndefined();
  });
});
