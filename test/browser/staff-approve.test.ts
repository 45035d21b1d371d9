/**
 * The staff listener in a real headless Chromium (issue 12), under the
 * listener's own Content-Security-Policy (not bypassed): a staff page asks
 * for sign-in and comes back after it; the preview's sandboxed frames load
 * beside the approve form; approving records the signed-in name for the
 * hash shown; signing out ends it. No console errors (a CSP violation is
 * one), the session cookie HttpOnly and SameSite=Strict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { REPO, silent, tmpProject, withStore } from '../delivery/helpers.js';
import { addStaff, PASSWORD } from '../server/staff-session.js';

const ARTIFACTS = resolve(REPO, 'test-artifacts/staff');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let root: string;
let daemon: Daemon;
let browser: Browser;

beforeAll(async () => {
  root = tmpProject();
  await addStaff(root, 'wang');
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
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

describe('staff in a browser', () => {
  it('signs in from a staff page, sees the preview with its frames, approves the content shown, signs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    // Scripts in the framed site pages are blocked by the frames' sandbox: meant, not a problem.
    page.on('console', (m) => m.type() === 'error' && !/Blocked script execution in .*frame is sandboxed/.test(m.text()) && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));

    await page.goto(`${daemon.staffUrl}/preview/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#name', 'wang');
    await page.fill('#password', 'not the password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('.error')).toContain('Wrong name or password');
    expect(problems.splice(0)).toEqual([`401 ${daemon.staffUrl}/login`]);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${daemon.staffUrl}/preview/`);

    const session = (await context.cookies()).find((c) => c.name === 'advisory_staff')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    // The framed renditions load inside their sandboxes (the preview's own frames are allowed; nothing else may frame it).
    await page.waitForLoadState('load');
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    expect(frames.length).toBeGreaterThan(2);
    expect(await frames[0].evaluate(() => document.body.innerText.length)).toBeGreaterThan(20);

    const form = page.locator('section#c-2014-national-day form.approve-form');
    await expect.poll(() => form.count()).toBe(1);
    const shown = await form.locator('.approve-hash').textContent();
    const hash = await form.locator('input[name=hash]').getAttribute('value');
    expect(hash!.startsWith(shown!)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'preview-approve.png') });
    await form.getByRole('button', { name: /Approve this content as wang/ }).click();
    await page.waitForURL(`${daemon.staffUrl}/done`);
    expect(await page.textContent('main')).toContain(`Approved 2014-national-day content ${shown} as wang`);
    expect(await withStore(join(root, 'var'), (s) => s.approval('2014-national-day', hash!))).toMatchObject({ approvedBy: 'wang' });

    await page.goto(`${daemon.staffUrl}/preview/`);
    expect(await page.locator('section#c-2014-national-day form.approve-form').textContent()).toContain('Approved by wang');

    await page.getByRole('button', { name: /Sign out/ }).first().click();
    await page.waitForURL(`${daemon.staffUrl}/login`);
    await page.goto(`${daemon.staffUrl}/status`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(problems).toEqual([]);
    await context.close();
  });
});
