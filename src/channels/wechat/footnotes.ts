/**
 * WeChat makes only mp.weixin.qq.com links clickable. Like doocs/md, every
 * other link becomes its text plus a numbered note `[1]`, and the notes are
 * listed at the end of the article under 参考链接. Links to the same URL share
 * a number. Works on a copy; the input tree is not changed.
 */
import type { Element, ElementContent, Root } from 'hast';
import { textOf } from '../../render/sections.js';

export interface Footnote {
  n: number;
  /** The link's text; empty when it is the URL itself. */
  text: string;
  url: string;
}

export function isWechatUrl(href: string): boolean {
  try {
    const u = new URL(href);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname === 'mp.weixin.qq.com';
  } catch {
    return false;
  }
}

export function footnoteLinks(tree: Root): { hast: Root; notes: Footnote[] } {
  const hast = structuredClone(tree);
  const notes: Footnote[] = [];
  const byUrl = new Map<string, number>();
  const visit = (parent: Root | Element): void => {
    parent.children = parent.children.flatMap((child): ElementContent[] => {
      if (child.type !== 'element') return [child as ElementContent];
      if (child.tagName !== 'a') {
        visit(child);
        return [child];
      }
      const href = typeof child.properties?.href === 'string' ? child.properties.href : '';
      visit(child);
      if (child.properties?.dataFootnoteBackref !== undefined) return []; // a "↩" back to the text: no anchors in WeChat
      if (!href || href.startsWith('#')) return child.children; // in-page anchors mean nothing in WeChat
      if (isWechatUrl(href)) return [child];
      const text = textOf(child).trim();
      let n = byUrl.get(href);
      if (n === undefined) {
        n = notes.length + 1;
        byUrl.set(href, n);
        const url = href.replace(/^mailto:/, '');
        // An autolink's text is its URL: the note then shows the URL once, not "url：url".
        notes.push({ n, text: text === href || text === url ? '' : text, url });
      }
      return [
        ...child.children,
        { type: 'element', tagName: 'span', properties: { className: ['footnote-ref'] }, children: [{ type: 'text', value: `[${n}]` }] },
      ];
    });
  };
  visit(hast);
  return { hast, notes };
}
