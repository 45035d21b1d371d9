/**
 * The public subscription in a real headless Chromium on a phone, against a
 * running daemon, with JavaScript off: sign up with the form, open the
 * confirmation link from the mail, confirm with the button; unsubscribe with
 * the button. Every page: no console errors or failed requests, axe-core WCAG
 * 2 A/AA clean in both text modes (7:1 contrast in large), text ≥ 16 px,
 * fields and buttons ≥ 48 px tall, nothing scrolls sideways at 360 px.
 * Screenshots go to test-artifacts/subscribe/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { simpleParser } from 'mailparser';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { main } from '../../src/cli/main.js';
import { REPO, silent, tmpProject, withStore } from '../delivery/helpers.js';

const ARTIFACTS = resolve(REPO, 'test-artifacts/subscribe');
const AXE = resolve(REPO, 'node_modules/axe-core/axe.min.js');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const NOW = new Date('2014-09-28T02:00:00Z');

let root: string;
let daemon: Daemon;
let browser: Browser;

beforeAll(async () => {
  root = tmpProject();
  // The site's style sheet and script come from the published site, as in production.
  const published = await main(['publish', '2014-national-day', '--now', '--channel', 'website', '--root', root], {
    out: () => {}, err: () => {}, env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => NOW,
  });
  expect(published).toBe(0);
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(NOW),
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined),
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

let clients = 0;
/** A phone without JavaScript, as its own client (the daemon counts sign-ups per X-Forwarded-For from loopback). */
async function phone(options: { large?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, javaScriptEnabled: false, bypassCSP: true,
    extraHTTPHeaders: { 'x-forwarded-for': `198.51.100.${++clients}` },
  });
  if (options.large) await context.addCookies([{ name: 'mode', value: 'large', url: daemon.url }]);
  return context;
}

/** Problems a page had while loading: console errors, failed requests, HTTP errors other than the expected status. */
function watch(page: Page, expected: number[] = [200]): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    // Chromium logs every 4xx document as an error: the expected ones are the pages under test.
    const status = /status of (\d{3})/.exec(m.text())?.[1];
    if (m.type() === 'error' && !(status && expected.includes(Number(status)))) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.request().resourceType() === 'document' ? !expected.includes(r.status()) : r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

const WCAG_AA = { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] };
const CONTRAST_7 = { type: 'rule', values: ['color-contrast-enhanced'] };

/**
 * axe-core needs script, which these phones have off: the page as it was
 * shown (its DOM, at its address, with its style sheet and cookies) is shown
 * again in a context with script on, and axe runs there.
 */
async function axeViolations(page: Page, large: boolean, runOnly: object = WCAG_AA): Promise<string[]> {
  const html = await page.content();
  const url = page.url();
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, bypassCSP: true });
  if (large) await context.addCookies([{ name: 'mode', value: 'large', url: daemon.url }]);
  try {
    const copy = await context.newPage();
    await copy.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(url, { waitUntil: 'load' });
    await copy.addScriptTag({ path: AXE });
    const result = await copy.evaluate(async (only) => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
      return axe.run(document, { runOnly: only });
    }, runOnly);
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  } finally {
    await context.close();
  }
}

interface Readability {
  lang: string;
  scrollWidth: number;
  /** The smallest font size of any visible text in the page's main part. */
  minFont: number;
  /** The shortest visible field or button. */
  minControlHeight: number;
  controls: number;
}

async function readability(page: Page): Promise<Readability> {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const texts = [...document.querySelectorAll('main *')].filter((el) => visible(el) && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim() !== ''));
    const controls = [...document.querySelectorAll('main input, main button')].filter(visible);
    return {
      lang: document.documentElement.lang,
      scrollWidth: document.documentElement.scrollWidth,
      minFont: Math.min(...[...texts, ...controls].map((el) => Number.parseFloat(getComputedStyle(el).fontSize))),
      minControlHeight: controls.length ? Math.min(...controls.map((el) => el.getBoundingClientRect().height)) : Infinity,
      controls: controls.length,
    };
  });
}

/** Checks a page for a reader on a phone: language, size, width, axe (and 7:1 contrast in large mode). */
async function checkPage(page: Page, label: string, large: boolean): Promise<void> {
  const r = await readability(page);
  expect(r.lang, label).toBe('zh-CN');
  expect(r.scrollWidth, `${label} scrolls sideways`).toBeLessThanOrEqual(360);
  expect(r.minFont, `${label}: smallest text`).toBeGreaterThanOrEqual(large ? 22 : 16);
  expect(r.minControlHeight, `${label}: smallest field or button`).toBeGreaterThanOrEqual(48);
  expect(await axeViolations(page, large), label).toEqual([]);
  if (large) expect(await axeViolations(page, large, CONTRAST_7), label).toEqual([]);
  await page.screenshot({ path: join(ARTIFACTS, `${label}-${large ? 'large' : 'normal'}.png`), fullPage: true });
}

