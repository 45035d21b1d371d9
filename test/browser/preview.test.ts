/**
 * The preview page (`advisory preview`) in a real headless Chromium, as staff open it on a laptop (1280 × 800)
 * and on a phone (390 × 844): no console errors (issue 14 found 16 "Blocked script execution" from the framed
 * website page), no failed request (no /favicon.ico 404), axe-core WCAG 2 A/AA clean on the page and on every
 * framed document, the four channel columns inside the window (the e-mail column was cut off at 1280 px),
 * and a campaign with warnings only shown as warnings (amber, not "fix before sending") while one with an
 * error is shown as an error. Built through the CLI (`npm run build` first); screenshots in test-artifacts/preview/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createPreviewHandler } from '../../src/server/preview.js';
import { channelRenderer } from '../../src/channels/template-helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const ARTIFACTS = join(ROOT, 'test-artifacts/preview');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

const run = promisify(execFile);
let tmp = '';
let browser: Browser;
let server: Server;
let base = '';

/** `advisory preview` into `out`; exit 1 (channel errors, still previewed) is expected for the error campaign. */
async function preview(root: string, out: string, campaigns: string[] = []): Promise<void> {
  try {
    await run(process.execPath, [CLI, 'preview', ...campaigns, '--root', root, '--out', out], { env: { ...process.env, ADVISORY_LANG: 'zh' } });
  } catch (err) {
    if ((err as { code?: number }).code !== 1) throw err;
  }
  expect(existsSync(join(out, 'index.html')), `no preview written in ${out}`).toBe(true);
}

/** A copy of the bundled campaign under another name, changed by `edit` (file → new text). */
function variant(project: string, id: string, edit: (file: string, text: string) => string): void {
  const dir = join(project, 'advisories', id);
  cpSync(join(ROOT, 'advisories/2014-national-day'), dir, { recursive: true });
  for (const name of ['campaign.yaml', '01-burglary.md']) writeFileSync(join(dir, name), edit(name, readFileSync(join(dir, name), 'utf8')));
}

