/**
 * An advisory's text as the site body keeps it for the feeds and CAP: one
 * section per `##` part (see render/sections.ts), each as plain text and as
 * HTML. The HTML is the page's own sanitised body (lists, tables, emphasis,
 * links kept), with every address made absolute, because a feed reader shows
 * it away from the site. Text before the first heading, and GFM footnotes,
 * become sections without a title, so nothing the page shows is left out.
 */
import type { Element, ElementContent, Properties, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toText } from 'hast-util-to-text';
import type { SiteSection } from './site-body.js';

export interface FeedAddresses {
  /** The advisory page's absolute URL: relative links in the text are relative to it. */
  page: string;
  /** Where a picture of the text is served on the site (a path or URL; resolved against `page`). */
  picture(src: string): string;
}

/** Schemes a feed item may link to (the sanitiser allows no others; this keeps it so if it ever did). */
const SAFE_LINK = /^(?:https?:|mailto:|tel:)/i;

export function feedSections(tree: Root, at: FeedAddresses): SiteSection[] {
  const out: SiteSection[] = [];
  let loose: ElementContent[] | null = null; // content outside any part, gathered until the next part
  const flush = (): void => {
    if (loose && loose.some((n) => n.type === 'element')) out.push(section('', loose, false, at));
    loose = null;
  };
  for (const node of tree.children) {
    if (node.type === 'element' && isPart(node)) {
      flush();
      const [heading, ...rest] = node.children;
      const classes = (node.properties?.className as string[] | undefined) ?? [];
      out.push(section(heading ? toText(heading).trim() : '', rest, classes.includes('part-advice'), at));
    } else if (node.type === 'element' || node.type === 'text') {
      (loose ??= []).push(node);
    }
  }
  flush();
  return out;
}

function isPart(node: Element): boolean {
  return node.tagName === 'section' && ((node.properties?.className as string[] | undefined) ?? []).includes('part');
}

function section(title: string, children: ElementContent[], advice: boolean, at: FeedAddresses): SiteSection {
  const text = children
    .filter((c): c is Element => c.type === 'element')
    .map((c) => toText(c, { whitespace: 'normal' }).trim())
    .filter(Boolean)
    .join('\n');
  const html = toHtml({ type: 'root', children: children.map((c) => absolute(c, at)) })
    .trim()
    // a feed's RSS carries the HTML in a CDATA section, which `]]>` would end: the same text, written so it cannot
    .replace(/]]>/g, ']]&gt;');
  return { title, text, html, advice };
}

/** A copy of `node` with absolute link and picture addresses (the input tree is shared with the page: not changed). */
function absolute(node: ElementContent, at: FeedAddresses): ElementContent {
  if (node.type !== 'element') return node;
  let properties: Properties = node.properties ?? {};
  if (node.tagName === 'a' && typeof properties.href === 'string') properties = { ...properties, href: link(properties.href, at.page) };
  if (node.tagName === 'img' && typeof properties.src === 'string') properties = { ...properties, src: link(at.picture(properties.src), at.page) };
  return { ...node, properties, children: node.children.map((c) => absolute(c, at)) };
}

function link(href: string, base: string): string | undefined {
  if (href.startsWith('#')) return `${base}${href}`;
  try {
    const url = new URL(href, base).href;
    return SAFE_LINK.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}
