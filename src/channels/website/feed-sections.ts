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
    .map((c) => (plainText(c) ?? toText(c, { whitespace: 'normal' })).trim())
    .filter(Boolean)
    .join('\n');
  const html = (plainHtml(children) ?? toHtml({ type: 'root', children: children.map((c) => absolute(c, at)) }))
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

/*
 * Most sections are paragraphs and lists of plain text (no link, picture or attribute to make absolute, nothing
 * to escape): their text and HTML are written here directly, as hast-util-to-text (white space normal) and
 * hast-util-to-html write them; test/site/feed-plain.test.ts holds the two to those libraries node for node.
 * Anything else returns undefined and goes through the libraries.
 */
const PLAIN_BLOCK = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li']);
const WHITESPACE_RUN = /[ \t\n]+/g;
/** Other control characters, whose handling the libraries decide case by case: left to them. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

/** The text of a paragraph, heading or list item holding only text. */
function blockText(el: Element): string | undefined {
  if (!PLAIN_BLOCK.has(el.tagName) || Object.keys(el.properties ?? {}).length > 0) return undefined;
  let value = '';
  for (const c of el.children) {
    if (c.type !== 'text' || CONTROL.test(c.value)) return undefined;
    value += c.value;
  }
  return value.replace(WHITESPACE_RUN, ' ').replace(/^ | $/g, '');
}

/** hast-util-to-text's answer (white space normal) for a plain block or a list of them; undefined for anything else. */
export function plainText(el: Element): string | undefined {
  if (el.tagName !== 'ul' && el.tagName !== 'ol') return blockText(el);
  const items: string[] = [];
  for (const c of el.children) {
    if (c.type === 'text' && c.value === '\n') continue;
    if (c.type !== 'element' || c.tagName !== 'li') return undefined;
    const t = blockText(c);
    if (t === undefined) return undefined;
    items.push(t);
  }
  return items.filter((t) => t !== '').join('\n');
}

/** hast-util-to-html's answer for plain blocks, lists of them and the line breaks between; undefined for anything else. */
export function plainHtml(nodes: ElementContent[]): string | undefined {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') {
      if (/[<&]/.test(node.value)) return undefined;
      out += node.value;
      continue;
    }
    if (node.type !== 'element') return undefined;
    const props = node.properties ?? {};
    const keys = Object.keys(props);
    const list = node.tagName === 'ul' || node.tagName === 'ol';
    if (!list && !PLAIN_BLOCK.has(node.tagName)) return undefined;
    if (keys.length > 0 && !(node.tagName === 'ol' && keys.length === 1 && Number.isInteger(props.start))) return undefined;
    if (!list && node.children.some((c) => c.type !== 'text')) return undefined;
    const inner = plainHtml(node.children);
    if (inner === undefined) return undefined;
    out += `<${node.tagName}${keys.length > 0 ? ` start="${props.start as number}"` : ''}>${inner}</${node.tagName}>`;
  }
  return out;
}
