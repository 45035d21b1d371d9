/**
 * Markdown bodies made from a seed, for the tests that hold a shortcut to the
 * full pipeline: the shapes advisories take (advisoryShaped), and every line
 * shape near them, with inline syntax, control and astral characters and edge
 * spaces mixed in at the rate `near` (generate).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every Markdown file under `dir` (the repository's campaigns and test fixtures), front matter and all. */
export function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) markdownFiles(path, out);
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}
/** A small seeded generator, so a failure names a body that can be made again. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['节日期间', '外出前认真检查家中水电', '，', '。', '关好门窗', '2014年', '1.5倍', '110', '（提示）', '“防骗”', '：', '！', 'ok', 'A', '$', '{x}', '^', '(', ')', "'", '"', '=', '+', '-', ':', '、', '·', '…'];
const NEAR = ['*', '_', '`', '[', ']', '<', '>', '&amp;', '\\', '~', '|', '#', '@', 'http://a.cn', 'www.a.cn', '\t', '\u3000', '\u00a0', '😀', '\r', '\f', '\u0000', '  ', ' '];
const LINE_SHAPES: Array<(w: () => string, r: () => number) => string> = [
  (w) => `## ${w()}`,
  (w) => `# ${w()}`,
  (w) => `###### ${w()}`,
  (w) => `####### ${w()}`,
  (w) => `#${w()}`,
  (w) => `## ${w()} #`,
  (w) => `- ${w()}`,
  (w) => `- ${w()}`,
  (w, r) => `${Math.floor(r() * 12)}. ${w()}`,
  (w) => `1. ${w()}`,
  (w) => `01. ${w()}`,
  (w) => `1) ${w()}`,
  (w) => `* ${w()}`,
  (w) => `+ ${w()}`,
  (w) => `> ${w()}`,
  (w) => `  - ${w()}`,
  (w) => `    ${w()}`,
  (w) => ` ${w()}`,
  (w) => `${w()} `,
  (w) => `${w()}  `,
  () => '---',
  () => '===',
  () => '- - -',
  () => '-',
  () => '- ',
  () => '1.',
  () => '   ',
  () => '',
  () => '',
  (w) => w(),
  (w) => w(),
  (w) => w(),
  (w) => `- - ${w()}`,
  (w) => `- 1. ${w()}`,
  (w) => `2) ${w()}`,
  (w) => `1234567890. ${w()}`,
];

export function generate(seed: number, near: number): string {
  const r = rng(seed);
  const word = () => {
    const n = 1 + Math.floor(r() * 4);
    let s = '';
    for (let i = 0; i < n; i++) s += r() < near ? NEAR[Math.floor(r() * NEAR.length)] : WORDS[Math.floor(r() * WORDS.length)];
    return s;
  };
  const lines: string[] = [];
  const count = 1 + Math.floor(r() * (seed % 2 === 0 ? 4 : 14));
  for (let i = 0; i < count; i++) lines.push(LINE_SHAPES[Math.floor(r() * LINE_SHAPES.length)](word, r));
  return lines.join('\n') + (r() < 0.5 ? '\n' : r() < 0.5 ? '\n\n' : '');
}

/** Bodies of the shape advisories take: headings, paragraphs, lists, blank lines between. */
export function advisoryShaped(seed: number): string {
  const r = rng(seed);
  const sentence = () => Array.from({ length: 1 + Math.floor(r() * 5) }, () => WORDS[Math.floor(r() * 11)]).join('') || '提示';
  const blocks: string[] = [];
  for (let b = 0; b < 1 + Math.floor(r() * 6); b++) {
    const k = r();
    if (k < 0.3) blocks.push(`${'#'.repeat(1 + Math.floor(r() * 3))} ${sentence()}`);
    else if (k < 0.6) blocks.push(Array.from({ length: 1 + Math.floor(r() * 3) }, sentence).join('\n'));
    else if (k < 0.8) blocks.push(Array.from({ length: 1 + Math.floor(r() * 5) }, () => `- ${sentence()}`).join('\n'));
    else {
      const start = Math.floor(r() * 3);
      blocks.push(Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => `${start + i}. ${sentence()}`).join('\n'));
    }
  }
  return blocks.join(r() < 0.8 ? '\n\n' : '\n') + (r() < 0.7 ? '\n' : '');
}

