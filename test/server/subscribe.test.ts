/**
 * The public subscription over HTTP against a running daemon: sign-up with
 * double opt-in (the confirmation mail read back from the sandbox outbox),
 * forged, altered and expired links, rate limits, one page whatever the
 * address, one-click unsubscribe (signed and stored tokens), escaping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { subscriptionLinks } from '../../src/channels/email/links.js';
import { newSubscriberId, type Store } from '../../src/delivery/store/index.js';
import { silent, tmpProject, withStore } from '../delivery/helpers.js';

const SECRET = 'test-link-secret-0123456789';
const links = subscriptionLinks(SECRET);
const START = new Date('2014-09-20T00:00:00Z');

let root: string;
let daemon: Daemon;
let legacyToken: string;
let signedActive: { id: string; token: string };
let bystander: { id: string; token: string };

const varDir = () => join(root, 'var');
const store = <T>(f: (s: Store) => T | Promise<T>) => withStore(varDir(), f);

async function addSigned(address: string, name?: string): Promise<{ id: string; token: string }> {
  const id = newSubscriberId();
  const token = links.unsubscribeToken(id);
  await store((s) => s.addSubscriber({ id, address, name, unsubscribeToken: token, status: 'active', source: 'cli' }, START));
  return { id, token };
}

beforeAll(async () => {
  root = tmpProject();
  legacyToken = await store(async (s) => (await s.addSubscriber({ address: 'legacy@example.org' }, START)).unsubscribeToken);
  signedActive = await addSigned('active@example.org', '老王');
  bystander = await addSigned('bystander@example.org');
  daemon = await startDaemon({
    // The link secret from the environment (channels/email.yaml: optional_env.link_secret).
    root, env: { EMAIL_LINK_SECRET: SECRET }, port: 0, host: '127.0.0.1', clock: systemClock(START),
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined),
  });
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

let clients = 0;
/** Each test signs up from its own client address (the daemon reads X-Forwarded-For from loopback). */
const newClient = () => `203.0.113.${++clients}`;

function post(path: string, fields: Record<string, string>, client = newClient(), headers: Record<string, string> = {}) {
  return fetch(`${daemon.url}${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${daemon.url}${path}`, { headers, redirect: 'manual' });

/** Every message in the sandbox outbox to `address`, oldest first. */
async function mailsTo(address: string): Promise<ParsedMail[]> {
  const dir = join(varDir(), 'outbox/email');
  if (!existsSync(dir)) return [];
  const all = await Promise.all(readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => simpleParser(readFileSync(join(dir, f)))));
  return all.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address).sort((a, b) => a.date!.getTime() - b.date!.getTime());
}
/** mailparser's reading of List-Unsubscribe and List-Unsubscribe-Post. */
const listHeaders = (m: ParsedMail) => m.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
const linkIn = (text: string, path: string) => new RegExp(`https?://\\S+${path}\\?token=\\S+`).exec(text)?.[0];
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const pathOf = (url: string) => { const u = new URL(url); return u.pathname + u.search; };
const hasButton = (html: string) => /<form method="post"[^>]*>[\s\S]*<button type="submit"/.test(html);
const statusOf = (address: string) => store(async (s) => (await s.subscriberByAddress(address))?.status);

