/**
 * The staff console in real headless Chromium, as a staff member who has never
 * used a terminal would use it, in Chinese (the reader's choice), with the
 * browser's JavaScript off (every action is a plain form): sign in, see the
 * next holiday's calendar, open the campaign, approve the content shown,
 * retry a failure, import a list. Every console page passes axe-core (WCAG 2
 * A/AA) at a laptop's and a phone's width, with no console errors and no
 * failed requests, and nothing is wider than the phone's screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { newDelivery, REPO, silent, tmpProject, withStore } from '../delivery/helpers.js';
import { addStaff, PASSWORD } from '../server/staff-session.js';

const ARTIFACTS = resolve(REPO, 'test-artifacts/console');
const AXE = resolve(REPO, 'node_modules/axe-core/axe.min.js');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const PAGES = ['/', '/calendar', '/approvals', '/failures', '/subscribers', '/preview/?campaign=2014-national-day', '/status'];

let root: string;
let daemon: Daemon;
let browser: Browser;
const FAILED = 'c/s/weibo/2014-09-19T00:00:00Z';

beforeAll(async () => {
  root = tmpProject();
  await addStaff(root, '王警官');
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined), pollMs: 100,
  });
  // A failure the console must show and retry (the ledger as a failed Weibo post leaves it).
  await withStore(join(root, 'var'), async (st) => {
    const d = { ...newDelivery('weibo', 1, '2014-09-19T00:00:00Z'), key: FAILED };
    await st.createDeliveries('test-failure', [{ ...d, state: 'held', reason: 'test' }], new Date());
    await st.retry(FAILED, new Date('2099-01-01T00:00:00Z'));
    const claimed = (await st.markSending(FAILED, new Date()))!;
    await st.markFinal(FAILED, claimed.attempt, 'failed', 'Weibo error 10023: User requests out of rate limit', { failure: 'rate-limited', message: 'Weibo error 10023: User requests out of rate limit', channelCode: '10023' }, new Date());
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  return problems;
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const r = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signIn(context: BrowserContext, next = '/'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${daemon.staffUrl}${next}`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.fill('#name', '王警官');
  await page.fill('#password', PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForURL(`${daemon.staffUrl}${next}`);
  return page;
}

const chinese = async (context: BrowserContext) => context.addCookies([{ name: 'advisory_lang', value: 'zh-CN', url: daemon.staffUrl }]);

describe('the staff console in a browser', () => {
  it('without JavaScript: signs in, sees the next holiday, approves what it previews, retries a failure, imports a list', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    await chinese(context);
    const page = await signIn(context, '/');
    const problems = watch(page);
    expect(await page.textContent('main')).toContain('2014 国庆节');

    await page.getByRole('link', { name: '打开发布日历' }).click();
    await page.waitForURL(`${daemon.staffUrl}/calendar`);
    const row = page.locator('tr', { hasText: '2014-09-29 09:00' });
    expect(await row.textContent()).toContain('微信公众号: 已排期');
    await page.screenshot({ path: join(ARTIFACTS, 'calendar.png'), fullPage: true });

    await page.getByRole('link', { name: '预览并批准' }).first().click();
    await page.waitForURL(/\/preview\/\?campaign=2014-national-day$/);
    await page.getByRole('button', { name: '以 王警官 的身份批准这一版内容' }).click();
    await page.waitForURL(`${daemon.staffUrl}/done`);
    expect(await page.textContent('main')).toMatch(/已以 王警官 的身份批准 2014-national-day 的内容 [0-9a-f]{12}/);
    await page.goto(`${daemon.staffUrl}/calendar`);
    expect(await page.textContent('main')).toContain('已由 王警官 批准');

    await page.goto(`${daemon.staffUrl}/failures`);
    expect(await page.textContent('main')).toContain('微博：本账号这一小时的调用次数已用完。');
    await page.getByRole('button', { name: '重试：微博 · c' }).click();
    await page.waitForURL(`${daemon.staffUrl}/done`);
    expect(await page.textContent('main')).toContain('已重新排队 1 条');
    await expect.poll(async () => (await withStore(join(root, 'var'), (st) => st.get(FAILED)))?.state, { timeout: 10_000 }).toBe('sent');

    const csv = join(tmpdir(), `名单-${process.pid}.csv`);
    writeFileSync(csv, '\ufeff邮箱,姓名\nzhao@example.org,赵六\n');
    await page.goto(`${daemon.staffUrl}/subscribers`);
    await page.setInputFiles('#file', csv);
    await page.getByRole('button', { name: '导入' }).click();
    expect(await page.textContent('main')).toContain('新增 1 个');
    expect(await page.locator('tr', { hasText: '有效' }).textContent()).toContain('1');
    rmSync(csv);

    expect(problems).toEqual([]);
    await context.close();
  });

  for (const width of [1280, 390]) {
    it(`every console page passes axe-core and fits ${width} px wide, in Chinese and in English`, async () => {
      for (const lang of ['zh-CN', 'en']) {
        // bypassCSP: the console's CSP forbids scripts, axe-core's included
        const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
        await context.addCookies([{ name: 'advisory_lang', value: lang, url: daemon.staffUrl }]);
        const page = await signIn(context, '/');
        const problems = watch(page);
        for (const path of PAGES) {
          await page.goto(`${daemon.staffUrl}${path}`);
          await page.waitForLoadState('load');
          // the preview stays in its content's language; the console's own pages are in the reader's
          if (!path.startsWith('/preview/')) expect(await page.getAttribute('html', 'lang'), path).toBe(lang);
          expect(await axeViolations(page), `${lang} ${path} at ${width}`).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (!path.startsWith('/preview/')) expect(overflow, `${lang} ${path} is wider than ${width}`).toBeLessThanOrEqual(0);
          if (lang === 'zh-CN') await page.screenshot({ path: join(ARTIFACTS, `${width}${path.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
        }
        // the sign-in page too
        await page.getByRole('button', { name: lang === 'en' ? 'Sign out' : '退出登录' }).click();
        await page.waitForURL(`${daemon.staffUrl}/login`);
        expect(await axeViolations(page), `${lang} /login`).toEqual([]);
        // Frames of the preview run no script by design; the browser says so on the console.
        expect(problems.filter((p) => !/Blocked script execution in .*sandboxed/.test(p))).toEqual([]);
        await context.close();
      }
    });
  }
});
