/**
 * The syntax tree remark-parse gives for the plainest Markdown, built without
 * micromark's tokenizer. Advisories are nearly all of one shape: `##`
 * headings, paragraphs of running Chinese text, `-` and `1.` lists, one item
 * a line. For such a body this returns the exact mdast remark-parse returns
 * (node for node, positions included), which the renderer then takes through
 * the same remark-rehype and sanitiser as every other body; for anything else
 * (any character that may start inline syntax, indentation, a lazy line, a
 * loose list, a paragraph a list interrupts …) it returns undefined and the
 * body goes through remark-parse. micromark reads text a character at a time
 * through its state machine (≈ 0.5 ms a body, a third of a cold site build);
 * this reads a line at a time.
 *
 * remark stays the definition: test/render/simple-markdown.test.ts holds this
 * to remark-parse's tree over every fixture and bundled advisory, thousands of
 * generated bodies of this shape and near it, and requires a refusal wherever
 * the two could differ.
 */
import type { Heading, List, ListItem, Paragraph, Root, RootContent, Text } from 'mdast';
import type { Element, ElementContent, Root as HastRoot, Text as HastText } from 'hast';

interface Point {
  line: number;
  column: number;
  offset: number;
}

/**
 * Characters that may start inline syntax or change a line's meaning (emphasis, code, links and images,
 * HTML and autolinks, references and escapes, GFM's tables and strikethrough, a heading's closing `#`), or
 * whose column counting this file does not model (tabs, carriage returns and other control characters,
 * characters outside the BMP).
 * GFM's autolink literals need `http`, `www` or `@`: refused with `@` here and by the caller's gate for the rest.
 */
