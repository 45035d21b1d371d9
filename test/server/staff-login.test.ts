/**
 * Signing in to the staff listener (issue 12), against the real daemon in
 * process: right and wrong passwords (one message for both, and for unknown
 * names), the limits on failures (429 with the wait), CSRF on every POST,
 * the session cookie's flags, sign-out, sessions ending (idle, password
 * changed, account removed), the first-account link (one use, 15 minutes,
 * loopback only) and approving from the preview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { hashPassword } from '../../src/delivery/staff.js';
import { silent, tmpProject, withStore } from '../delivery/helpers.js';
import { addStaff, field, loginForm, PASSWORD, postForm, setCookie, signIn } from './staff-session.js';
import { raw } from './http-raw.js';

/** Real time for the security checks, moved by the tests. */
let offset = 0;
const securityNow = () => Date.now() + offset;
const start = (root: string, o: Partial<Parameters<typeof startDaemon>[0]> = {}) => startDaemon({
  root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
  ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined), securityNow, ...o,
});

let root: string;
let daemon: Daemon;
let url: string;
beforeAll(async () => {
  root = tmpProject();
  await addStaff(root, 'wang');
  await addStaff(root, 'li');
  await addStaff(root, 'zhao');
  daemon = await start(root);
  url = daemon.staffUrl;
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A sign-in attempt from client `ip` (the proxy on loopback says who in X-Forwarded-For). */
async function attempt(name: string, password: string, ip: string): Promise<Response> {
  const { pre, csrf } = await loginForm(url);
  return postForm(`${url}/login`, { csrf, name, password, next: '/status' }, pre, { 'x-forwarded-for': ip });
}

const errorOf = async (r: Response) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(await r.text())?.[1];

describe('sign-in', () => {
  it('the right password: 303 back to the page asked for, a session cookie HttpOnly, SameSite=Strict, Path=/ (not Secure over plain HTTP)', async () => {
    const r = await attempt('wang', PASSWORD, '10.0.0.1');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/status');
    const cookie = setCookie(r, 'advisory_staff')!;
    expect(cookie).toMatch(/^advisory_staff=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('; HttpOnly');
    expect(cookie).toContain('; SameSite=Strict');
    expect(cookie).toContain('; Path=/');
    expect(cookie).not.toContain('Secure');
    expect((await fetch(`${url}/status`, { headers: { cookie: cookie.split(';')[0] } })).status).toBe(200);
  });

  it('behind an HTTPS proxy on this machine (X-Forwarded-Proto: https), the cookie is Secure; the same header from elsewhere is not believed', async () => {
    const { pre, csrf } = await loginForm(url);
    const r = await postForm(`${url}/login`, { csrf, name: 'wang', password: PASSWORD }, pre, { 'x-forwarded-proto': 'https' });
    expect(setCookie(r, 'advisory_staff')).toContain('; Secure');
    const form = await raw(url, '/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(String(form.headers['set-cookie'])).toMatch(/advisory_pre=.*; HttpOnly; SameSite=Strict; Secure/);
  });

  it('a wrong password and an unknown name get the same answer (401, one message), and no cookie', async () => {
    const wrong = await attempt('wang', 'not the password', '10.0.1.1');
    const unknown = await attempt('nobody', PASSWORD, '10.0.1.2');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = await errorOf(wrong);
    expect(a).toBe('Wrong name or password.');
    expect(await errorOf(unknown)).toBe(a);
    expect(setCookie(wrong, 'advisory_staff')).toBeUndefined();
    expect(setCookie(unknown, 'advisory_staff')).toBeUndefined();
  });

  it('5 failures from one client in 15 minutes: the 6th attempt is 429 with the wait, even with the right password; later it works', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(`guess${i}`, 'wrong password', '10.0.2.1')).status).toBe(401);
    const blocked = await attempt('zhao', PASSWORD, '10.0.2.1');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(await errorOf(blocked)).toMatch(/^Too many failed sign-ins: try again in 15 minutes\.$/);
    expect(setCookie(blocked, 'advisory_staff')).toBeUndefined();
    // Another client is not affected; this one may try again after the window.
    expect((await attempt('zhao', PASSWORD, '10.0.2.2')).status).toBe(303);
    offset += 15 * 60_000 + 1000;
    try {
      expect((await attempt('zhao', PASSWORD, '10.0.2.1')).status).toBe(303);
    } finally {
      offset -= 15 * 60_000 + 1000;
    }
  });

  it('5 failures on one account from many clients: that account is limited (429) for everyone, others are not', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('li', `wrong ${i}`, `10.0.3.${i}`)).status).toBe(401);
    const r = await attempt('li', PASSWORD, '10.0.3.99');
    expect(r.status).toBe(429);
    // The same limit for a name that does not exist: the answer does not tell the two apart.
    for (let i = 0; i < 5; i++) expect((await attempt('ghost', `wrong ${i}`, `10.0.4.${i}`)).status).toBe(401);
    expect((await attempt('ghost', PASSWORD, '10.0.4.99')).status).toBe(429);
    expect((await attempt('wang', PASSWORD, '10.0.3.98')).status).toBe(303);
  });
});