describe('sign-up form', () => {
  it('is a public page like the site\'s: zh-CN, phone viewport, the style sheet, labelled fields, no inline script', async () => {
    const r = await get('/subscribe/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await r.text();
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('href="/assets/style.css"');
    expect(html).toContain('<form class="subscribe-form" method="post" action="/subscribe/" novalidate>');
    expect(html).toContain('<label for="address">');
    expect(html).toMatch(/<input id="address" name="address" type="email" inputmode="email" autocomplete="email"/);
    expect(html).toContain('<label for="name">');
    expect([...html.matchAll(/<script\b[^>]*>/g)].every((m) => / src="/.test(m[0]))).toBe(true);
    expect((await get('/subscribe')).status).toBe(200);
  });

  it('follows the reader\'s large-text choice', async () => {
    expect(await (await get('/subscribe/', { cookie: 'mode=large' })).text()).toContain('<html lang="zh-CN" class="large">');
  });

  it('signs up with double opt-in: pending, a confirmation mail, a link whose GET changes nothing, a POST that confirms', async () => {
    const r = await post('/subscribe/', { address: ' New.Reader@Example.org ', name: '张先生', website: '' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-robots-tag')).toBe('noindex');
    const page = await r.text();
    expect(page).toContain('请查收确认邮件');
    expect(page).toContain('new.reader@example.org');
    const s = await store((st) => st.subscriberByAddress('new.reader@example.org'));
    expect(s).toMatchObject({ status: 'pending', source: 'web', name: '张先生' });
    expect(s!.unsubscribeToken).toBe(links.unsubscribeToken(s!.id));

    const [mail, ...more] = await mailsTo('new.reader@example.org');
    expect(more).toEqual([]);
    expect(mail.subject).toContain('请确认订阅');
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0].name).toBe('张先生');
    const link = linkIn(mail.text!, '/subscribe/confirm')!;
    expect(link.startsWith('http://127.0.0.1:4321/subscribe/confirm?token=c.')).toBe(true);
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'));
    expect(listHeaders(mail)).toEqual({ unsubscribe: { url: `http://127.0.0.1:4321/unsubscribe?token=${encodeURIComponent(s!.unsubscribeToken)}` }, 'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' } });

    // The link (a mail scanner would fetch it too) shows a button and changes nothing.
    for (let i = 0; i < 2; i++) {
      const g = await get(pathOf(link));
      expect(g.status).toBe(200);
      const html = await g.text();
      expect(hasButton(html)).toBe(true);
      expect(html).toContain('n***@example.org');
      expect(html).not.toContain('new.reader@example.org');
    }
    expect(await statusOf('new.reader@example.org')).toBe('pending');

    const c = await post('/subscribe/confirm', { token: tokenOf(link) });
    expect(c.status).toBe(200);
    expect(await c.text()).toContain('订阅成功');
    expect(await store((st) => st.subscriberByAddress('new.reader@example.org'))).toMatchObject({ status: 'active', confirmedAt: expect.any(String) });

    // A used link says so, with no button; confirming again changes nothing.
    const used = await get(pathOf(link));
    expect(used.status).toBe(200);
    const usedHtml = await used.text();
    expect(usedHtml).toContain('这个确认链接已经用过了');
    expect(hasButton(usedHtml)).toBe(false);
    const again = await post(pathOf(link), {});
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('已经订阅成功');
  });

  it('refuses forged, altered and expired confirmation links, with no button, and changes nothing', async () => {
    await post('/subscribe/', { address: 'wary@example.org' });
    const id = (await store((s) => s.subscriberByAddress('wary@example.org')))!.id;
    const good = links.confirmToken(id, START);
    const [, , expires, mac] = good.split('.');
    const other = newSubscriberId();
    const cases: Array<[string, string, number]> = [
      ['altered signature', `c.${id}.${expires}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, 400],
      ['another subscriber\'s id', `c.${other}.${expires}.${mac}`, 400],
      ['a later expiry', `c.${id}.${(parseInt(expires, 36) + 999_999).toString(36)}.${mac}`, 400],
      ['signed with another secret', subscriptionLinks('another-secret').confirmToken(id, START), 400],
      ['an unsubscribe token', links.unsubscribeToken(id), 400],
      ['garbage', '<script>alert(1)</script>', 400],
      ['nothing', '', 400],
      ['expired', links.confirmToken(id, new Date(START.getTime() - 8 * 24 * 3600_000)), 410],
    ];
    for (const [what, token, status] of cases) {
      const g = await get(`/subscribe/confirm?token=${encodeURIComponent(token)}`);
      expect([what, g.status]).toEqual([what, status]);
      const html = await g.text();
      expect(hasButton(html), what).toBe(false);
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain(status === 410 ? '已经超过 7 天' : '这个确认链接不完整');
      const p = await post('/subscribe/confirm', { token });
      expect([what, p.status]).toEqual([what, status]);
    }
    expect(await statusOf('wary@example.org')).toBe('pending');
  });

  it('answers with the same page whether the address is new or already subscribed; an active one is told so by mail and stays as it was', async () => {
    const client = newClient();
    const strip = async (r: Response, address: string) => (await r.text()).replaceAll(address, 'ADDRESS');
    const fresh = await post('/subscribe/', { address: 'unknown@example.org', name: '甲' }, client);
    const known = await post('/subscribe/', { address: 'active@example.org', name: '冒名者' }, client);
    expect([fresh.status, known.status]).toEqual([200, 200]);
    expect(await strip(known, 'active@example.org')).toBe(await strip(fresh, 'unknown@example.org'));
    const [note, ...more] = await mailsTo('active@example.org');
    expect(more).toEqual([]);
    expect(note.subject).toContain('您已经订阅了');
    expect(linkIn(note.text!, '/subscribe/confirm')).toBeUndefined();
    expect(note.text).toContain(`/unsubscribe?token=${encodeURIComponent(signedActive.token)}`);
    expect(await store((s) => s.subscriberByAddress('active@example.org'))).toMatchObject({ status: 'active', name: '老王' });
  });

  it('takes full-width ＠ and ． as typed on a Chinese keyboard', async () => {
    expect((await post('/subscribe/', { address: 'ｗｉｄｅ＠example。org' })).status).toBe(200);
    expect(await statusOf('wide@example.org')).toBe('pending');
  });

  it('shows the form again with the problem and what was typed, escaped', async () => {
    const r = await post('/subscribe/', { address: '"><img src=x onerror=alert(1)>', name: '<script>alert(1)</script>' + '长'.repeat(40) });
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('请修改下面标出的内容');
    expect(html).toContain('邮箱地址里缺少 @ 符号');
    expect(html).toContain('称呼最多 40 个字');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('value="&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert');
    const empty = await post('/subscribe/', { address: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('请填写电子邮箱地址');
  });

  it('escapes a hostile name in the confirmation mail and never shows it on the pages', async () => {
    const name = '<img src=x onerror=alert(1)>"王';
    const r = await post('/subscribe/', { address: 'xss@example.org', name });
    expect(r.status).toBe(200);
    const [mail] = await mailsTo('xss@example.org');
    expect(mail.html).toContain('&#60;img src=x onerror=alert(1)&#62;&#34;王');
    expect(mail.html).not.toContain('<img src=x');
    const g = await (await get(pathOf(linkIn(mail.text!, '/subscribe/confirm')!))).text();
    expect(g).not.toContain('onerror');
  });

  it('stores and sends nothing when the hidden field is filled (a robot), answering as usual', async () => {
    const r = await post('/subscribe/', { address: 'robot@example.org', website: 'http://spam.example' });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('请查收确认邮件');
    expect(await statusOf('robot@example.org')).toBeUndefined();
    expect(await mailsTo('robot@example.org')).toEqual([]);
  });

  it('limits sign-ups per client: the sixth in ten minutes gets 429 saying when to try again; another client is not held up', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i++) expect((await post('/subscribe/', { address: `ip${i}@example.org` }, client)).status).toBe(200);
    const r = await post('/subscribe/', { address: 'ip5@example.org' }, client);
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(600);
    const html = await r.text();
    expect(html).toMatch(/<html lang="zh-CN">/);
    expect(html).toContain('请 <strong>10 分钟</strong>以后再试（北京时间 08:');
    expect(await statusOf('ip5@example.org')).toBeUndefined();
    expect((await post('/subscribe/', { address: 'ip5@example.org' })).status).toBe(200);
  });

  it('limits mails to one address: three a day, from any client', async () => {
    for (let i = 0; i < 3; i++) expect((await post('/subscribe/', { address: 'flooded@example.org' })).status).toBe(200);
    const r = await post('/subscribe/', { address: 'Flooded@Example.org' });
    expect(r.status).toBe(429);
    expect(await r.text()).toContain('这个邮箱地址今天已经申请过好几次了');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
    expect(await mailsTo('flooded@example.org')).toHaveLength(3);
  });

  it('refuses a body larger than a form', async () => {
    expect((await post('/subscribe/', { address: 'big@example.org', name: 'x'.repeat(10_000) })).status).toBe(413);
  });
});

describe('unsubscribe', () => {
  it('GET shows one button and changes nothing; POST one-click (RFC 8058) unsubscribes exactly that recipient', async () => {
    const path = `/unsubscribe?token=${encodeURIComponent(signedActive.token)}`;
    const g = await get(path);
    expect(g.status).toBe(200);
    const html = await g.text();
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(html).toContain('<meta name="viewport"');
    expect(hasButton(html)).toBe(true);
    expect(html).toContain('a***@example.org');
    expect(await statusOf('active@example.org')).toBe('active');

    const p = await post(path, { 'List-Unsubscribe': 'One-Click' });
    expect(p.status).toBe(200);
    expect(await p.text()).toContain('您已退订');
    expect(await statusOf('active@example.org')).toBe('unsubscribed');
    expect(await statusOf('bystander@example.org')).toBe('active');

    const again = await get(path);
    expect(again.status).toBe(200);
    const againHtml = await again.text();
    expect(againHtml).toContain('这个地址已经退订过了');
    expect(hasButton(againHtml)).toBe(false);
    const twice = await post(path, { 'List-Unsubscribe': 'One-Click' });
    expect(twice.status).toBe(200);
  });

  it('takes the one-click as multipart/form-data too (RFC 8058 allows either)', async () => {
    const { id, token } = await addSigned('multipart@example.org');
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const r = await fetch(`${daemon.url}/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST', body });
    expect(r.status).toBe(200);
    expect(await statusOf('multipart@example.org')).toBe('unsubscribed');
    const audit = await store((s) => s.auditLog({ event: 'unsubscribed' }));
    expect(audit.find((e) => e.detail.subscriber === id)).toMatchObject({ detail: { by: 'one-click' } });
  });

  it('refuses forged and altered tokens (400, no button) and changes nothing', async () => {
    const [, id, mac] = bystander.token.split('.');
    const forged = [
      `u.${id}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `u.${newSubscriberId()}.${mac}`,
      subscriptionLinks('another-secret').unsubscribeToken(id),
      `<b>${bystander.token}</b>`,
      '',
    ];
    for (const token of forged) {
      const path = `/unsubscribe?token=${encodeURIComponent(token)}`;
      const g = await get(path);
      expect([token, g.status]).toEqual([token, 400]);
      const html = await g.text();
      expect(hasButton(html)).toBe(false);
      expect(html).toContain('这个退订链接不完整');
      expect(html).not.toContain('<b>');
      expect((await post(path, { 'List-Unsubscribe': 'One-Click' })).status).toBe(400);
    }
    expect(await statusOf('bystander@example.org')).toBe('active');
  });

  it('still takes the stored tokens of links sent before signing', async () => {
    const path = `/unsubscribe?token=${encodeURIComponent(legacyToken)}`;
    expect(hasButton(await (await get(path)).text())).toBe(true);
    expect(await statusOf('legacy@example.org')).toBe('active');
    const p = await post(path, { 'List-Unsubscribe': 'One-Click' });
    expect(p.status).toBe(200);
    expect(await statusOf('legacy@example.org')).toBe('unsubscribed');
    expect((await get('/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    // One stored while the daemon runs: the one-click goes through too (looked up in the store on each request).
    const late = await store(async (s) => (await s.addSubscriber({ address: 'late-legacy@example.org' }, START)).unsubscribeToken);
    const r = await post(`/unsubscribe?token=${encodeURIComponent(late)}`, { 'List-Unsubscribe': 'One-Click' });
    expect(r.status).toBe(200);
    // The same answer as any unsubscribe: the masked address it was for.
    expect(await r.text()).toContain('您已退订。<strong class="address">l***@example.org</strong> 不会再收到');
    expect(await statusOf('late-legacy@example.org')).toBe('unsubscribed');
  });

  it('keeps links signed under an earlier secret working for the subscriber they were stored for, and no one else', async () => {
    const old = subscriptionLinks('the-secret-before');
    const id = newSubscriberId();
    await store((s) => s.addSubscriber({ id, address: 'rotated@example.org', unsubscribeToken: old.unsubscribeToken(id), status: 'active' }, START));
    const other = old.unsubscribeToken(bystander.id);
    expect((await get(`/unsubscribe?token=${encodeURIComponent(other)}`)).status).toBe(400);
    const path = `/unsubscribe?token=${encodeURIComponent(old.unsubscribeToken(id))}`;
    expect(hasButton(await (await get(path)).text())).toBe(true);
    expect((await post(path, { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    expect(await statusOf('rotated@example.org')).toBe('unsubscribed');
    expect(await statusOf('bystander@example.org')).toBe('active');
  });

  it('ends a pending sign-up from its confirmation mail\'s one-click header', async () => {
    await post('/subscribe/', { address: 'changed-mind@example.org' });
    const [mail] = await mailsTo('changed-mind@example.org');
    const url = listHeaders(mail).unsubscribe.url;
    const r = await fetch(url.replace('http://127.0.0.1:4321', daemon.url), { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(200);
    expect(await statusOf('changed-mind@example.org')).toBe('unsubscribed');
    // Its confirmation link no longer works.
    const confirm = await get(pathOf(linkIn(mail.text!, '/subscribe/confirm')!));
    expect(confirm.status).toBe(410);
    expect(hasButton(await confirm.text())).toBe(false);
  });
});
