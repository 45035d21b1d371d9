/**
 * The public pages for an older reader on a phone (issue 14): "遇到警情请拨打110" once per page, as a tel: link
 * a finger can press; the subscription links said in plain words; the Atom feed names its language.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, fixtureProject, tempVar } from './helpers.js';
import { buildPreviewSite } from '../../src/channels/website/site/sites.js';

const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

describe('public page details', () => {
  it('every page: the emergency number once, as tel:110; feeds explained; Atom with xml:lang', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    await buildPreviewSite({ root, varDir, now: new Date('2016-01-01T00:00:00Z') });
    const files = allFiles(join(varDir, 'site-preview'));
    const pages = [...files].filter(([p]) => p.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    for (const [path, raw] of pages) {
      const html = utf8(raw);
      expect(html.split('遇到警情请拨打').length - 1, path).toBe(1);
      expect(html, path).toMatch(/<a class="tel" href="tel:110">(<strong>)?110(<\/strong>)?<\/a>/);
      expect(html, path).toContain('用新闻阅读器软件订阅更新');
    }
    // a campaign whose contact names 110 shows it there, as a link, and the footer does not repeat it
    expect(utf8(files.get('alpha-2014/index.html')!)).toContain('<p class="contact">遇到警情请拨打<a class="tel" href="tel:110">110</a></p>');
    expect(utf8(files.get('atom.xml')!)).toMatch(/<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:lang="zh-CN">/);
    expect(utf8(files.get('assets/style.css')!)).toMatch(/\.body th, \.body td \{ border: 1px solid/);
  });

  it('telLinks: emergency numbers and phone numbers become tel: links; the text stays escaped', async () => {
    const { telLinks } = await import('../../src/render/helpers.js');
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    expect(telLinks('报警110，咨询0531-83212345或12345678901<b>', esc)).toBe('报警<a class="tel" href="tel:110">110</a>，咨询<a class="tel" href="tel:053183212345">0531-83212345</a>或<a class="tel" href="tel:12345678901">12345678901</a>&lt;b>');
    expect(telLinks('2014年9月29日', esc)).toBe('2014年9月29日');
  });
});
