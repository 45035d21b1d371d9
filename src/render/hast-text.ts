/**
 * A readable plain-text rendition of a (sanitised) hast tree, for e-mail text
 * parts and anything else without HTML: headings on their own line in
 * 【】 (h1–h3; how Chinese plain text marks a heading), lists as
 * `- item` / `1. item`, links as `text (url)`, blocks separated by a blank line.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { textOf } from './sections.js';

const BLOCK = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'pre', 'table', 'hr', 'section', 'div', 'details',
  'dl',
]);

export function hastToText(tree: Root | Element): string {
  const blocks = renderBlocks(tree.children);
  return blocks.join('\n\n').replace(/\n{3,}/g, '\n\n').trim();
}

function renderBlocks(nodes: Array<RootContent | ElementContent>): string[] {
  const out: string[] = [];
  let inline = '';
  const flush = (): void => {
    const t = inline.replace(/[ \t]+\n/g, '\n').trim();
    if (t) out.push(t);
    inline = '';
  };
  for (const node of nodes) {
    if (node.type === 'element' && BLOCK.has(node.tagName)) {
      flush();
      const b = renderBlock(node);
      if (b) out.push(b);
    } else {
      inline += renderInline(node);
    }
  }
  flush();
  return out;
}

function renderBlock(el: Element): string {
  switch (el.tagName) {
    case 'ul':
    case 'ol':
      return renderList(el, 0);
    case 'blockquote':
      return renderBlocks(el.children).join('\n\n').split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
    case 'pre':
      return textOf(el).replace(/\n$/, '');
    case 'hr':
      return '----';
    case 'table':
      return tableRows(el).map((row) => row.join(' | ')).join('\n');
    case 'h1':
    case 'h2':
    case 'h3': {
      const heading = inlineOf(el.children).replace(/\s+/g, ' ').trim();
      return heading ? `【${heading}】` : '';
    }
    case 'p':
    case 'h4':
    case 'h5':
    case 'h6':
      return inlineOf(el.children).replace(/[ \t]{2,}/g, ' ').trim();
    default:
      return renderBlocks(el.children).join('\n\n');
  }
}

function renderList(list: Element, depth: number): string {
  const ordered = list.tagName === 'ol';
  const startAttr = Number(list.properties?.start ?? 1);
  let n = Number.isFinite(startAttr) ? startAttr : 1;
  const indent = '   '.repeat(depth);
  const lines: string[] = [];
  for (const item of list.children) {
    if (item.type !== 'element' || item.tagName !== 'li') continue;
    const marker = ordered ? `${n++}. ` : '- ';
    const own: Array<ElementContent> = [];
    const nested: string[] = [];
    for (const c of item.children) {
      if (c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol')) nested.push(renderList(c, depth + 1));
      else own.push(c);
    }
    const body = renderBlocks(own).join('\n').split('\n');
    lines.push(`${indent}${marker}${body[0] ?? ''}`);
    for (const rest of body.slice(1)) lines.push(`${indent}${' '.repeat(marker.length)}${rest}`);
    lines.push(...nested);
  }
  return lines.join('\n');
}

function tableRows(table: Element): string[][] {
  const rows: string[][] = [];
  const walk = (el: Element): void => {
    for (const c of el.children) {
      if (c.type !== 'element') continue;
      if (c.tagName === 'tr') {
        rows.push(c.children.filter((x): x is Element => x.type === 'element').map((cell) => inlineOf(cell.children).trim()));
      } else walk(c);
    }
  };
  walk(table);
  return rows;
}

function inlineOf(nodes: ElementContent[]): string {
  return nodes.map(renderInline).join('');
}

function renderInline(node: RootContent | ElementContent): string {
  if (node.type === 'text') return node.value.replace(/\s*\n\s*/g, ' ');
  if (node.type !== 'element') return '';
  switch (node.tagName) {
    case 'br':
      return '\n';
    case 'img': {
      const alt = String(node.properties?.alt ?? '').trim();
      return alt ? `[${alt}]` : '';
    }
    case 'a': {
      if (node.properties?.dataFootnoteBackref !== undefined) return ''; // "↩" means nothing in plain text
      const label = inlineOf(node.children).trim();
      const href = typeof node.properties?.href === 'string' ? node.properties.href : '';
      if (!href || href.startsWith('#') || href === label) return label || href;
      const shown = href.replace(/^mailto:/, '');
      return label && label !== shown ? `${label} (${shown})` : shown;
    }
    case 'input':
      return node.properties?.checked ? '[x]' : '[ ]';
    default:
      if (BLOCK.has(node.tagName)) return `\n${renderBlock(node)}\n`;
      return inlineOf(node.children);
  }
}
