/**
 * RSS 2.0, Atom and JSON Feed (the `feed` package) of the newest advisories,
 * and `sitemap.xml`. Dates come from the content (never "now"), so an
 * unchanged site produces byte-identical feeds and the deploy can link them.
 */
import { Feed } from 'feed';
import type { SiteConfig } from '../../../config/channels.js';
import type { SiteSection } from '../site-body.js';
import type { DatedEntry } from './order.js';
import type { SiteAdvisoryMeta } from './state.js';

/** The section texts of one advisory (read from its published body, only for the items a feed carries). */
export type SectionsOf = (campaignId: string, advisoryId: string) => SiteSection[];

const FEED_ITEMS = 50;

export function feeds(site: SiteConfig, items: DatedEntry[], sectionsOf: SectionsOf): { rss: string; atom: string; json: string } {
  const entries = items
    .flatMap((i) => i.entry.advisories.map((a, n) => ({ i, a, n })))
    .sort((x, y) => (x.i.date === y.i.date ? x.n - y.n : x.i.date < y.i.date ? 1 : -1))
    .slice(0, FEED_ITEMS)
    .map(({ i, a }) => ({
      a,
      date: toDate(i.date, i.entry.publishedAt),
      issuer: i.entry.campaign.issuer,
      content: sectionsHtml(sectionsOf(i.entry.id, a.id)) || `<p>${xmlEscape(a.summary)}</p>`,
    }));
  // Titles and summaries are plain text. RSS and Atom carry them as HTML (Atom says type="html"), so they are
  // escaped once, there: a summary that reads "&lt;script&gt;" is shown so, never as a tag. JSON Feed's are
  // plain text, as written.
  const xml = feedOf(site, entries, xmlEscape);
  // the Atom feed says its language as RSS does (<language>): readers pick fonts and speech by it
  const atom = xml.atom1().replace('<feed xmlns="http://www.w3.org/2005/Atom">', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">');
  return { rss: xml.rss2(), atom, json: feedOf(site, entries, (text) => text).json1() };
}

interface FeedEntry {
  a: SiteAdvisoryMeta;
  date: Date;
  issuer: string;
  /** Sanitised HTML. */
  content: string;
}

function feedOf(site: SiteConfig, entries: FeedEntry[], text: (plain: string) => string): Feed {
  const feed = new Feed({
    id: `${site.baseUrl}/`,
    title: site.title,
    description: `${site.issuer}发布的节日公共安全防范提示（不是官方预警信息）`,
    link: `${site.baseUrl}/`,
    language: 'zh-CN',
    updated: entries.length ? entries[0].date : new Date(0),
    generator: 'advisory',
    copyright: site.issuer,
    author: { name: site.issuer, link: `${site.baseUrl}/` },
    feedLinks: { rss: `${site.baseUrl}/feed.xml`, atom: `${site.baseUrl}/atom.xml`, json: `${site.baseUrl}/feed.json` },
  });
  for (const { a, date, issuer, content } of entries) {
    feed.addItem({
      title: text(a.title),
      id: a.url,
      link: a.url,
      date,
      published: date,
      description: text(a.summary),
      content,
      // A tag that was only markup is empty once made plain text: no empty <category>.
      category: a.tags.filter((t) => t.trim() !== '').map((t) => ({ name: t })),
      author: [{ name: issuer }],
    });
  }
  return feed;
}

export function sitemap(site: SiteConfig, items: DatedEntry[], extraPaths: string[]): string {
  const urls: string[] = extraPaths.map((p) => url(`${site.baseUrl}/${p}`));
  for (const i of [...items].sort((a, b) => a.entry.id.localeCompare(b.entry.id))) {
    const lastmod = i.date.slice(0, 10);
    urls.push(url(i.entry.campaign.url, lastmod));
    for (const a of i.entry.advisories) urls.push(url(a.url, lastmod));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

function url(loc: string, lastmod?: string): string {
  return `<url><loc>${xmlEscape(encodeURI(decodeURI(loc)))}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
}

export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A content date (`YYYY-MM-DD…`, China local when it has no offset) as a Date. */
export function toDate(date: string, fallback: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? new Date(`${date}T00:00:00+08:00`)
    : new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(date) ? date : `${date.replace(' ', 'T')}+08:00`);
  return Number.isNaN(d.getTime()) ? new Date(fallback) : d;
}

/**
 * Feed readers expect HTML content: each part's heading and its text as the page shows it (lists, tables,
 * emphasis and links kept: `html`, sanitised when rendered); a body rendered before feeds kept that structure
 * has only the plain text, as paragraphs.
 */
function sectionsHtml(sections: SiteSection[]): string {
  return sections
    .map((s) => {
      const heading = s.title ? `<h2>${xmlEscape(s.title)}</h2>` : '';
      const text = s.html ?? s.text.split('\n').map((l) => `<p>${xmlEscape(l)}</p>`).join('');
      return `${heading}${text}`;
    })
    .join('');
}