describe('CSRF: every POST carries the token of a page this server showed', () => {
  it('sign-in without a token, with a forged one, without its cookie, or from another site\'s page: 403, no session', async () => {
    const { pre, csrf } = await loginForm(url);
    const other = await loginForm(url);
    const cases: Array<[Record<string, string>, string | undefined, Record<string, string>?]> = [
      [{ name: 'wang', password: PASSWORD }, pre],
      [{ csrf: 'forged', name: 'wang', password: PASSWORD }, pre],
      [{ csrf, name: 'wang', password: PASSWORD }, undefined],
      [{ csrf: other.csrf, name: 'wang', password: PASSWORD }, pre],
      [{ csrf, name: 'wang', password: PASSWORD }, pre, { origin: 'http://evil.example' }],
      [{ csrf, name: 'wang', password: PASSWORD }, pre, { origin: 'null' }],
    ];
    for (const [fields, cookie, headers] of cases) {
      const r = await postForm(`${url}/login`, fields, cookie, headers);
      expect(r.status, JSON.stringify([fields, cookie, headers])).toBe(403);
      expect(setCookie(r, 'advisory_staff')).toBeUndefined();
    }
    // The same form with its token, cookie and this listener's own origin: signed in.
    expect((await postForm(`${url}/login`, { csrf, name: 'wang', password: PASSWORD }, pre, { origin: url })).status).toBe(303);
  });

  it('signed in: approve and sign-out without the session\'s token, or with another session\'s, are 403 and change nothing', async () => {
    const a = await signIn(url, 'wang');
    const b = await signIn(url, 'zhao');
    const page = await (await a.get('/preview/')).text();
    const hash = field(page, 'hash');
    for (const csrf of [undefined, 'forged', b.csrf]) {
      const fields: Record<string, string> = { campaign: '2014-national-day', hash, ...(csrf ? { csrf } : {}) };
      expect((await postForm(`${url}/approve`, fields, a.cookie)).status).toBe(403);
      expect((await postForm(`${url}/logout`, csrf ? { csrf } : {}, a.cookie)).status).toBe(403);
    }
    expect(await withStore(join(root, 'var'), (s) => s.approval('2014-national-day', hash))).toBeUndefined();
    expect((await a.get('/status')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('sign-out ends the session (the cookie is cleared, the old one no longer works)', async () => {
    const s = await signIn(url, 'wang');
    const r = await s.post('/logout', {});
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/login');
    expect(setCookie(r, 'advisory_staff')).toMatch(/^advisory_staff=; .*Max-Age=0/);
    const after = await s.get('/status');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/login?next=%2Fstatus');
  });

  it('12 hours without a request end a session', async () => {
    const s = await signIn(url, 'wang');
    offset += 11 * 3600_000;
    try {
      expect((await s.get('/status')).status).toBe(200);
      offset += 11 * 3600_000; // 11 h after the last request: still on
      expect((await s.get('/status')).status).toBe(200);
      offset += 12 * 3600_000 + 1000;
      expect((await s.get('/status')).status).toBe(303);
    } finally {
      offset = 0;
    }
  });

  it('a new password or a removed account ends its sessions', async () => {
    await addStaff(root, 'temp');
    const s = await signIn(url, 'temp');
    const t = await signIn(url, 'wang');
    await withStore(join(root, 'var'), async (st) => st.setStaffPassword('temp', await hashPassword('another password 1'), new Date(Date.now() + 1000)));
    expect((await s.get('/status')).status).toBe(303);
    const again = await signIn(url, 'temp', 'another password 1');
    await withStore(join(root, 'var'), (st) => st.removeStaff('temp', new Date()));
    expect((await again.get('/status')).status).toBe(303);
    expect((await t.get('/status')).status).toBe(200);
  });

  it('no first-account link while an account exists', () => {
    expect(daemon.setupLink).toBeUndefined();
  });
});

describe('approving from the preview', () => {
  it('the preview shows, per campaign, the hash and a form approving it as the signed-in name; posting it approves that content', async () => {
    const s = await signIn(url, 'wang');
    const page = await (await s.get('/preview/')).text();
    expect(page).toMatch(/<form method="post" action="\/approve" class="approve-form"/);
    expect(page).toContain('Approve this content as wang');
    const hash = field(page, 'hash');
    expect(page).toContain(`<code class="approve-hash">${hash.slice(0, 12)}</code>`);
    expect(page).toContain('Not approved: only sandbox channels, which need no approval');
    const r = await s.post('/approve', { campaign: '2014-national-day', hash });
    // POST, redirect, GET: the result is shown once, and a reload of it sends nothing again
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/done');
    expect(await (await s.get('/done')).text()).toContain(`Approved 2014-national-day content ${hash.slice(0, 12)} as wang`);
    expect((await s.get('/done')).status).toBe(303);
    expect(await withStore(join(root, 'var'), (st) => st.approval('2014-national-day', hash))).toMatchObject({ approvedBy: 'wang' });
    expect(await (await s.get('/preview/')).text()).toContain('Approved by wang (');
  });

  it('content changed since the page was shown: 409, nothing approved', async () => {
    const s = await signIn(url, 'zhao');
    const hash = field(await (await s.get('/preview/')).text(), 'hash');
    const dir = join(root, 'advisories/2014-national-day');
    const md = readdirSync(dir).find((f) => f.endsWith('.md'))!;
    appendFileSync(join(dir, md), '\n\n编辑后新增的一段。\n');
    const r = await s.post('/approve', { campaign: '2014-national-day', hash: `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}` });
    expect(r.status).toBe(409);
    const stale = await s.post('/approve', { campaign: '2014-national-day', hash });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('the content changed since it was shown');
    const approvals = await withStore(join(root, 'var'), async (st) => st.latestApproval('2014-national-day'));
    expect(approvals?.approvedBy).not.toBe('zhao');
    expect((await s.post('/approve', { campaign: 'no-such-campaign', hash })).status).toBe(422);
  });
});

describe('the first-account link', () => {
  let fresh: string;
  let d: Daemon;
  beforeAll(async () => {
    fresh = tmpProject();
    d = await start(fresh);
  });
  afterAll(async () => {
    await d?.stop();
    rmSync(fresh, { recursive: true, force: true });
  });

  it('is printed while there is no account; works from this machine only, for 15 minutes, once; creates the account and signs it in', async () => {
    expect(d.setupLink).toMatch(new RegExp(`^${d.staffUrl}/setup\\?token=[A-Za-z0-9_-]{43}$`));
    const path = new URL(d.setupLink!).pathname + new URL(d.setupLink!).search;
    const token = new URL(d.setupLink!).searchParams.get('token')!;
    // Through a proxy (a client elsewhere), with a wrong token, or after 15 minutes: refused.
    expect((await raw(d.staffUrl, path, { headers: { 'x-forwarded-for': '203.0.113.5' } })).status).toBe(403);
    expect((await raw(d.staffUrl, path, { headers: { forwarded: 'for=203.0.113.5' } })).status).toBe(403);
    expect((await raw(d.staffUrl, `/setup?token=${token.slice(1)}x`)).status).toBe(403);
    expect((await raw(d.staffUrl, '/setup')).status).toBe(403);
    offset = 15 * 60_000 + 1000;
    try {
      expect((await raw(d.staffUrl, path)).status).toBe(403);
    } finally {
      offset = 0;
    }
    const form = await fetch(d.setupLink!);
    expect(form.status).toBe(200);
    const pre = setCookie(form, 'advisory_pre')!.split(';')[0];
    const csrf = field(await form.text(), 'csrf');
    const post = (fields: Record<string, string>, headers?: Record<string, string>) => postForm(`${d.staffUrl}/setup`, { csrf, token, ...fields }, pre, headers);
    expect((await post({ name: 'admin', password: 'long enough pw', password2: 'long enough pw' }, { 'x-forwarded-for': '203.0.113.5' })).status).toBe(403);
    expect((await postForm(`${d.staffUrl}/setup`, { token, name: 'admin', password: 'long enough pw', password2: 'long enough pw' }, pre)).status).toBe(403);
    expect((await post({ name: 'admin', password: 'long enough pw', password2: 'different pw!!' })).status).toBe(400);
    expect((await post({ name: 'admin', password: 'short', password2: 'short' })).status).toBe(400);
    expect(await withStore(join(fresh, 'var'), (s) => s.staffAccounts())).toEqual([]);
    const made = await post({ name: 'admin', password: 'long enough pw', password2: 'long enough pw' });
    expect(made.status).toBe(303);
    const cookie = setCookie(made, 'advisory_staff')!.split(';')[0];
    expect((await fetch(`${d.staffUrl}/status`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
    expect((await withStore(join(fresh, 'var'), (s) => s.staffAccounts())).map((a) => a.name)).toEqual(['admin']);
    // Used: neither the page nor the form works again.
    expect((await raw(d.staffUrl, path)).status).toBe(403);
    expect((await post({ name: 'second', password: 'long enough pw', password2: 'long enough pw' })).status).toBe(403);
    expect((await withStore(join(fresh, 'var'), (s) => s.staffAccounts())).map((a) => a.name)).toEqual(['admin']);
    await signIn(d.staffUrl, 'admin', 'long enough pw');
  });
});
