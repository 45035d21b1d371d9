/**
 * HTML pasted into an advisory. The renderer does not pass raw HTML through
 * (remark-rehype drops it, and the sanitiser would anyway), so a raw HTML
 * block is removed whole, with every line of text inside it: a pasted
 * `<div align="center">`, two lines of text and `</div>` lost both lines on
 * every channel, and a line after `<img …>` or `<script>` was lost up to the
 * next blank line, without a word from `check`. Found by the same grammar as
 * the renderer (remark-parse + remark-gfm), at each node's line and column,
 * quoting the text that would be lost. Titles, summaries and tags are plain
 * text: markup in them is shown as other characters or dropped. Pure.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Problem } from '../errors.js';
import { contentMessages } from '../i18n/messages-content.js';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
}

/** Characters of lost text quoted in the warning. */
const QUOTE_CHARS = 20;

const parser = unified().use(remarkParse).use(remarkGfm).freeze();

/**
 * What render/plain.ts removes from a plain field: a tag (`<div align="center">`, `</span>`, `<br/>`), a comment,
 * or even an unclosed `<b`; so the warning covers exactly the text a reader would not see.
 */
const TAG = /<\/?[A-Za-z!][^<>]*>?/;

/** `raw-html` warnings for `body`, which starts at line `bodyLine` of `file`. */
export function rawHtmlProblems(body: string, bodyLine: number, file: string): Problem[] {
  if (!body.includes('<')) return []; // every HTML node starts so: no parse needed
  const tree = parser.parse(body) as MdNode;
  const out: Problem[] = [];
  const visit = (node: MdNode, inline: boolean) => {
    if (node.type === 'html' && node.value !== undefined) {
      const problem = htmlProblem(node.value, inline);
      const start = node.position?.start ?? { line: 1, column: 1 };
      if (problem) out.push({ file, line: bodyLine + start.line - 1, column: start.column, severity: 'warning', rule: 'raw-html', message: problem });
    }
    // Inside a paragraph, heading or table cell an HTML node is a tag in running text: the text around it stays.
    const phrasing = inline || node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell';
    for (const child of node.children ?? []) visit(child, phrasing);
  };
  visit(tree, false);
  return out;
}

function htmlProblem(value: string, inline: boolean): string | undefined {
  // A comment is meant not to be shown; only what is around it counts.
  const rest = value.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  if (rest.trim() === '') return undefined;
  const tag = firstTag(rest);
  if (inline) return contentMessages().rawHtmlInline(tag);
  const text = lostText(rest);
  return text ? contentMessages().rawHtmlBlockText(tag, quote(text)) : contentMessages().rawHtmlBlock(tag);
}

/** `<div>` for `<div align="center">`, `</div>` for an end tag; else the first characters. */
function firstTag(html: string): string {
  const m = /<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(html);
  return m ? `<${m[1]}${m[2].toLowerCase()}>` : [...html.trim()].slice(0, 12).join('');
}

/** The words a reader would have seen: the block without scripts, styles and tags, spaces collapsed. */
function lostText(html: string): string {
  return html
    .replace(/<(script|style|textarea|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function quote(text: string): string {
  const chars = [...text];
  return chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS).join('')}…` : text;
}

/** Markup in a plain-text field (title, summary, tag), as `<script>`; undefined when there is none. */
export function markupIn(value: string): string | undefined {
  const m = TAG.exec(value);
  return m ? firstTag(m[0]) : undefined;
}
