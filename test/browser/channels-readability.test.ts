/**
 * What the public reads, in a real headless Chromium at phone width: every
 * WeChat article at 375 px and the e-mail at 375 px and 600 px. Body text is at
 * least 16 px with generous line height, nothing scrolls sideways, 防范建议 is
 * set apart from 案件特点, and the e-mail's preheader is hidden. Screenshots go
 * to test-artifacts/channels/ for people to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildPreview } from '../../src/preview/build.js';
import { writePreview } from '../../src/preview/write.js';
import { createRenderer } from '../../src/render/create.js';
import { loadAllChannelConfigs } from '../../src/config/channels.js';
import { loadCampaigns, ROOT } from '../render/load-fixture.js';

const ARTIFACTS = resolve(ROOT, 'test-artifacts/channels');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

interface Measure {
  scrollWidth: number;
  /** Smallest font size (px) of visible body text (not metadata lines). */
  minBodyFont: number;
  minBodyLineHeight: number;
  adviceBackground: string;
  featureBackground: string;
  preheaderVisible: boolean;
}

let browser: Browser;
let dir = '';
let files: string[] = [];

beforeAll(async () => {
  const campaigns = await loadCampaigns();
  const build = buildPreview(ROOT, campaigns, createRenderer(ROOT), loadAllChannelConfigs(ROOT, {}), { lang: 'zh-CN' }); // as staff read it
  dir = join(mkdtempSync(join(tmpdir(), 'advisory-readability-')), 'preview');
  writePreview(dir, build.files);
  files = [...build.files.keys()];
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

async function measure(file: string, width: number, shot: string): Promise<Measure> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  try {
    await page.goto(pathToFileURL(join(dir, file)).href);
    await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
    return await page.evaluate(() => {
      const visible = (el: Element): boolean => {
        const cs = getComputedStyle(el);
        return cs.display !== 'none' && cs.opacity !== '0' && (el as HTMLElement).offsetParent !== null;
      };
      let minBodyFont = Infinity;
      let minBodyLineHeight = Infinity;
      // Paragraphs and list items of the advisory body: what people actually read.
      for (const el of document.querySelectorAll('p, li')) {
        if (!visible(el) || !el.textContent?.trim()) continue;
        const cs = getComputedStyle(el);
        const size = parseFloat(cs.fontSize);
        const part = el.closest('section');
        if (!part?.querySelector(':scope > h2')) continue; // only the 案件特点 / 防范建议 parts: bylines, mastheads, footers are metadata
        minBodyFont = Math.min(minBodyFont, size);
        minBodyLineHeight = Math.min(minBodyLineHeight, parseFloat(cs.lineHeight) / size);
      }
      const heading = (word: string): Element | undefined => [...document.querySelectorAll('h2')].find((h) => h.textContent?.includes(word));
      const box = (h: Element | undefined): string => (h?.parentElement ? getComputedStyle(h.parentElement).backgroundColor : '');
      const pre = document.querySelector('span[style*="display: none"]');
      return {
        scrollWidth: document.documentElement.scrollWidth,
        minBodyFont,
        minBodyLineHeight,
        adviceBackground: box(heading('防范建议')),
        featureBackground: box(heading('案件特点')),
        preheaderVisible: pre ? visible(pre) && (pre as HTMLElement).offsetHeight > 0 : false,
      };
    });
  } finally {
    await page.close();
  }
}

describe('what the public reads, at phone width', () => {
  it('every WeChat article at 375 px: ≥ 16 px body text, line height ≥ 1.6, no sideways scroll, advice boxed', async () => {
    const articles = files.filter((f) => /\/wechat-\d+-\d+\.html$/.test(f));
    expect(articles.length).toBeGreaterThanOrEqual(8);
    for (const file of articles) {
      const m = await measure(file, 375, file.replace(/[/.]/g, '_'));
      expect(m.scrollWidth, file).toBeLessThanOrEqual(375);
      expect(Number.isFinite(m.minBodyFont), `${file}: body text found`).toBe(true);
      expect(m.minBodyFont, file).toBeGreaterThanOrEqual(16);
      expect(m.minBodyLineHeight, file).toBeGreaterThanOrEqual(1.6);
      expect(m.adviceBackground, file).not.toBe(m.featureBackground);
    }
  });

  it('the e-mail at 375 px and 600 px: ≥ 16 px body text, no sideways scroll, advice boxed, preheader hidden', async () => {
    const mails = files.filter((f) => /\/email-\d+\.html$/.test(f));
    expect(mails.length).toBeGreaterThanOrEqual(2);
    for (const file of mails) {
      for (const width of [375, 600]) {
        const m = await measure(file, width, `${file.replace(/[/.]/g, '_')}-${width}`);
        expect(m.scrollWidth, `${file} @${width}`).toBeLessThanOrEqual(width);
        expect(Number.isFinite(m.minBodyFont), `${file}: body text found`).toBe(true);
        expect(m.minBodyFont, `${file} @${width}`).toBeGreaterThanOrEqual(16);
        expect(m.minBodyLineHeight, `${file} @${width}`).toBeGreaterThanOrEqual(1.6);
        expect(m.adviceBackground, file).not.toBe(m.featureBackground);
        expect(m.preheaderVisible, file).toBe(false);
      }
    }
  });

  it('the preview page names each frame\'s channel and shows each Weibo post\'s count against 140', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);
      await page.screenshot({ path: join(ARTIFACTS, 'preview-index.png') });
      const titles = await page.locator('iframe').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
      for (const t of titles) expect(t).toMatch(/^(微信文章|邮件 HTML|网站)：/);
      const counts = await page.locator('.wb-count').allTextContents();
      expect(counts.length).toBe(8);
      for (const c of counts) expect(c).toMatch(/^\d+\/140 字/);
    } finally {
      await page.close();
    }
  });
});
