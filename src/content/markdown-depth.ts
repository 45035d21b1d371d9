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

const CONTAINER = /^[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/;

/**
 * A line whose quote/list prefix is too deep, found without parsing: deeply
 * indented lists also make the parser itself slow (quadratic), so they are
 * refused before it runs.
 */
function deepLine(body: string): { line: number; column: number; depth: number } | undefined {
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let rest = lines[i];
    let markers = 0;
    for (let m = CONTAINER.exec(rest); m && markers <= MAX_MARKDOWN_DEPTH; m = CONTAINER.exec(rest)) {
      markers++;
      rest = rest.slice(m[0].length);
    }
    const indent = (/^[ \t]*/.exec(lines[i])?.[0] ?? '').replace(/\t/g, '    ').length;
    const isContainer = CONTAINER.test(lines[i]);
    if (markers > MAX_MARKDOWN_DEPTH || (isContainer && indent > MAX_MARKDOWN_DEPTH * 4)) {
      return { line: i + 1, column: 1, depth: Math.max(markers, Math.floor(indent / 2)) };
    }
  }
  return undefined;
}

/**
 * An upper bound on the tree's depth, without parsing: block containers on a
 * line come from its markers (`>`, `-`, `1.`; a list is two levels, list and
 * item) and its leading whitespace (a nested item is indented ≥ 2 columns per
 * level), and inline nesting (emphasis, links…) needs one delimiter character
 * per level inside one paragraph, which never spans a blank line.
 */
function depthBound(body: string): number {
  let containers = 0;
  for (const line of body.split('\n')) {
    let rest = line;
    let here = 0;
    let space = 0;
    for (;;) {
      const ws = /^[ \t]*/.exec(rest)![0];
      space += ws.length + 3 * (ws.split('\t').length - 1);
      rest = rest.slice(ws.length);
      const m = CONTAINER.exec(rest);
      if (!m || here > MAX_MARKDOWN_DEPTH) break;
      here++;
      rest = rest.slice(m[0].length);
    }
    containers = Math.max(containers, here + Math.ceil(space / 2));
  }
  let inline = 0;
  for (const chunk of body.split(/\n[ \t]*\r?\n/)) inline = Math.max(inline, chunk.replace(/[^*_[\]<~`|!^]/g, '').length);
  return 3 + 2 * containers + inline;
}

/** The first node deeper than MAX_MARKDOWN_DEPTH (its place in the body), or undefined. */
export function tooDeep(body: string): { line: number; column: number; depth: number } | undefined {
  const byLine = deepLine(body);
  if (byLine) return byLine;
  if (depthBound(body) <= MAX_MARKDOWN_DEPTH) return undefined; // nearly every real text: no second parse
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
