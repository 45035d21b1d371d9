/**
 * Splits an advisory file into its YAML front matter and Markdown body, keeping
 * line numbers so problems in either can be reported against the .md file.
 * Pure: no I/O. Accepts CRLF line endings; a leading BOM must be removed first.
 */
import { contentMessages } from '../i18n/messages-content.js';

export type FrontMatterSplit =
  | { ok: true; yaml: string; yamlLine: number; body: string; bodyLine: number }
  | { ok: false; rule: 'no-front-matter' | 'front-matter-unclosed'; line: number; column: number; message: string };

const FENCE = /^---[ \t]*\r?$/;

export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) {
    return {
      ok: false,
      rule: 'no-front-matter',
      line: 1,
      column: 1,
      message: contentMessages().noFrontMatter,
    };
  }
  const close = lines.findIndex((l, i) => i > 0 && FENCE.test(l));
  if (close < 0) {
    return {
      ok: false,
      rule: 'front-matter-unclosed',
      line: 1,
      column: 1,
      message: contentMessages().frontMatterUnclosed,
    };
  }
  return {
    ok: true,
    yaml: lines.slice(1, close).join('\n'),
    yamlLine: 2,
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 2,
  };
}