/** Static files from the built previews (/bundled/, /variants/), and the staff listener's /preview/ handler. */
function serve(dirs: Record<string, string>, staff: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>) {
  return createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path.startsWith('/preview')) {
      void staff(req, res).then((done) => void (done || res.writeHead(404).end()));
      return;
    }
    const [, prefix = '', ...rest] = path.split('/');
    let file = dirs[prefix] ? join(dirs[prefix], ...rest) : '';
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  tmp = mkdtempSync(join(tmpdir(), 'advisory-preview-browser-'));
  const bundled = join(tmp, 'bundled');
  await preview(ROOT, bundled, ['2014-national-day']);

  // warnings only: no cover (WeChat's default cover is used); an error: a title longer than WeChat's 32 characters
  const project = join(tmp, 'project');
  for (const folder of ['templates', 'channels']) cpSync(join(ROOT, folder), join(project, folder), { recursive: true });
  variant(project, 'warnings-only', (name, text) => (name === 'campaign.yaml' ? text.replace(/^cover:.*\n/m, '') : text));
  variant(project, 'with-error', (name, text) =>
    name === '01-burglary.md' ? text.replace(/^title: .*$/m, 'title: 防范入室盗窃案件：节日期间外出旅游走亲访友前请务必检查门窗水电并托付亲属照看') : text);
  const variants = join(tmp, 'variants');
  await preview(project, variants);

  const staff = createPreviewHandler({ root: ROOT, renderer: channelRenderer(ROOT), now: () => new Date('2014-09-20T00:00:00Z') });
  server = serve({ bundled, variants }, (req, res) => staff(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Opens a page and collects console errors, page errors, failed requests and HTTP errors (frames' too). */
async function open(
  path: string,
  viewport: { width: number; height: number },
  options: { bypassCSP?: boolean; standalone?: boolean } = {},
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, bypassCSP: options.bypassCSP ?? false });
  // a framed document opened on its own at the top asks for the server's /favicon.ico, which a frame never does
  if (options.standalone) await context.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));
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
  await page.waitForTimeout(300); // a favicon request starts after load
  return { page, problems };
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[]; failureSummary?: string }> }> }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join(', ')}`);
}

describe('preview page in Chromium', () => {
  for (const viewport of VIEWPORTS) {
    it(`the bundled campaign at ${viewport.width}×${viewport.height}: no console error or failed request, axe clean, every column inside the window`, async () => {
      const { page, problems } = await open('/bundled/', viewport);
      expect(problems).toEqual([]);
      expect(await page.locator('iframe').count()).toBeGreaterThanOrEqual(3);
      expect(await axeViolations(page)).toEqual([]);
      const box = await page.evaluate(() => {
        const right = (sel: string) => Math.max(...[...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect().right));
        return {
          width: document.documentElement.clientWidth,
          scrollWidth: document.documentElement.scrollWidth,
          email: right('.col-email'),
          mailFrame: right('.mail-frame'),
          columns: right('.col'),
          frames: right('iframe'),
        };
      });
      expect(box.email, 'the e-mail column’s right edge').toBeLessThanOrEqual(box.width);
      expect(box.mailFrame, 'the e-mail frame’s right edge').toBeLessThanOrEqual(box.width);
      expect(box.columns, 'every channel column').toBeLessThanOrEqual(box.width);
      expect(box.frames, 'every framed document').toBeLessThanOrEqual(box.width);
      expect(box.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(box.width);
      if (viewport.width >= 1280) {
        // a laptop shows WeChat, Weibo and the e-mail side by side
        const tops = await page.evaluate(() => ['.col-wechat', '.col-weibo', '.col-email'].map((s) => Math.round(document.querySelector(s)!.getBoundingClientRect().top)));
        expect(new Set(tops).size, `column tops ${tops.join(', ')}`).toBe(1);
      }
      await page.screenshot({ path: join(ARTIFACTS, `bundled-${viewport.width}.png`) });
      await page.context().close();
    });
  }

  it('every framed document (WeChat articles, the e-mail, the website page) is axe clean and loads without errors on its own', async () => {
    const { page } = await open('/bundled/', VIEWPORTS[0]);
    const sources = await page.evaluate(() => [...document.querySelectorAll('iframe')].map((f) => f.getAttribute('src')!));
    await page.context().close();
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const src of sources) {
      // opened at the top (axe cannot run inside a frame sandboxed without scripts)
      const framed = await open(`/bundled/${src}`, { width: 600, height: 800 }, { standalone: true });
      expect(framed.problems, src).toEqual([]);
      expect(await framed.page.evaluate(() => document.scripts.length), `${src} carries a script its sandboxed frame may not run`).toBe(0);
      expect(await axeViolations(framed.page), src).toEqual([]);
      await framed.page.context().close();
    }
  });

  it('a campaign with warnings only shows a warning, not "fix before sending"; one with an error shows the error', async () => {
    for (const viewport of VIEWPORTS) {
      const { page, problems } = await open('/variants/', viewport);
      expect(problems).toEqual([]);
      // `advisory preview` in Chinese (ADVISORY_LANG=zh): the page in Chinese only.
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.locator('h1').textContent()).toBe('渠道预览');
      expect(await axeViolations(page)).toEqual([]);
      const look = (id: string) =>
        page.evaluate((sel) => {
          const box = document.querySelector<HTMLElement>(`${sel} .problems`)!;
          const cs = getComputedStyle(box);
          return {
            classes: [...box.classList],
            role: box.getAttribute('role'),
            heading: box.querySelector('h3')!.textContent!.trim(),
            labels: [...box.querySelectorAll('.sev')].map((s) => s.textContent!.trim()),
            background: cs.backgroundColor,
            border: `${cs.borderTopStyle} ${cs.borderTopColor}`,
          };
        }, `#c-${id}`);
      const warning = await look('warnings-only');
      const error = await look('with-error');
      expect(warning.classes).toContain('only-warnings');
      expect(warning.role).toBeNull();
      expect(warning.heading).toMatch(/^⚠ 1 个警告：请核对，不影响发送$/);
      expect(warning.heading).not.toMatch(/错误|error|发送前|fix before sending/);
      expect(warning.labels).toEqual(['警告']);
      expect(warning.background).toBe('rgb(255, 251, 230)'); // amber
      expect(warning.border).toBe('dashed rgb(148, 88, 0)');
      expect(error.classes).toContain('has-errors');
      expect(error.role).toBe('alert');
      expect(error.heading).toMatch(/^✖ 1 个错误：发送前必须修改$/);
      expect(error.labels).toContain('错误');
      expect(error.background).toBe('rgb(255, 241, 240)'); // red
      expect(error.border).toBe('solid rgb(168, 7, 26)');
      // and the overview table says the same
      expect(await page.locator('tr:has(a[href="#c-warnings-only"]) .badge').allTextContents()).toEqual(['1 个警告']);
      expect(await page.locator('tr:has(a[href="#c-with-error"]) .badge-error').count()).toBe(1);
      await page.locator('#c-warnings-only').screenshot({ path: join(ARTIFACTS, `warnings-only-${viewport.width}.png`) });
      await page.locator('#c-with-error .problems').screenshot({ path: join(ARTIFACTS, `with-error-${viewport.width}.png`) });
      await page.context().close();
    }
  });

  it('the staff listener’s /preview/ (the same build, its own headers) loads without errors or a favicon 404', async () => {
    const { page, problems } = await open('/preview/', VIEWPORTS[0]);
    expect(problems).toEqual([]);
    // Built in this process's language (English: vitest.config.ts), all of it: no Chinese label beside an English one.
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Channel preview');
    expect(await page.locator('.summary th').allTextContents()).toEqual(['Campaign', 'Problems', 'WeChat', 'Weibo', 'E-mail', 'Website']);
    await page.context().close();
    // its content security policy allows no script: axe is injected past it, as an extension would be
    const again = await open('/preview/', VIEWPORTS[0], { bypassCSP: true });
    expect(await axeViolations(again.page)).toEqual([]);
    await again.page.context().close();
  });
});
