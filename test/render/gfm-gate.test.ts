/**
 * The renderer parses a body without GFM's extensions when it holds none of
 * their characters (render/gfm-gate.ts). That is only a speed-up if
 * the output is the same: every body here is rendered by the renderer and by
 * the pipeline of record (remark-parse → remark-gfm → remark-rehype →
 * rehype-sanitize, always with GFM), and the HTML must be identical.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownFiles } from './markdown-bodies.js';
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Root } from 'hast';
import { createRenderer } from '../../src/render/create.js';
import { mayUseGfm } from '../../src/render/gfm-gate.js';
import { SANITIZE_SCHEMA } from '../../src/render/sanitize-schema.js';
import { ROOT } from './load-fixture.js';

const FOOTNOTE_LABELS = {
  footnoteLabel: '注释',
  footnoteBackLabel: (i: number, k: number) => `返回正文 ${i + 1}${k > 1 ? `-${k}` : ''}`,
};
const reference = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, FOOTNOTE_LABELS).use(rehypeSanitize, SANITIZE_SCHEMA).freeze();
const ofRecord = (source: string) => toHtml(reference.runSync(reference.parse(source)) as Root);


/** Bodies built from Markdown's own punctuation, letters, digits and Chinese, none of GFM's triggers. */
function generated(count: number): string[] {
  const pieces = ['#', '## ', '- ', '* ', '+ ', '1. ', '2) ', '> ', '**', '*', '_', '__', '`', '```\n', '    ', '[', ']', '(', ')', '![', '<', '>', '&amp;', '&', '\\', '\n', '\n\n', ' ', '---\n', '===\n', '防范', '入室盗窃', '。', '，', '：', '（', '）', 'a', 'b', 'x', 'w', 'h', 't', 'p', '.', ':', '/', '0', '9', '"', "'", '=', '[a]: /u\n', '[a]', '<b>', '<!-- c -->', '\t'];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, () => Array.from({ length: 5 + Math.floor(rand() * 60) }, () => pieces[Math.floor(rand() * pieces.length)]).join(''));
}

describe('GFM only where a body can use it', () => {
  const renderer = createRenderer(ROOT);
  const sources = [
    ...markdownFiles(join(ROOT, 'advisories')).map((f) => readFileSync(f, 'utf8')),
    ...markdownFiles(join(ROOT, 'test')).map((f) => readFileSync(f, 'utf8')),
    ...generated(800),
  ];

  it('renders every body exactly as the full GFM pipeline does', () => {
    let plain = 0;
    for (const source of sources) {
      if (!mayUseGfm(source)) plain++;
      expect(toHtml(renderer.markdown(source).hast), source).toBe(ofRecord(source));
    }
    // most generated bodies take the plain path, so the comparison above covers it
    expect(plain).toBeGreaterThan(300);
  });

  it('sends every GFM construct to the GFM parser', () => {
    for (const source of ['| a | b |\n|---|---|\n| 1 | 2 |', '~~删~~', '~删~', '正文[^1]\n\n[^1]: 注', '- [ ] 待办', '- [x] 已办', '* [X] 已办', '见 www.12321.cn', '见 WWW.12321.CN', '见 https://a.cn', '见 HTTP://a.cn', '写信 a@b.cn', 'mailto:a@b.cn', 'xmpp:a@b.cn']) {
      expect(mayUseGfm(source), source).toBe(true);
      expect(toHtml(renderer.markdown(source).hast)).toBe(ofRecord(source));
    }
  });
});