async function confirmationLink(address: string): Promise<string> {
  const dir = join(root, 'var/outbox/email');
  for (const f of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.eml')) : []) {
    const mail = await simpleParser(readFileSync(join(dir, f)));
    if (mail.to && !Array.isArray(mail.to) && mail.to.value[0]?.address === address) {
      const link = /http:\/\/\S+\/subscribe\/confirm\?token=\S+/.exec(mail.text ?? '')?.[0];
      if (link) return link.replace('http://127.0.0.1:4321', daemon.url);
    }
  }
  throw new Error(`no confirmation mail to ${address}`);
}

const status = (address: string) => withStore(join(root, 'var'), async (s) => (await s.subscriberByAddress(address))?.status);

describe('the public subscription in Chromium, JavaScript off, on a phone', () => {
  for (const large of [false, true]) {
    it(`signs up, confirms and unsubscribes with the buttons alone (${large ? 'large' : 'normal'} text)`, async () => {
      const address = `reader-${large ? 'large' : 'normal'}@example.org`;
      const context = await phone({ large });
      const page = await context.newPage();
      const problems = watch(page);

      // The footer of the site's home page leads to the form.
      await page.goto(`${daemon.url}/`);
      await page.getByRole('link', { name: '用电子邮件接收节日安全提示' }).click();
      await page.waitForURL(`${daemon.url}/subscribe/`);
      await checkPage(page, 'form', large);

      await page.getByLabel('电子邮箱地址').fill(address);
      await page.getByLabel('称呼').fill('王阿姨');
      await page.getByRole('button', { name: '订阅' }).click();
      await page.waitForURL(`${daemon.url}/subscribe/`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('请查收确认邮件');
      await checkPage(page, 'sent', large);
      expect(await status(address)).toBe('pending');

      await page.goto(await confirmationLink(address));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('确认订阅');
      await checkPage(page, 'confirm', large);
      expect(await status(address)).toBe('pending');
      await page.getByRole('button', { name: '确认订阅' }).click();
      await page.waitForLoadState();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('订阅成功');
      await checkPage(page, 'confirmed', large);
      expect(await status(address)).toBe('active');

      const token = await withStore(join(root, 'var'), async (s) => (await s.subscriberByAddress(address))!.unsubscribeToken);
      await page.goto(`${daemon.url}/unsubscribe?token=${encodeURIComponent(token)}`);
      await checkPage(page, 'unsubscribe', large);
      await page.getByRole('button', { name: '确认退订' }).click();
      await page.waitForLoadState();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('已退订');
      await checkPage(page, 'unsubscribed', large);
      expect(await status(address)).toBe('unsubscribed');
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`shows what to fix, at the field and in a summary, and keeps what was typed (${large ? 'large' : 'normal'} text)`, async () => {
      const context = await phone({ large });
      const page = await context.newPage();
      const problems = watch(page, [200, 400]);
      await page.goto(`${daemon.url}/subscribe/`);
      await page.getByLabel('电子邮箱地址').fill('wang.163.com');
      await page.getByLabel('称呼').fill('<b>王</b>');
      await page.getByRole('button', { name: '订阅' }).click();
      await page.waitForLoadState();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('邮箱地址里缺少 @ 符号');
      await expect(page.getByLabel('电子邮箱地址').inputValue()).resolves.toBe('wang.163.com');
      await expect(page.getByLabel('称呼').inputValue()).resolves.toBe('<b>王</b>');
      await expect(page.getByLabel('电子邮箱地址').getAttribute('aria-invalid')).resolves.toBe('true');
      await checkPage(page, 'form-error', large);
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`the pages without a button (a bad link, too many tries) read as well (${large ? 'large' : 'normal'} text)`, async () => {
      const context = await phone({ large });
      const page = await context.newPage();
      const problems = watch(page, [200, 400, 429]);
      await page.goto(`${daemon.url}/unsubscribe?token=u.s-0000000000000000.forged`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('退订链接无效');
      expect(await page.getByRole('button').count()).toBe(0);
      await checkPage(page, 'invalid-link', large);
      for (let i = 0; i < 6; i++) {
        await page.goto(`${daemon.url}/subscribe/`);
        await page.getByLabel('电子邮箱地址').fill(`many-${large}-${i}@example.org`);
        await page.getByRole('button', { name: '订阅' }).click();
        await page.waitForLoadState();
      }
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('请稍后再试');
      await checkPage(page, 'rate-limited', large);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
