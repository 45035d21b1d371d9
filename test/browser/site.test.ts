/**
 * The public site in a real headless Chromium: no console errors or failed
 * requests, axe-core WCAG 2 A/AA clean in both text modes, no sideways
 * scrolling at 360 px, a large-text switch that works without JavaScript and
 * persists. Screenshots go to test-artifacts/ for people to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadCampaigns, publish, renderWebsite, ROOT, tempVar } from '../site/helpers.js';
import { createSiteHandler } from '../../src/channels/website/site/serve.js';

const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const AXE = resolve(ROOT, 'node_modules/axe-core/axe.min.js');
const PAGES = [
  '/',
  '/2014-national-day/',
  '/2014-national-day/burglary/',
  '/2014-national-day/vehicle-theft/',
  '/2014-national-day/robbery/',
  '/2014-national-day/street-theft-fraud/',
  '/archive/',
  '/tags/',
  `/tags/${encodeURIComponent('入室盗窃')}/`,
];

let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  const varDir = tempVar();
  const campaign = loadCampaigns(ROOT).find((c) => c.id === '2014-national-day')!;
  await publish(renderWebsite(campaign), varDir, '2014-09-29T01:00:00Z', '2014-national-day/bulletin/website/2014-09-29T01:00:00Z');
  const handle = createSiteHandler({ root: ROOT, varDir });
  server = createServer((req, res) => {
    void handle(req, res).then((done) => {
      if (!done) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

async function phone(options: { large?: boolean; javaScript?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, javaScriptEnabled: options.javaScript ?? true, bypassCSP: true });
  if (options.large) await context.addCookies([{ name: 'mode', value: 'large', url: base }]);
  return context;
}

/** Opens a page and collects console errors and failed requests. */
async function open(context: BrowserContext, path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const res = await page.goto(base + path, { waitUntil: 'load' });
  if (!res || res.status() !== 200) problems.push(`HTTP ${res?.status()}: ${path}`);
  return { page, problems };
}

const WCAG_AA = { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] };
/** Large mode promises contrast ≥ 7:1 (WCAG AAA 1.4.6). */
const CONTRAST_7 = { type: 'rule', values: ['color-contrast-enhanced'] };

async function axeViolations(page: Page, runOnly: object = WCAG_AA): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (only) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { runOnly: only });
  }, runOnly);
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const bodyFontPx = (page: Page) => page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize));

describe('public site in Chromium', () => {
  for (const large of [false, true]) {
    it(`every page loads cleanly, passes axe and fits 360 px (${large ? 'large' : 'normal'} text)`, async () => {
      const context = await phone({ large });
      for (const path of PAGES) {
        const { page, problems } = await open(context, path);
        expect(problems, path).toEqual([]);
        expect(await axeViolations(page), path).toEqual([]);
        if (large) expect(await axeViolations(page, CONTRAST_7), path).toEqual([]);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(360);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
        const px = await bodyFontPx(page);
        expect(px, path).toBeGreaterThanOrEqual(large ? 22 : 18);
        if (large) {
          // every link a finger presses outside running text: at least 48 × 48 px (breadcrumb, tags, nav, pager, cards, footer)
          const small = await page.evaluate(() =>
            [...document.querySelectorAll<HTMLElement>('.breadcrumb a, .site-footer a, .tag-list a, .tags a, .site-nav a, .pager a, .mode-switch a, .card-title a, .contact a')]
              .filter((a) => a.offsetParent !== null)
              .map((a) => ({ text: a.textContent?.trim(), ...a.getBoundingClientRect().toJSON() }))
              .filter((r) => r.height < 48 || r.width < 48)
              .map((r) => `${r.text}: ${Math.round(r.width)}×${Math.round(r.height)}`));
          expect(small, path).toEqual([]);
        }
        const lineHeight = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).lineHeight) / Number.parseFloat(getComputedStyle(document.body).fontSize));
        expect(lineHeight).toBeGreaterThanOrEqual(1.6);
        if (path === '/' || path === '/2014-national-day/burglary/' || path === '/2014-national-day/') {
          const name = path === '/' ? 'home' : path.includes('burglary') ? 'advisory' : 'campaign';
          await page.screenshot({ path: join(ARTIFACTS, `${name}-${large ? 'large' : 'normal'}.png`), fullPage: true });
          await page.screenshot({ path: join(ARTIFACTS, `${name}-${large ? 'large' : 'normal'}-first-screen.png`) });
        }
        await page.close();
      }
      await context.close();
    });
  }

  it('the 404 page is served with status 404 and passes axe', async () => {
    const context = await phone();
    const page = await context.newPage();
    const res = await page.goto(`${base}/no-such-page/`);
    expect(res?.status()).toBe(404);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  for (const javaScript of [false, true]) {
    it(`the large-text switch works and persists across pages (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const context = await phone({ javaScript });
      const { page, problems } = await open(context, '/2014-national-day/burglary/');
      expect(await bodyFontPx(page)).toBeLessThan(22);
      await page.getByRole('link', { name: '大字模式' }).click();
      await page.waitForFunction(() => document.documentElement.classList.contains('large'));
      expect(await bodyFontPx(page)).toBeGreaterThanOrEqual(22);
      expect(page.url()).toBe(`${base}/2014-national-day/burglary/`);
      // persists: another page, opened fresh
      await page.goto(`${base}/2014-national-day/robbery/`);
      expect(await bodyFontPx(page)).toBeGreaterThanOrEqual(22);
      // the switch back is visible in large mode, and its touch target is at least 48 px high
      const back = page.getByRole('link', { name: '标准字号' });
      expect((await back.boundingBox())!.height).toBeGreaterThanOrEqual(48);
      await back.click();
      await page.waitForFunction(() => !document.documentElement.classList.contains('large'));
      await page.goto(`${base}/`);
      expect(await bodyFontPx(page)).toBeLessThan(22);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('is usable by keyboard alone: the skip link is first and visible when focused', async () => {
    const context = await phone();
    const { page } = await open(context, '/2014-national-day/burglary/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const r = el.getBoundingClientRect();
      return { text: el.textContent, href: el.getAttribute('href'), visible: r.left >= 0 && r.width > 0, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toMatchObject({ text: '跳到正文', href: '#main', visible: true });
    expect(focused.outline).not.toBe('none');
    await context.close();
  });

  it('prints each tip on one sheet', async () => {
    const context = await browser.newContext();
    for (const path of PAGES.filter((p) => /^\/2014-national-day\/[a-z-]+\/$/.test(p))) {
      const { page } = await open(context, path);
      const pdf = await page.pdf({ format: 'A4' });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect([path, pages]).toEqual([path, 1]);
      await page.close();
    }
    await context.close();
  });
});
