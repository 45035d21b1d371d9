/**
 * The staff console over HTTP, against a real daemon and ledger: the calendar
 * of the next holiday with each channel's state, approving the hash shown and
 * the diff a re-approval shows, a failure in plain words retried (and sent),
 * subscribers imported from a CSV upload and exported; Chinese by default for
 * a reader who chose it, English on request, every action a plain form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { newDelivery, silent, tmpProject, withStore } from '../delivery/helpers.js';
import { addStaff, field, signIn, type StaffClient } from './staff-session.js';

let root: string;
let daemon: Daemon;
let s: StaffClient;

const zh = { cookie: '' };
const get = async (path: string, lang?: 'zh-CN' | 'en') => {
  const r = await s.get(path, lang ? { headers: { cookie: `${s.cookie}; advisory_lang=${lang}` } } : {});
  return { status: r.status, text: await r.text(), headers: r.headers };
};

beforeAll(async () => {
  root = tmpProject();
  await addStaff(root, 'wang');
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined), pollMs: 100,
  });
  s = await signIn(daemon.staffUrl, 'wang');
  zh.cookie = `${s.cookie}; advisory_lang=zh-CN`;
});

afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the staff console', () => {
  it('every console page needs a session: without one, to sign-in and back', async () => {
    for (const path of ['/', '/calendar', '/approvals', '/failures', '/subscribers', '/subscribers.csv']) {
      const r = await fetch(`${daemon.staffUrl}${path}`, { redirect: 'manual' });
      expect(r.status, path).toBe(303);
      expect(r.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const retry = await fetch(`${daemon.staffUrl}/retry`, { method: 'POST', body: 'key=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(retry.status).toBe(403);
  });

  it('home and calendar: the next holiday first, each firing with its channels and their state, in Chinese when chosen', async () => {
    const home = await get('/', 'zh-CN');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<html lang="zh-CN">');
    expect(home.text).toContain('2014 国庆节');
    expect(home.text).toContain('首次发布：2014-09-29 09:00');
    const cal = await get('/calendar', 'zh-CN');
    expect(cal.text).toContain('发布日历：什么时候发什么');
    expect(cal.text).toMatch(/<td>2014-09-29 09:00<\/td><td><code>bulletin<\/code><\/td><td><ul class="plain"><li>网站: <span class="badge s-scheduled">已排期<\/span><\/li><li>微信公众号: <span class="badge s-scheduled">已排期<\/span>/);
    // the holiday's daily Weibo reminders, Oct 1–7
    expect(cal.text.match(/<td>2014-10-0\d 08:00<\/td>/g)).toHaveLength(7);
    expect(cal.text).toContain('未批准：只有沙箱渠道，无需批准');
    const en = await get('/calendar', 'en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Calendar: what goes out when');
    expect(en.text).toContain('Website: <span class="badge s-scheduled">scheduled</span>');
  });

  it('the language switch is a link that keeps the choice in a cookie and comes back to the page', async () => {
    const r = await s.get('/lang?to=en&next=/calendar');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/calendar');
    expect(r.headers.getSetCookie()[0]).toMatch(/^advisory_lang=en; Path=\/; SameSite=Lax; Max-Age=\d+/);
    const away = await s.get('/lang?to=en&next=//evil.example/');
    expect(away.headers.get('location')).toBe('/');
    expect((await get('/calendar', 'zh-CN')).text).toContain('href="/lang?to=en&amp;next=%2Fcalendar"');
  });

  it('approve: the campaign alone with its four channels, the hash shown approved as the signed-in name; after an edit, the diff of what changed', async () => {
    const list = await get('/approvals', 'zh-CN');
    expect(list.text).toContain('href="/preview/?campaign=2014-national-day"');
    const first = await get('/preview/?campaign=2014-national-day', 'zh-CN');
    expect(first.status).toBe(200);
    // the preview's own labels in the reader's language too
    expect(first.text).toContain('渠道预览');
    expect((await get('/preview/?campaign=2014-national-day', 'en')).text).toContain('Channel preview');
    expect(first.text).toContain('id="c-2014-national-day"');
    expect(first.text).not.toContain('id="c-national-day"');
    // The preview page is built in this process's language (English here: vitest.config.ts), not mixed.
    for (const channel of ['>微信公众号<', '>微博<', '>电子邮件<', '>网站<']) expect(first.text).toContain(channel);
    expect(first.text).toContain('以 wang 的身份批准这一版内容');
    const hash = field(first.text, 'hash');
    const ok = await s.post('/approve', { campaign: '2014-national-day', hash });
    expect(ok.status).toBe(303);
    expect((await get('/done', 'zh-CN')).text).toMatch(/已以 wang 的身份批准 2014-national-day 的内容 [0-9a-f]{12}/);
    expect(await withStore(join(root, 'var'), (st) => st.approval('2014-national-day', hash))).toMatchObject({ approvedBy: 'wang' });

    const file = join(root, 'advisories/2014-national-day/01-burglary.md');
    const before = readFileSync(file, 'utf8');
    const lines = before.split('\n');
    const body = lines.findIndex((l, i) => i > 3 && l.startsWith('- '));
    const removed = lines[body];
    lines[body] = '- 外出前请关好门窗，贵重物品不要放在家中。';
    writeFileSync(file, lines.join('\n').replace(/^title: .*$/m, 'title: 入户盗窃防范要点'));
    await new Promise((r) => setTimeout(r, 3_100)); // the preview is rebuilt when it is older than 3 s
    const again = await get('/preview/?campaign=2014-national-day', 'zh-CN');
    expect(again.text).toContain('与上次批准相比的改动');
    expect(again.text).toContain('有改动：advisories/2014-national-day/01-burglary.md');
    expect(again.text).toMatch(/<th scope="row"><code>title<\/code><\/th><td><del>[^<]+<\/del><\/td><td><ins>入户盗窃防范要点<\/ins><\/td>/);
    expect(again.text).toContain(`<li class="del"><span class="mark">− 删除</span> ${removed.replace(/&/g, '&#38;')}</li>`);
    expect(again.text).toContain('<li class="add"><span class="mark">+ 新增</span> - 外出前请关好门窗，贵重物品不要放在家中。</li>');
    expect(again.text).toMatch(/badge s-scheduled">wang 批准（[^）]+）之后内容有改动/);
    // the old hash is refused: nothing approved
    const stale = await s.post('/approve', { campaign: '2014-national-day', hash });
    expect(stale.status).toBe(409);
    writeFileSync(file, before);
  });

  it('failures: the channel’s words, what to do in plain words, and a retry that sends it again through the ledger', async () => {
    const key = await withStore(join(root, 'var'), async (st) => {
      const d = { ...newDelivery('weibo', 1, '2014-09-19T00:00:00Z'), key: 'c/s/weibo/2014-09-19T00:00:00Z' };
      await st.createDeliveries('test-failure', [{ ...d, state: 'held', reason: 'test: not yet' }], new Date());
      await st.retry(d.key, new Date('2099-01-01T00:00:00Z')); // pending, but not due before the failure is recorded
      const claimed = await st.markSending(d.key, new Date());
      if (!claimed) throw new Error('not claimed');
      await st.markFinal(d.key, claimed.attempt, 'failed', 'Weibo error 21327: expired_token', { failure: 'auth', message: 'Weibo error 21327: expired_token', channelCode: '21327' }, new Date());
      return d.key;
    });
    const page = await get('/failures', 'zh-CN');
    expect(page.text).toContain('Weibo error 21327: expired_token');
    expect(page.text).toContain('微博：访问令牌已过期，需要有人重新授权应用。');
    expect(page.text).toContain('微博需要新的访问令牌');
    expect(page.text).toContain(`<code>${key}</code>`);
    const r = await s.post('/retry', { group: field(page.text, 'group') });
    expect(r.status).toBe(303);
    expect((await get('/done', 'en')).text).toContain('1 delivery is queued again');
    // the sandbox Weibo channel takes it: sent, once
    await expect.poll(async () => (await withStore(join(root, 'var'), (st) => st.get(key)))?.state, { timeout: 10_000 }).toBe('sent');
    const again = await s.post('/retry', { key });
    expect(again.status).toBe(409);
    expect((await s.post('/retry', { key: 'no/such/key' })).status).toBe(404);
    expect((await get('/failures', 'en')).text).toContain('Nothing failed.');
  });

  it('failures alike are one row: three deliveries refused with the same words, retried together with one button', async () => {
    const keys = await withStore(join(root, 'var'), async (st) => {
      const out: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const d = { ...newDelivery('wechat', i, '2014-09-18T00:00:00Z'), campaign: 'g', key: `g/s/wechat/2014-09-18T00:00:00Z/${i}` };
        await st.createDeliveries(`group-${i}`, [{ ...d, state: 'held', reason: 'test' }], new Date());
        await st.retry(d.key, new Date('2099-01-01T00:00:00Z'));
        const claimed = (await st.markSending(d.key, new Date()))!;
        await st.markFinal(d.key, claimed.attempt, 'failed', 'WeChat errcode 40164: invalid ip 203.0.113.9, not in whitelist', { failure: 'permanent', message: 'WeChat errcode 40164: invalid ip 203.0.113.9, not in whitelist', channelCode: '40164' }, new Date());
        out.push(d.key);
      }
      return out;
    });
    const page = await get('/failures', 'zh-CN');
    expect(page.text).toContain('微信公众号 · g · 共 3 条');
    // the home page counts deliveries, not rows of the failures page
    expect((await get('/', 'zh-CN')).text).toContain('3 条发送失败');
    expect(page.text).toContain('请在微信公众号后台把本服务器的 IP 地址（见平台原话）加入 IP 白名单');
    expect(page.text.match(/name="group"/g)).toHaveLength(1);
    const group = field(page.text, 'group');
    const r = await s.post('/retry', { group });
    expect(r.status).toBe(303);
    expect((await get('/done', 'zh-CN')).text).toContain('已重新排队 3 条');
    for (const key of keys) expect((await withStore(join(root, 'var'), (st) => st.get(key)))?.state).not.toBe('failed');
    // the same form again: nothing left to retry in that group
    expect((await s.post('/retry', { group })).status).toBe(409);
  });

  it('a mistyped address, a stale link and a reloaded form get a console page in the reader’s language', async () => {
    const missing = await get('/calender', 'zh-CN');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<h1>找不到页面</h1>');
    expect(missing.text).toContain('href="/"');
    expect((await get('/preview/?campaign=no-such-campaign', 'en')).text).toContain('<h1>Not found</h1>');
    const reload = await get('/approve', 'zh-CN');
    expect(reload.status).toBe(405);
    expect(reload.text).toContain('不能这样打开');
  });

  it('subscribers: counts by state, a CSV uploaded from the form (names in Chinese, a bad line named), exported back', async () => {
    const csv = '邮箱,姓名\nzhang@example.org,张三\nli@example.org,李四\nnot-an-address,王五\n';
    const form = new FormData();
    form.append('csrf', s.csrf);
    form.append('file', new Blob([csv], { type: 'text/csv' }), '名单.csv');
    const r = await fetch(`${daemon.staffUrl}/subscribers/import`, { method: 'POST', body: form, headers: { cookie: zh.cookie } });
    const text = await r.text();
    expect(r.status).toBe(422);
    expect(text).toContain('名单.csv（UTF-8）：新增 2 个');
    expect(text).toContain('有 1 行无法读取');
    expect(text).toContain('第 4 行');
    const page = await get('/subscribers', 'zh-CN');
    expect(page.text).toMatch(/<th scope="row">有效<\/th><td>2<\/td>/);
    const out = await get('/subscribers.csv');
    expect(out.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(out.text).toContain('zhang@example.org,张三,active');
    // the CSRF token is checked on the upload too
    const bad = new FormData();
    bad.append('csrf', 'nope');
    bad.append('file', new Blob(['a@example.org\n']), 'x.csv');
    expect((await fetch(`${daemon.staffUrl}/subscribers/import`, { method: 'POST', body: bad, headers: { cookie: s.cookie } })).status).toBe(403);
  });
});

describe('a long subscriber list', () => {
  it('is exported whole, in pieces, one header, every row once', async () => {
    await withStore(join(root, 'var'), (st) => st.importSubscribers(Array.from({ length: 12_000 }, (_, i) => ({ address: `bulk${i}@example.org`, line: i + 1, id: `s-${i.toString(16).padStart(16, '0')}`, unsubscribeToken: `t${i}` })), new Date(), 'bulk'));
    const out = await get('/subscribers.csv');
    const lines = out.text.split('\r\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('email,name,status'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('bulk'))).toHaveLength(12_000);
    expect(new Set(lines).size).toBe(lines.length);
  });
});
