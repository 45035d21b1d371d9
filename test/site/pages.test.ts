import { describe, expect, it } from 'vitest';
import { createRenderer } from '../../src/render/create.js';
import { sitePages } from '../../src/channels/website/site/pages.js';
import type { DatedEntry } from '../../src/channels/website/site/order.js';
import { ROOT } from './helpers.js';

const site = { baseUrl: 'https://example.gov.cn/advisories', title: '节日安全防范提示', area: '章丘市', issuer: '章丘市公安局' };

function item(n: number, tips: number): DatedEntry {
  const id = `c${n}`;
  return {
    date: `2015-0${(n % 9) + 1}-01`, year: 2015, holidayName: '春节', period: null,
    entry: {
      id, hash: id, deliveryKey: null, publishedAt: '2015-01-01T00:00:00Z',
      campaign: { id, title: `提示${n}`, summary: '摘要', issuer: '章丘市公安局', contact: null, tags: [], holiday: 'spring-festival', year: 2015, date: null, url: `${site.baseUrl}/${id}/`, path: `${id}/`, expires: null },
      advisories: Array.from({ length: tips }, (_, k) => ({ id: `t${k}`, title: `第${k}条`, summary: '要点', tags: ['防火'], url: `${site.baseUrl}/${id}/t${k}/`, path: `${id}/t${k}/` })),
    },
  };
}

describe('site-wide pages', () => {
  const files = sitePages(createRenderer(ROOT), site, { preview: false, basePath: '/advisories' }, [item(1, 10), item(2, 10), item(3, 5)], new Date('2016-01-01T00:00:00Z'), () => []);
  const text = (p: string) => String(files.get(p));

  it('pages a long tag list, 20 tips a page, with links both ways', () => {
    expect(text('tags/防火/index.html').match(/class="card"/g)).toHaveLength(20);
    expect(text('tags/防火/index.html')).toContain('href="/advisories/tags/防火/2/"');
    expect(text('tags/防火/2/index.html').match(/class="card"/g)).toHaveLength(5);
    expect(text('tags/防火/2/index.html')).toContain('rel="prev" href="/advisories/tags/防火/"');
    expect(files.has('tags/防火/3/index.html')).toBe(false);
  });

  it('links within the base path and lists every tip in the sitemap', () => {
    expect(text('index.html')).toContain('href="/advisories/assets/style.css"');
    expect(text('sitemap.xml').match(/<url>/g)!.length).toBe(3 + 25 + 3 + 1); // campaigns + tips + home/archive/tags + the tag's first page
  });
});