const INLINE_SPECIAL = /[\\`*_[\]<>&~|#@\x00-\x09\x0b-\x1f\x7f\uD800-\uDFFF]/;
/** A line that opens some other block when it begins a paragraph line or an item's text: refused. */
const BLOCK_START = /^(?:[-+*=>#]|\d{1,9}[.)](?:\s|$))/;
const WHITESPACE_EDGE = /^\s|\s$/;
const ORDERED = /^(\d{1,9})\. /;

type Kind = 'heading' | 'bullet' | 'ordered' | 'text' | 'blank';

function kindOf(line: string): Kind {
  if (line === '') return 'blank';
  if (line.startsWith('#')) return 'heading';
  if (line.startsWith('- ')) return 'bullet';
  if (ORDERED.test(line)) return 'ordered';
  return 'text';
}

/** Inline text this file can give as one text node: nothing that parses as anything else, no edge whitespace. */
const plainText = (s: string) => s !== '' && !INLINE_SPECIAL.test(s) && !WHITESPACE_EDGE.test(s);

export function simpleMdast(source: string): Root | undefined {
  if (INLINE_SPECIAL.test(source.replace(/^#{1,6} /gm, ''))) return undefined;
  const lines = source.split('\n');
  // offsets of each line's start
  const starts: number[] = new Array(lines.length);
  for (let i = 0, off = 0; i < lines.length; i++) {
    starts[i] = off;
    off += lines[i].length + 1;
  }
  const at = (line: number, column: number): Point => ({ line: line + 1, column: column + 1, offset: starts[line] + column });
  const text = (value: string, start: Point, end: Point): Text => ({ type: 'text', value, position: { start, end } });

  const children: RootContent[] = [];
  let list: List | undefined; // the list being built (its items on consecutive lines)
  let lastBlock: Kind | undefined; // the kind of the last block finished or open
  let paragraph: { first: number; last: number } | undefined;

  const closeParagraph = () => {
    if (!paragraph) return;
    const { first, last } = paragraph;
    const start = at(first, 0);
    const end = at(last, lines[last].length);
    const value = lines.slice(first, last + 1).join('\n');
    children.push({ type: 'paragraph', children: [text(value, start, end)], position: { start, end } } satisfies Paragraph);
    paragraph = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const kind = kindOf(line);
    if (kind === 'blank') {
      closeParagraph();
      list = undefined;
      continue;
    }
    if (WHITESPACE_EDGE.test(line)) return undefined;
    if (kind === 'heading') {
      const m = /^(#{1,6}) (.*)$/.exec(line);
      if (!m || !plainText(m[2])) return undefined;
      closeParagraph();
      list = undefined;
      const depth = m[1].length as Heading['depth'];
      const start = at(i, 0);
      const end = at(i, line.length);
      children.push({ type: 'heading', depth, children: [text(m[2], at(i, depth + 1), end)], position: { start, end } } satisfies Heading);
      lastBlock = 'heading';
      continue;
    }
    if (kind === 'bullet' || kind === 'ordered') {
      // A list that interrupts a paragraph, a loose list (items a blank line apart) or a change of marker: remark's rules, not modelled.
      if (paragraph) return undefined;
      if (!list && lastBlock === kind) return undefined;
      if (list && list.ordered !== (kind === 'ordered')) return undefined;
      const number = kind === 'ordered' ? ORDERED.exec(line)! : undefined;
      const marker = number ? number[0].length : 2;
      const content = line.slice(marker);
      if (!plainText(content) || BLOCK_START.test(content)) return undefined;
      const start = at(i, 0);
      const end = at(i, line.length);
      const contentStart = at(i, marker);
      const item: ListItem = {
        type: 'listItem',
        spread: false,
        checked: null,
        children: [{ type: 'paragraph', children: [text(content, contentStart, end)], position: { start: contentStart, end } }],
        position: { start, end },
      };
      if (!list) {
        list = {
          type: 'list',
          ordered: number !== undefined,
          start: number ? Number(number[1]) : null,
          spread: false,
          children: [],
          position: { start, end },
        };
        children.push(list);
      }
      list.children.push(item);
      list.position!.end = end;
      lastBlock = kind;
      continue;
    }
    // running text: a new paragraph or the next line of one; never a lazy line of a list item
    if (list) return undefined;
    if (BLOCK_START.test(line) || !plainText(line)) return undefined;
    if (paragraph) paragraph.last = i;
    else paragraph = { first: i, last: i };
    lastBlock = 'text';
  }
  closeParagraph();
  const last = lines.length - 1;
  return { type: 'root', children, position: { start: at(0, 0), end: at(last, lines[last].length) } };
}

/**
 * remark-rehype's hast (after the sanitiser, which keeps every node of such a
 * tree as it is) and hast-util-to-html's HTML for a tree simpleMdast gave:
 * headings, paragraphs, lists and text only, the text free of `<` and `&`
 * (the only characters the serializer escapes in text). The test holds both
 * to the full pipeline, node for node and byte for byte.
 */
export function simpleHast(root: Root): { hast: HastRoot; html: string } {
  const newline = (): HastText => ({ type: 'text', value: '\n' });
  const textOf = (t: Text): HastText => ({ type: 'text', value: t.value, position: t.position });
  const html: string[] = [];
  const children: Array<Element | HastText> = [];
  for (const block of root.children) {
    if (children.length > 0) children.push(newline());
    if (block.type === 'heading' || block.type === 'paragraph') {
      const text = block.children[0] as Text;
      const tagName = block.type === 'heading' ? `h${block.depth}` : 'p';
      children.push({ type: 'element', tagName, properties: {}, children: [textOf(text)], position: block.position });
      html.push(`<${tagName}>${text.value}</${tagName}>`);
    } else if (block.type === 'list') {
      const tagName = block.ordered ? 'ol' : 'ul';
      const items: ElementContent[] = [newline()];
      const start = block.ordered && block.start !== 1 && typeof block.start === 'number' ? block.start : undefined;
      let out = start === undefined ? `<${tagName}>\n` : `<${tagName} start="${start}">\n`;
      for (const item of block.children) {
        const text = (item.children[0] as Paragraph).children[0] as Text;
        items.push({ type: 'element', tagName: 'li', properties: {}, children: [textOf(text)], position: item.position }, newline());
        out += `<li>${text.value}</li>\n`;
      }
      children.push({ type: 'element', tagName, properties: start === undefined ? {} : { start }, children: items, position: block.position });
      html.push(`${out}</${tagName}>`);
    } else {
      throw new Error(`simpleHast: a ${block.type} node is not of the plain kind`);
    }
  }
  return { hast: { type: 'root', children, position: root.position }, html: html.join('\n') };
}
