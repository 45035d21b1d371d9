/**
 * The site-wide files of one build, as data: home, archive, tag pages, 404,
 * the large-text mode pages, feeds, sitemap, CAP index, robots.txt and the
 * style sheets. Campaign pages come frozen from the published payloads.
 */
import type { SiteConfig } from '../../../config/channels.js';
import type { Renderer } from '../../../render/renderer.js';
import { basePathOf, chrome, tagSlug, type SiteRenderOptions } from '../chrome.js';
import type { FileContent } from './deploy.js';
import { archiveGroups, homeOrder, isExpired, localDay, type DatedEntry } from './order.js';
import { feeds, sitemap, type SectionsOf } from './feeds.js';
import { capIndex } from './cap.js';
import { SUBSCRIBE_DESCRIPTION, SUBSCRIBE_PATH, SUBSCRIBE_TITLE, subscribeFormView } from '../public-page.js';
import type { SiteAdvisoryMeta } from './state.js';
import { sha256 } from '../../../hash.js';

/** Top-level names the site uses itself; a campaign cannot have one as its id. */
export const SITE_NAMES = ['tags', 'archive', 'assets', 'mode', 'cap', 'subscribe', 'unsubscribe', 'preview-site', 'index.html', '404.html', 'feed.xml', 'atom.xml', 'feed.json', 'sitemap.xml', 'robots.txt'];

const RECENT = 10;
/** Tips per tag page: a list an older reader can take in on a phone. */
const PER_PAGE = 20;
const ASSETS = ['style.css', 'mode.js'];

interface Card {
  href: string;
  title: string;
  summary: string;
}

/**
 * Pages rendered by an earlier build, by a digest of their template and data: a page whose data did not change
 * (most tag and archive pages, when one campaign is published) is taken from it instead of rendered again.
 */
export interface PageMemo {
  get(key: string): string | undefined;
  set(key: string, html: string): void;
}

export function sitePages(
  renderer: Renderer,
  site: SiteConfig,
  options: SiteRenderOptions,
  items: DatedEntry[],
  now: Date,
  sections: SectionsOf,
  memo?: PageMemo,
): Map<string, FileContent> {
  const files = new Map<string, FileContent>();
  const base = options.basePath;
  const page = (path: string, template: string, title: string, description: string, data: object): void => {
    const view = { layout: chrome(site, options, { title, description, path }), ...data };
    if (!memo) return void files.set(path, renderer.template('website', template, view));
    const key = sha256(`${renderer.templatesHash}\0${template}\0${JSON.stringify(view)}`);
    let html = memo.get(key);
    if (html === undefined) html = renderer.template('website', template, view);
    memo.set(key, html);
    files.set(path, html);
  };
  const today = localDay(now);
  const campaignCard = (i: DatedEntry): Card => ({
    href: `${base}/${i.entry.campaign.path}`,
    title: isExpired(i, today) ? `${i.entry.campaign.title}（已过期）` : i.entry.campaign.title,
    summary: i.entry.campaign.summary,
  });
  const advisoryCard = (a: SiteAdvisoryMeta): Card => ({ href: `${base}/${a.path}`, title: a.title, summary: a.summary });

  const { featured, when, rest } = homeOrder(items, now);
  page('index.html', 'home', site.title, `${site.issuer}发布的节日公共安全防范提示`, {
    featured: featured
      ? {
          ...campaignCard(featured),
          when,
          advisories: featured.entry.advisories.map(advisoryCard),
        }
      : null,
    recent: rest.slice(0, RECENT).map(campaignCard),
  });

  page('archive/index.html', 'archive', '往期防范提示', '按年份和节日查看往期的安全防范提示', {
    years: archiveGroups(items).map((y) => ({
      year: y.year,
      label: `${y.year}年`,
      holidays: y.holidays.map((h) => ({ name: h.name, campaigns: h.items.map(campaignCard) })),
    })),
  });

  const tags = new Map<string, { name: string; items: Card[] }>();
  for (const i of [...items].sort((a, b) => b.date.localeCompare(a.date) || a.entry.id.localeCompare(b.entry.id))) {
    for (const a of i.entry.advisories) {
      for (const t of new Set([...a.tags, ...i.entry.campaign.tags])) {
        const slug = tagSlug(t);
        const tag = tags.get(slug) ?? { name: t, items: [] };
        tags.set(slug, tag);
        tag.items.push(advisoryCard(a));
      }
    }
  }
  const tagList = [...tags.entries()].sort((a, b) => b[1].items.length - a[1].items.length || a[0].localeCompare(b[0]));
  page('tags/index.html', 'tags', '按类别查找', '按案件类别查找安全防范提示', {
    tags: tagList.map(([slug, t]) => ({ name: t.name, href: `${base}/tags/${slug}/`, count: t.items.length })),
  });
  for (const [slug, t] of tagList) {
    const pages = Math.ceil(t.items.length / PER_PAGE);
    const path = (n: number) => `tags/${slug}/${n > 1 ? `${n}/` : ''}`;
    for (let n = 1; n <= pages; n++) {
      page(`${path(n)}index.html`, 'tag', n > 1 ? `类别：${t.name}（第${n}页）` : `类别：${t.name}`, `“${t.name}”类安全防范提示`, {
        tag: t.name,
        items: t.items.slice((n - 1) * PER_PAGE, n * PER_PAGE),
        pager: pages > 1 ? { page: n, pages, prev: n > 1 ? `${base}/${path(n - 1)}` : null, next: n < pages ? `${base}/${path(n + 1)}` : null } : null,
      });
    }
  }

  page('404.html', '404', '没有找到这个页面', '页面不存在', {});
  page('mode/large/index.html', 'mode', '大字模式', '切换为大字、高对比度的显示方式', { heading: '大字模式' });
  page('mode/normal/index.html', 'mode', '标准字号', '切换回标准字号', { heading: '标准字号' });
  // The sign-up form, for a host serving these files itself: it posts to `advisory run` (which also serves it, with
  // errors) at the public site's path, the preview's copy too (the preview site takes no posts).
  page(`${SUBSCRIBE_PATH}index.html`, 'subscribe', SUBSCRIBE_TITLE, SUBSCRIBE_DESCRIPTION, { form: subscribeFormView(basePathOf(site)) });

  const f = feeds(site, items, sections);
  files.set('feed.xml', f.rss);
  files.set('atom.xml', f.atom);
  files.set('feed.json', f.json);
  files.set('cap/index.atom', capIndex(site, items.map((i) => i.entry)));
  files.set('sitemap.xml', sitemap(site, items, ['', 'archive/', 'tags/', ...tagList.map(([slug]) => `tags/${slug}/`)]));
  files.set(
    'robots.txt',
    options.preview ? 'User-agent: *\nDisallow: /\n' : `User-agent: *\nAllow: /\nSitemap: ${site.baseUrl}/sitemap.xml\n`,
  );
  for (const a of ASSETS) files.set(`assets/${a}`, renderer.asset('website', `assets/${a}`));
  return files;
}
