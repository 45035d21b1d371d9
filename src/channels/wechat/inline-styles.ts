/**
 * Turns the templated article into HTML WeChat keeps: juice inlines the style
 * sheet, then the tree is cleaned the way the editor's paste filter would
 * otherwise do it unpredictably:
 * - only ALLOWED_TAGS survive; other elements are unwrapped to their content
 *   (h1 → h2, h4–h6 → h3, div → section, so structure is kept);
 * - `<style>`, `<script>`, `<link>` and friends are dropped with their content;
 * - no attribute but `style` (plus `src`/`alt` on img, `href` on WeChat links);
 * - a list nested in an `<li>` is moved out to follow that item (doocs/md);
 * - what WeChat has no tag for keeps its meaning as text: a table becomes one
 *   paragraph per row (`cell ｜ cell`), a code block a paragraph with line
 *   breaks, a task-list checkbox ☐/☑, `sup`/`del`/`code` styled spans.
 */
import juice from 'juice';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { isWechatUrl } from './footnotes.js';

export const ALLOWED_TAGS = new Set(['section', 'p', 'span', 'strong', 'em', 'ul', 'ol', 'li', 'img', 'br', 'h2', 'h3', 'blockquote']);
const DROPPED_WITH_CONTENT = new Set(['style', 'script', 'link', 'meta', 'title', 'head', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math']);
const RENAMED: Record<string, string> = {
  h1: 'h2', h4: 'h3', h5: 'h3', h6: 'h3', div: 'section', b: 'strong', i: 'em', article: 'section',
  sup: 'span', sub: 'span', del: 'span', s: 'span', code: 'span', kbd: 'span', mark: 'span', hr: 'section', pre: 'p',
};
const CELL_SEPARATOR = ' ｜ ';

export function wechatHtml(html: string, css: string): string {
  const inlined = juice.inlineContent(html, css, {
    inlinePseudoElements: false,
    applyWidthAttributes: false,
    applyHeightAttributes: false,
    removeStyleTags: true,
    preserveImportant: false,
  });
  const tree = fromHtml(inlined, { fragment: true });
  const cleaned: Root = { type: 'root', children: cleanChildren(tree.children) as RootContent[] };
  return toHtml(cleaned);
}

function cleanChildren(nodes: Array<RootContent | ElementContent>): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text') out.push(node);
    else if (node.type === 'element') out.push(...cleanElement(node));
    // comments and doctypes are dropped
  }
  return out;
}

function cleanElement(el: Element): ElementContent[] {
  const tag = RENAMED[el.tagName] ?? el.tagName;
  if (DROPPED_WITH_CONTENT.has(tag)) return [];
  if (el.tagName === 'input') return el.properties?.type === 'checkbox' ? [{ type: 'text', value: el.properties.checked ? '☑' : '☐' }] : [];
  if (el.tagName === 'table') return tableRows(el);
  const children = el.tagName === 'pre' ? preserveLineBreaks(cleanChildren(el.children)) : cleanChildren(el.children);
  const style = typeof el.properties?.style === 'string' ? el.properties.style : undefined;
  if (tag === 'a') {
    const href = typeof el.properties?.href === 'string' ? el.properties.href : '';
    if (isWechatUrl(href)) return [{ type: 'element', tagName: 'a', properties: withStyle({ href }, style), children }];
    return children;
  }
  if (!ALLOWED_TAGS.has(tag)) return children;
  const properties: Element['properties'] = withStyle({}, style);
  if (tag === 'img') {
    if (typeof el.properties?.src === 'string') properties.src = el.properties.src;
    if (typeof el.properties?.alt === 'string') properties.alt = el.properties.alt;
  }
  const cleaned: Element = { type: 'element', tagName: tag, properties, children };
  if (tag === 'ul' || tag === 'ol') cleaned.children = hoistNestedLists(children);
  return [cleaned];
}

/** One `<p>` per table row, cells separated by ｜, header cells bold: readable on a phone. */
function tableRows(table: Element): ElementContent[] {
  const rows: ElementContent[] = [];
  const walk = (el: Element): void => {
    for (const c of el.children) {
      if (c.type !== 'element') continue;
      if (c.tagName !== 'tr') {
        walk(c);
        continue;
      }
      const cells = c.children.filter((x): x is Element => x.type === 'element' && (x.tagName === 'td' || x.tagName === 'th'));
      const children: ElementContent[] = [];
      cells.forEach((cell, i) => {
        if (i > 0) children.push({ type: 'text', value: CELL_SEPARATOR });
        const content = cleanChildren(cell.children);
        children.push(...(cell.tagName === 'th' ? [{ type: 'element', tagName: 'strong', properties: {}, children: content } as Element] : content));
      });
      const style = typeof c.properties?.style === 'string' ? c.properties.style : undefined;
      rows.push({ type: 'element', tagName: 'p', properties: withStyle({}, style), children });
    }
  };
  walk(table);
  return rows;
}

/** A code block's line breaks as `<br>` (WeChat has no `<pre>`). */
function preserveLineBreaks(nodes: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type !== 'text') {
      if (node.type === 'element') node.children = preserveLineBreaks(node.children);
      out.push(node);
      continue;
    }
    node.value.replace(/\n$/, '').split('\n').forEach((line, i) => {
      if (i > 0) out.push({ type: 'element', tagName: 'br', properties: {}, children: [] });
      if (line) out.push({ type: 'text', value: line });
    });
  }
  return out;
}

/** `<li>a<ul>…</ul></li>` → `<li>a</li><ul>…</ul>`: WeChat mangles lists inside items. */
function hoistNestedLists(items: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const item of items) {
    if (item.type !== 'element' || item.tagName !== 'li') {
      out.push(item);
      continue;
    }
    const nested = item.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol'));
    item.children = item.children.filter((c) => !nested.includes(c as Element));
    out.push(item, ...nested);
  }
  return out;
}

function withStyle(props: Element['properties'], style: string | undefined): Element['properties'] {
  const s = style?.replace(/\s*position\s*:[^;]*;?/gi, '').trim();
  return s ? { ...props, style: s } : props;
}
