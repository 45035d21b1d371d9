/**
 * The pictures an advisory's text shows, found by the same Markdown grammar
 * the renderer uses (remark-parse + remark-gfm), so none slips past `check`:
 * an alt text with brackets (`![a [b]](../x.png)`) or across lines, a
 * reference (`![a][r]` with `[r]: ../../etc/hosts.png`), a picture in a table
 * or a footnote. A regular expression missed those, and their broken `<img>`
 * reached e-mail and the website. Pure.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';

export interface BodyImage {
  /** As written (percent-decoding undone, as the renderer's URL does). */
  src: string;
  /** 1-based, in the file. */
  line: number;
  column: number;
}

interface MdNode {
  type: string;
  url?: string;
  identifier?: string;
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
}

const parser = unified().use(remarkParse).use(remarkGfm).freeze();

/** Markdown images in `body` (which starts at line `bodyLine` of its file), in text order. */
export function bodyImages(body: string, bodyLine: number): BodyImage[] {
  if (!body.includes('![')) return []; // every image, inline or by reference, starts so: no parse needed
  const tree = parser.parse(body) as MdNode;
  const definitions = new Map<string, string>();
  const images: MdNode[] = [];
  const stack: MdNode[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'definition' && node.identifier !== undefined && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url ?? '');
    if (node.type === 'image' || node.type === 'imageReference') images.push(node);
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  const found: BodyImage[] = [];
  for (const node of images) {
    const url = node.type === 'image' ? node.url : definitions.get(node.identifier ?? '');
    if (url === undefined) continue; // `![a][nothing]` is text, not a picture
    const start = node.position?.start ?? { line: 1, column: 1 };
    found.push({ src: decode(url), line: bodyLine + start.line - 1, column: start.column });
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

function decode(src: string): string {
  try {
    return decodeURI(src);
  } catch {
    return src; // not percent-encoded after all: the name as written
  }
}
