/**
 * The feed sections' shortcut for plain text (feed-sections.ts plainText and
 * plainHtml) against the libraries it stands in for: wherever it answers, the
 * answer is hast-util-to-text's (white space normal) and hast-util-to-html's,
 * for every element and every run of nodes of the site's own trees of
 * thousands of generated bodies, plain or not.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toText } from 'hast-util-to-text';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainHtml, plainText } from '../../src/channels/website/feed-sections.js';
import { createRenderer } from '../../src/render/create.js';
import { sectionize } from '../../src/render/sections.js';
import { advisoryShaped, generate } from '../render/markdown-bodies.js';

const REPO = join(import.meta.dirname, '../..');

function elements(node: Root | ElementContent, out: Element[] = []): Element[] {
  if (node.type === 'element') out.push(node);
  if ('children' in node) for (const c of node.children) elements(c as ElementContent, out);
  return out;
}

describe('plain feed text and HTML are the libraries\' own', () => {
  it('for every element and child run of 9,000 bodies\' trees (as rendered, and sectioned as the site does)', () => {
    const renderer = createRenderer(REPO);
    let textAnswers = 0;
    let htmlAnswers = 0;
    const bodies = [
      ...Array.from({ length: 3000 }, (_, i) => advisoryShaped(i + 1)),
      ...Array.from({ length: 3000 }, (_, i) => generate(i + 1, 0)),
      ...Array.from({ length: 3000 }, (_, i) => generate(i + 3_000_000, 0.2)),
      '1. a\n\n- b\n\n3. c\n4. d', '## 标题\n\n- [链接](https://a.cn)\n- **粗**', '![图](a.png)\n\n正文',
    ];
    for (const body of bodies) {
      const { hast } = renderer.markdown(body);
      for (const tree of [hast, sectionize(hast) as Root]) {
        for (const el of elements(tree)) {
          const text = plainText(el);
          if (text !== undefined) {
            textAnswers++;
            expect(text, JSON.stringify(body)).toBe(toText(el, { whitespace: 'normal' }));
          }
          const html = plainHtml(el.children);
          if (html !== undefined) {
            htmlAnswers++;
            expect(html, JSON.stringify(body)).toBe(toHtml({ type: 'root', children: el.children }));
          }
        }
        const html = plainHtml(tree.children as ElementContent[]);
        if (html !== undefined) expect(html).toBe(toHtml(tree));
      }
    }
    expect(textAnswers).toBeGreaterThan(10_000);
    expect(htmlAnswers).toBeGreaterThan(10_000);
  }, 60_000);
});
