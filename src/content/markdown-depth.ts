/**
 * Hostile Markdown guard: thousands of nested quotes or lists (`>>>>>…`) parse
 * fine but overflow the stack of every recursive step after parsing (mdast →
 * hast → HTML), crashing check, preview and publish alike. Measured here with
 * an explicit stack, so the guard itself cannot overflow. Pure.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';

/**
 * Longer texts are refused before parsing: some inputs make Markdown parsing
 * quadratic (400 KB of "[a](" takes ~50 s), and no channel takes more than
 * 20,000 characters (WeChat) anyway.
 */
export const MAX_BODY_CHARS = 100_000;

/** Real advisories nest three or four levels (list in a quote, emphasis in a list item). */
export const MAX_MARKDOWN_DEPTH = 40;

interface MdNode {
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
}

const CONTAINER = /^(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/;

/**
 * A line's quote/list prefix: its container markers (`>`, `-`, `1.`; counted
 * up to one past the limit), its leading indentation and all the whitespace
 * between the markers, in columns (a tab is four).
 */
function linePrefix(line: string): { markers: number; indent: number; space: number } {
  let rest = line;
  let markers = 0;
  let indent = -1;
  let space = 0;
  for (;;) {
    const ws = /^[ \t]*/.exec(rest)![0];
    space += ws.length + 3 * (ws.split('\t').length - 1);
    if (indent < 0) indent = space;
    rest = rest.slice(ws.length);
    const m = CONTAINER.exec(rest);
    if (!m || markers > MAX_MARKDOWN_DEPTH) break;
    markers++;
    rest = rest.slice(m[0].length);
  }
  return { markers, indent, space };
}

const INLINE_DELIMITER = /[*_[\]<~`|!^]/g;

/** Inline nesting (emphasis, links…) needs one delimiter character per level inside one paragraph, which never spans a blank line. */
function inlineBound(body: string): number {
  let inline = 0;
  for (const chunk of body.split(/\n[ \t]*\r?\n/)) inline = Math.max(inline, chunk.match(INLINE_DELIMITER)?.length ?? 0);
  return inline;
}

/** The delimiter characters of the whole body: at least inlineBound's answer, found in one pass. */
const inlineDelimiters = (body: string): number => body.match(INLINE_DELIMITER)?.length ?? 0;

/** The first node deeper than MAX_MARKDOWN_DEPTH (its place in the body), or undefined. */
export function tooDeep(body: string, options: { parse?: boolean } = {}): { line: number; column: number; depth: number } | undefined {
  // One pass over the lines, without parsing. A line whose prefix is too deep is
  // refused at once: deeply indented lists also make the parser itself slow
  // (quadratic). Otherwise the prefixes bound the block depth: a list is two
  // levels (list and item), a nested item is indented ≥ 2 columns per level.
  const lines = body.split('\n');
  let containers = 0;
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].charCodeAt(0);
    // no prefix: a line that starts with none of space, tab, >, -, *, + or a digit has no marker and no indentation
    if (!(c === 32 || c === 9 || c === 62 || c === 45 || c === 42 || c === 43 || (c >= 48 && c <= 57))) continue;
    const { markers, indent, space } = linePrefix(lines[i]);
    if (markers > MAX_MARKDOWN_DEPTH || (markers > 0 && indent > MAX_MARKDOWN_DEPTH * 4)) {
      return { line: i + 1, column: 1, depth: Math.max(markers, Math.floor(indent / 2)) };
    }
    containers = Math.max(containers, markers + Math.ceil(space / 2));
  }
  if (options.parse === false) return undefined; // the caller only wants the scan (it refuses the text for another reason)
  // nearly every real text: no second parse (the delimiters of the whole body bound those of any one paragraph)
  if (3 + 2 * containers + inlineDelimiters(body) <= MAX_MARKDOWN_DEPTH) return undefined;
  if (3 + 2 * containers + inlineBound(body) <= MAX_MARKDOWN_DEPTH) return undefined;
  const tree = unified().use(remarkParse).parse(body) as MdNode;
  const stack: Array<[MdNode, number]> = [[tree, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_MARKDOWN_DEPTH) {
      const start = node.position?.start ?? { line: 1, column: 1 };
      return { line: start.line, column: start.column, depth };
    }
    for (const child of node.children ?? []) stack.push([child, depth + 1]);
  }
  return undefined;
}
