/**
 * The plain-Markdown reader (render/simple-markdown.ts) against remark-parse,
 * the definition: wherever it gives a tree, that tree is remark-parse's, node
 * for node with positions; wherever the two could differ, it refuses. Bodies:
 * every Markdown file in the repository (bundled advisories, fixtures), and
 * thousands generated from the shapes advisories take and the ones next to them
 * (indentation, lazy lines, loose lists, setext underlines, markers of other
 * kinds, inline syntax, control characters, astral characters, edge spaces).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { simpleMdast } from '../../src/render/simple-markdown.js';
import { advisoryShaped, generate, markdownFiles } from './markdown-bodies.js';
import { mayUseGfm } from '../../src/render/gfm-gate.js';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Root as HastRoot } from 'hast';
import { createRenderer } from '../../src/render/create.js';
import { FOOTNOTE_LABELS, SANITIZE_SCHEMA } from '../../src/render/sanitize-schema.js';
import { hastToText } from '../../src/render/hast-text.js';

const REPO = join(import.meta.dirname, '../..');
const remark = unified().use(remarkParse).freeze();
const reference = (s: string) => JSON.parse(JSON.stringify(remark.parse(s)));


/** The body after the front matter, as content/parse.ts hands it to the renderer (and the whole file too). */
function bodies(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const m = /^---\n[\s\S]*?\n---\n/.exec(text);
  return m ? [text, text.slice(m[0].length)] : [text];
}

function agree(body: string): boolean {
  const fast = simpleMdast(body);
  if (fast === undefined) return false;
  expect(JSON.parse(JSON.stringify(fast)), JSON.stringify(body)).toEqual(reference(body));
  return true;
}

describe('the plain-Markdown reader gives remark-parse\'s tree or refuses', () => {
  it('every Markdown file in the repository, and the bundled advisories are read without micromark', () => {
    const files = markdownFiles(join(REPO, 'advisories')).concat(markdownFiles(join(REPO, 'test')));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) for (const b of bodies(f)) agree(b);
    // the bureau's own advisories are of the plain shape (those without pictures): the fast path is taken for them
    const plain = markdownFiles(join(REPO, 'advisories')).map((f) => bodies(f).at(-1)!).filter((b) => !b.includes('!['));
    expect(plain.length).toBeGreaterThan(0);
    for (const b of plain) expect(simpleMdast(b), b.slice(0, 60)).toBeDefined();
  });

  it('4,000 bodies of the advisory shape: read, and the same tree', () => {
    let read = 0;
    for (let seed = 1; seed <= 4000; seed++) if (agree(advisoryShaped(seed))) read++;
    // a paragraph directly above a list, or a list a blank line from one of its kind, is refused; the rest is read
    expect(read).toBeGreaterThan(2400);
  });

  it('20,000 bodies of every line shape near it, with and without inline syntax: the same tree wherever one is given', () => {
    let read = 0;
    for (let seed = 1; seed <= 10_000; seed++) if (agree(generate(seed, 0))) read++;
    for (let seed = 1; seed <= 10_000; seed++) if (agree(generate(seed + 1_000_000, 0.15))) read++;
    expect(read).toBeGreaterThan(1200);
  });

  it('refuses what it does not model', () => {
    for (const body of [
      '段落\n- 列表', // a list interrupting a paragraph
      '- 一\n\n- 二', // a loose list
      '- 一\n接着', // a lazy line
      '段落\n---', // a setext heading
      '  缩进', '文字  ', '- 一\n1. 二', '**粗体**', '[链接](x)', '<b>x</b>', '&amp;', '`code`', '~~删~~', '表|格', 'a@b.cn', '😀', '\t文字', '文\r字',
    ]) expect(simpleMdast(body), JSON.stringify(body)).toBeUndefined();
  });

  it('the renderer gives the hast, HTML and text of the full pipeline (remark-parse, remark-rehype, the sanitiser, hast-util-to-html)', () => {
    const renderer = createRenderer(REPO);
    const full = unified().use(remarkParse).use(remarkRehype, FOOTNOTE_LABELS).use(rehypeSanitize, SANITIZE_SCHEMA).freeze();
    let compared = 0;
    const bodies = [
      ...Array.from({ length: 3000 }, (_, i) => advisoryShaped(i + 1)),
      ...Array.from({ length: 10_000 }, (_, i) => generate(i + 1, 0)),
      ...Array.from({ length: 10_000 }, (_, i) => generate(i + 2_000_000, 0.15)),
      '', '\n', '\n\n', '## 一', '0. 零\n1. 一', '1000. 千',
    ];
    for (const body of bodies) {
      if (!simpleMdast(body) || mayUseGfm(body)) continue; // GFM bodies take the GFM processor, never this reader
      compared++;
      const hast = full.runSync(full.parse(body)) as HastRoot;
      const r = renderer.markdown(body);
      expect(JSON.parse(JSON.stringify(r.hast)), JSON.stringify(body)).toEqual(JSON.parse(JSON.stringify(hast)));
      expect(r.html, JSON.stringify(body)).toBe(toHtml(hast));
      expect(r.text, JSON.stringify(body)).toBe(hastToText(hast));
    }
    expect(compared).toBeGreaterThan(3000);
  }, 60_000);
});
