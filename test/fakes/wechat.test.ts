import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { startWechatFake, wechatSignature, type WechatFake, type WechatFakeOptions } from './wechat.js';
import { multipart, sampleImage } from './samples.js';

const RID = / rid: [0-9a-f]{8}-[0-9a-f]{8}$/;
let fake: WechatFake;
let receiver: Server | undefined;

afterEach(async () => {
  await fake?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  receiver = undefined;
});

async function start(options: WechatFakeOptions = {}): Promise<WechatFake> {
  fake = await startWechatFake(options);
  return fake;
}

type Json = Record<string, any>;

async function call(path: string, body?: unknown, init: RequestInit = {}): Promise<{ status: number; type: string; json: Json }> {
  const res = await fetch(`${fake.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    body: body instanceof FormData || body === undefined ? body : JSON.stringify(body),
    headers: body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' },
    ...init,
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: JSON.parse(text) };
}

const creds = { grant_type: 'client_credential', appid: 'wx-test-appid', secret: 'test-secret' };

async function token(forceRefresh = false): Promise<string> {
  const { json } = await call('/cgi-bin/stable_token', { ...creds, force_refresh: forceRefresh });
  return json.access_token;
}

async function cover(t: string): Promise<string> {
  const { json } = await call(`/cgi-bin/material/add_material?access_token=${t}&type=image`, multipart('media', sampleImage('png')));
  return json.media_id;
}

const article = (thumb: string, over: Json = {}): Json => ({ title: '国庆出行安全提示', author: '市公安局', digest: '摘要', content: '<p>正文</p>', content_source_url: 'https://example.gov.cn/a', thumb_media_id: thumb, ...over });

async function draft(t: string, count = 1): Promise<string> {
  const thumb = await cover(t);
  const { json } = await call(`/cgi-bin/draft/add?access_token=${t}`, { articles: Array.from({ length: count }, () => article(thumb)) });
  return json.media_id;
}

describe('wechat fake: access tokens', () => {
  it('stable_token returns the same ~140-char token while valid, with the remaining seconds', async () => {
    await start();
    const first = await call('/cgi-bin/stable_token', { ...creds, force_refresh: false });
    expect(first.status).toBe(200);
    expect(first.json.access_token).toHaveLength(140);
    expect(first.json.expires_in).toBe(7200);
    expect(await token()).toBe(first.json.access_token);
    expect(fake.tokensIssued).toBe(1);
  });

  it('rejects a wrong appid (40013), a wrong secret (40001) and a missing grant_type (40002), with a rid', async () => {
    await start();
    const wrongAppid = await call('/cgi-bin/stable_token', { ...creds, appid: 'wx-other' });
    const wrongSecret = await call('/cgi-bin/stable_token', { ...creds, secret: 'nope' });
    const noGrant = await call('/cgi-bin/stable_token', { appid: creds.appid, secret: creds.secret });
    expect([wrongAppid, wrongSecret, noGrant].map((r) => [r.status, r.json.errcode])).toEqual([[200, 40013], [200, 40001], [200, 40002]]);
    expect(wrongSecret.json.errmsg).toMatch(RID);
  });

  it('force_refresh mints a new token, counts it and makes the old one 40001', async () => {
    await start();
    const old = await token();
    const fresh = await token(true);
    expect(fresh).not.toBe(old);
    expect(fake.forceRefreshes).toBe(1);
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${old}`)).json.errcode).toBe(40001);
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${fresh}`)).json.ip_list.length).toBeGreaterThan(0);
  });

  it('the classic /cgi-bin/token mints on every call and supersedes the previous token', async () => {
    await start();
    const q = new URLSearchParams(creds).toString();
    const a = (await call(`/cgi-bin/token?${q}`)).json.access_token;
    const b = (await call(`/cgi-bin/token?${q}`)).json.access_token;
    expect(a).not.toBe(b);
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${a}`)).json.errcode).toBe(40001);
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${b}`)).json.errcode).toBeUndefined();
  });

  it('business calls: 41001 without a token, 40001 for an unknown one, 42001 after expireToken, 40014 after invalidateToken', async () => {
    await start();
    expect((await call('/cgi-bin/get_api_domain_ip')).json.errcode).toBe(41001);
    expect((await call('/cgi-bin/get_api_domain_ip?access_token=made-up')).json.errcode).toBe(40001);
    const t = await token();
    fake.expireToken();
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${t}`)).json).toMatchObject({ errcode: 42001, errmsg: expect.stringMatching(/^access_token expired rid: /) });
    const renewed = await token();
    expect(renewed).not.toBe(t);
    fake.invalidateToken();
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${renewed}`)).json.errcode).toBe(40014);
    expect(await token()).not.toBe(renewed);
  });

  it('stable_token renews 5 minutes early and the old token stays valid until it expires', async () => {
    let clock = Date.parse('2026-10-01T00:00:00Z');
    await start({ now: () => clock });
    const old = await token();
    clock += 6_800_000; // 400 s left
    expect(await token()).toBe(old);
    clock += 200_000; // 200 s left: inside the renewal window
    const next = await token();
    expect(next).not.toBe(old);
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${old}`)).json.errcode).toBeUndefined();
    clock += 200_000;
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${old}`)).json.errcode).toBe(42001);
  });

  it('without the IP whitelisted every call answers 40164 naming the IP', async () => {
    await start({ whitelist: false });
    const res = await call('/cgi-bin/stable_token', creds);
    expect(res.json.errcode).toBe(40164);
    expect(res.json.errmsg).toMatch(/^invalid ip 203\.0\.113\.9 ipv6 ::ffff:203\.0\.113\.9, not in whitelist rid: /);
    expect((await call('/cgi-bin/get_api_domain_ip?access_token=x')).json.errcode).toBe(40164);
  });
});

describe('wechat fake: images', () => {
  it('add_material stores a permanent image and answers media_id and url', async () => {
    await start();
    const t = await token();
    const res = await call(`/cgi-bin/material/add_material?access_token=${t}&type=image`, multipart('media', sampleImage('jpeg'), 'cover.jpg'));
    expect(res.json.url).toMatch(/^http:\/\/mmbiz\.qpic\.cn\/mmbiz_jpg\/[\w-]+\/0\?wx_fmt=jpeg$/);
    expect(fake.materials.get(res.json.media_id)).toMatchObject({ type: 'jpeg', size: 64 });
    const recorded = fake.calls('material/add_material')[0].body as Json;
    expect(recorded.files[0]).toMatchObject({ field: 'media', filename: 'cover.jpg', size: 64, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('add_material: 41005 without media, 40005 for a non-image, 40009 over 2 MB, 40004 without type=image', async () => {
    await start();
    const path = `/cgi-bin/material/add_material?access_token=${await token()}&type=image`;
    expect((await call(path, multipart('other', sampleImage('png')))).json.errcode).toBe(41005);
    expect((await call(path, multipart('media', Buffer.from('not an image')))).json.errcode).toBe(40005);
    expect((await call(path, multipart('media', sampleImage('png', 2 * 1024 * 1024 + 1)))).json.errcode).toBe(40009);
    expect((await call(path.replace('&type=image', ''), multipart('media', sampleImage('png')))).json.errcode).toBe(40004);
    expect((await call(path, multipart('media', sampleImage('bmp')))).json.errcode).toBeUndefined();
    expect(fake.materials.size).toBe(1);
  });

  it('uploadimg answers text/plain (even on errors), takes jpg/png under 1 MB only', async () => {
    await start();
    const path = `/cgi-bin/media/uploadimg?access_token=${await token()}`;
    const ok = await call(path, multipart('media', sampleImage('png')));
    expect(ok.type).toMatch(/^text\/plain/);
    expect(ok.json.url).toMatch(/^http:\/\/mmbiz\.qpic\.cn\/mmbiz_png\//);
    expect(fake.inlineImages.has(ok.json.url)).toBe(true);
    const gif = await call(path, multipart('media', sampleImage('gif')));
    expect([gif.type.startsWith('text/plain'), gif.json.errcode]).toEqual([true, 40005]);
    expect((await call(path, multipart('media', sampleImage('jpeg', 1024 * 1024)))).json.errcode).toBe(40009);
  });
});

describe('wechat fake: drafts', () => {
  it('draft/add records the draft and answers its media_id', async () => {
    await start();
    const t = await token();
    const thumb = await cover(t);
    const res = await call(`/cgi-bin/draft/add?access_token=${t}`, { articles: [article(thumb), article(thumb)] });
    expect(Object.keys(res.json)).toEqual(['media_id']);
    expect(fake.drafts.get(res.json.media_id)?.articles).toHaveLength(2);
  });

  it.each([
    ['no articles', () => [], 44003],
    ['nine articles', (th: string) => Array.from({ length: 9 }, () => article(th)), 45008],
    ['a 33-character title', (th: string) => [article(th, { title: '安'.repeat(33) })], 45003],
    ['a 17-character author', (th: string) => [article(th, { author: 'a'.repeat(17) })], 45110],
    ['a 129-character digest', (th: string) => [article(th, { digest: 'd'.repeat(129) })], 45004],
    ['20,000 characters of content', (th: string) => [article(th, { content: 'c'.repeat(20_000) })], 45002],
    ['a <script> in the content', (th: string) => [article(th, { content: '<p>x</p><SCRIPT>alert(1)</script>' })], 45166],
    ['an unknown thumb_media_id', () => [article('temporary-id')], 40007],
    ['a 1025-byte content_source_url', (th: string) => [article(th, { content_source_url: `https://e.cn/${'u'.repeat(1012)}` })], 45005],
  ])('rejects %s', async (_name, articles, errcode) => {
    await start();
    const t = await token();
    const res = await call(`/cgi-bin/draft/add?access_token=${t}`, { articles: articles(await cover(t)) });
    expect(res.json.errcode).toBe(errcode);
    expect(res.json.errmsg).toMatch(RID);
    expect(fake.drafts.size).toBe(0);
  });

  it('counts code points: 32 emoji make a valid title', async () => {
    await start();
    const t = await token();
    const res = await call(`/cgi-bin/draft/add?access_token=${t}`, { articles: [article(await cover(t), { title: '🚒'.repeat(32) })] });
    expect(res.json.media_id).toBeTypeOf('string');
  });
});

describe('wechat fake: free publish', () => {
  it('submit answers a string publish_id above 2^32; get says 1 until the job finishes, then 0 with article URLs', async () => {
    await start({ publishDelayMs: 60_000 });
    const t = await token();
    const mediaId = await draft(t, 2);
    const sub = await call(`/cgi-bin/freepublish/submit?access_token=${t}`, { media_id: mediaId });
    expect(sub.json).toMatchObject({ errcode: 0, errmsg: 'ok', msg_data_id: expect.any(String) });
    expect(typeof sub.json.publish_id).toBe('string');
    expect(Number(sub.json.publish_id)).toBeGreaterThan(2 ** 32);
    const get = () => call(`/cgi-bin/freepublish/get?access_token=${t}`, { publish_id: sub.json.publish_id });
    expect((await get()).json).toEqual({ publish_id: sub.json.publish_id, publish_status: 1, fail_idx: [] });
    await fake.finishNow();
    const done = (await get()).json;
    expect(done).toMatchObject({ publish_status: 0, article_id: expect.any(String), fail_idx: [], article_detail: { count: 2 } });
    expect(done.article_detail.item.map((i: Json) => i.idx)).toEqual([1, 2]);
    expect(done.article_detail.item[0].article_url).toMatch(/^https:\/\/mp\.weixin\.qq\.com\/s\/[\w-]+$/);
  });

  it('finishes on its own after publishDelayMs', async () => {
    await start({ publishDelayMs: 30 });
    const t = await token();
    const { json } = await call(`/cgi-bin/freepublish/submit?access_token=${t}`, { media_id: await draft(t) });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(fake.jobs.get(json.publish_id)?.status).toBe(0);
  });

  it('a failing outcome gives fail_idx [1] and no article; unknown drafts and publish_ids are refused', async () => {
    await start({ publishOutcome: 3 });
    const t = await token();
    expect((await call(`/cgi-bin/freepublish/submit?access_token=${t}`, { media_id: 'nope' })).json.errcode).toBe(40007);
    expect((await call(`/cgi-bin/freepublish/get?access_token=${t}`, { publish_id: '1' })).json.errcode).toBe(53600);
    const { json } = await call(`/cgi-bin/freepublish/submit?access_token=${t}`, { media_id: await draft(t) });
    await fake.finishNow(json.publish_id);
    expect((await call(`/cgi-bin/freepublish/get?access_token=${t}`, { publish_id: json.publish_id })).json).toEqual({ publish_id: json.publish_id, publish_status: 3, fail_idx: [1] });
  });

  it('pushes a signed PUBLISHJOBFINISH event to the callback; a failed push is recorded, not retried, and repush sends again', async () => {
    const received: Array<{ query: URLSearchParams; body: string }> = [];
    let answer = 500;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ query: new URL(req.url!, 'http://x').searchParams, body });
        res.writeHead(answer).end('success');
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    await start({ callback: { url: `http://127.0.0.1:${port}/wechat/callback`, token: 'cb-token' }, publishDelayMs: 60_000 });
    const t = await token();
    const { json } = await call(`/cgi-bin/freepublish/submit?access_token=${t}`, { media_id: await draft(t) });
    await fake.finishNow();
    expect(received).toHaveLength(1);
    const { query, body } = received[0];
    // Computed here, not by the fake's helper: sha1 of token, timestamp and nonce sorted as strings.
    const expected = createHash('sha1').update(['cb-token', query.get('timestamp')!, query.get('nonce')!].sort().join('')).digest('hex');
    expect(query.get('signature')).toBe(expected);
    expect(wechatSignature('cb-token', query.get('timestamp')!, query.get('nonce')!)).toBe(expected);
    expect(query.get('signature')).toBe(fake.signature(query.get('timestamp')!, query.get('nonce')!));
    expect(body).toMatch(/^<xml><ToUserName><!\[CDATA\[gh_4d00ed8d6399\]\]><\/ToUserName>.*<Event><!\[CDATA\[PUBLISHJOBFINISH\]\]><\/Event>/);
    expect(body).toContain(`<publish_id>${json.publish_id}</publish_id><publish_status>0</publish_status><article_id><![CDATA[`);
    expect(body).toMatch(/<article_detail><count>1<\/count><item><idx>1<\/idx><article_url><!\[CDATA\[https:\/\/mp\.weixin\.qq\.com\/s\/[\w-]+\]\]><\/article_url><\/item><\/article_detail><\/PublishEventInfo><\/xml>$/);
    expect(fake.pushes).toEqual([{ url: expect.stringContaining('/wechat/callback?signature='), status: 500, body }]);
    answer = 200;
    expect((await fake.repush(json.publish_id)).status).toBe(200);
    expect(received).toHaveLength(2);
  });

  it('records a push to a callback nobody listens on as an error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await start({ callback: { url: `http://127.0.0.1:${port}/cb`, token: 'x' }, publishOutcome: 4 });
    const t = await token();
    await call(`/cgi-bin/freepublish/submit?access_token=${t}`, { media_id: await draft(t) });
    await fake.finishNow();
    expect(fake.pushes).toHaveLength(1);
    expect(fake.pushes[0].error).toMatch(/ECONNREFUSED/);
    expect(fake.pushes[0].body).toContain('<publish_status>4</publish_status><fail_idx>1</fail_idx></PublishEventInfo>');
  });
});

describe('wechat fake: mass send and quotas', () => {
  const send = (t: string, mediaId: string, clientmsgid?: string) =>
    call(`/cgi-bin/message/mass/sendall?access_token=${t}`, { filter: { is_to_all: true }, mpnews: { media_id: mediaId }, msgtype: 'mpnews', send_ignore_reprint: 0, clientmsgid });

  it('sends once per clientmsgid (45065 with the original msg_id), refuses long ids (45067), unknown media (40007) and a second send a day (45028)', async () => {
    await start();
    const t = await token();
    const mediaId = await draft(t);
    expect((await send(t, mediaId, 'c'.repeat(32))).json.errcode).toBe(45067);
    expect((await send(t, 'unknown', 'a')).json.errcode).toBe(40007);
    const first = await send(t, mediaId, 'campaign-1');
    expect(first.json).toMatchObject({ errcode: 0, errmsg: 'send job submission success', msg_id: expect.any(Number), msg_data_id: expect.any(Number) });
    expect((await send(t, mediaId, 'campaign-1')).json).toMatchObject({ errcode: 45065, errmsg: expect.stringMatching(/^clientmsgid exist rid: /), msg_id: first.json.msg_id });
    expect((await send(t, mediaId, 'campaign-2')).json.errcode).toBe(45028);
    expect(fake.massSends).toEqual([expect.objectContaining({ media_id: mediaId, clientmsgid: 'campaign-1' })]);
  });

  it('counts calls per day and answers 45009 once a quota is used up', async () => {
    await start({ quotas: { get: 2 } });
    const t = await token();
    const get = () => call(`/cgi-bin/freepublish/get?access_token=${t}`, { publish_id: '1' });
    expect((await get()).json.errcode).toBe(53600);
    expect(fake.quotaUsed('get')).toBe(1);
    expect((await get()).json.errcode).toBe(53600);
    expect((await get()).json).toMatchObject({ errcode: 45009, errmsg: expect.stringMatching(/^reach max api daily quota limit rid: /) });
    fake.setQuotaUsed('draftAdd', 1000);
    expect((await call(`/cgi-bin/draft/add?access_token=${t}`, { articles: [] })).json.errcode).toBe(45009);
  });

  it('get_api_domain_ip takes GET and POST; an unknown path is a 404; a wrong method 43002', async () => {
    await start();
    const t = await token();
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${t}`)).json.ip_list).toBeInstanceOf(Array);
    expect((await call(`/cgi-bin/get_api_domain_ip?access_token=${t}`, {})).json.ip_list).toBeInstanceOf(Array);
    const missing = await fetch(`${fake.url}/cgi-bin/nope`);
    expect([missing.status, await missing.text()]).toEqual([404, 'Not Found']);
    expect((await call(`/cgi-bin/draft/add?access_token=${t}`)).json.errcode).toBe(43002);
  });
});

describe('wechat fake: faults', () => {
  async function setup(): Promise<{ path: string; body: Json }> {
    await start();
    const t = await token();
    return { path: `/cgi-bin/draft/add?access_token=${t}`, body: { articles: [article(await cover(t))] } };
  }

  it("'error' answers HTTP 200 with that errcode and a rid, without doing the call; then the endpoint is normal again", async () => {
    const { path, body } = await setup();
    fake.fault('draft/add', { kind: 'error', code: -1, message: 'system error' }, { kind: 'error', code: 45009 });
    expect((await call(path, body)).json).toMatchObject({ errcode: -1, errmsg: expect.stringMatching(/^system error rid: [0-9a-f]{8}-[0-9a-f]{8}$/) });
    expect((await call(path, body)).json.errcode).toBe(45009);
    expect(fake.drafts.size).toBe(0);
    expect((await call(path, body)).json.media_id).toBeTypeOf('string');
    expect(fake.calls('draft/add').map((r) => r.answer?.status)).toEqual([200, 200, 200]);
  });

  it("'http' answers that status with an HTML body and does not do the call", async () => {
    const { path, body } = await setup();
    fake.fault('draft/add', { kind: 'http', status: 502 });
    const res = await fetch(`${fake.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect([res.status, res.headers.get('content-type')]).toEqual([502, 'text/html; charset=utf-8']);
    expect(await res.text()).toContain('502 Bad Gateway');
    expect(fake.drafts.size).toBe(0);
  });

  it("'hang' never answers and does not do the call; 'accept-then-hang' does the call and never answers", async () => {
    const { path, body } = await setup();
    fake.fault('draft/add', { kind: 'hang' }, { kind: 'accept-then-hang' });
    const timedOut = () => fetch(`${fake.url}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(150) });
    await expect(timedOut()).rejects.toThrow(/timeout/i);
    expect(fake.drafts.size).toBe(0);
    await expect(timedOut()).rejects.toThrow(/timeout/i);
    expect(fake.drafts.size).toBe(1);
    expect(fake.calls('draft/add').map((r) => r.answer)).toEqual([undefined, undefined]);
  });

  it("'delay' does the call and answers after the delay", async () => {
    const { path, body } = await setup();
    fake.fault('draft/add', { kind: 'delay', ms: 200 });
    const started = Date.now();
    const res = call(path, body);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.drafts.size).toBe(1);
    expect((await res).json.media_id).toBeTypeOf('string');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("'text-plain' does the call and answers its JSON as text/plain", async () => {
    const { path, body } = await setup();
    fake.fault('draft/add', { kind: 'text-plain' });
    const res = await call(path, body);
    expect(res.type).toMatch(/^text\/plain/);
    expect(fake.drafts.has(res.json.media_id)).toBe(true);
  });

  it("'drop' destroys the socket without an answer and does not do the call", async () => {
    const { path, body } = await setup();
    fake.fault('draft/add', { kind: 'drop' });
    await expect(fetch(`${fake.url}${path}`, { method: 'POST', body: JSON.stringify(body) })).rejects.toThrow(TypeError);
    expect(fake.drafts.size).toBe(0);
    expect(fake.calls('draft/add')).toHaveLength(1);
  });

  it('a fault goes to the longest matching suffix of whole path segments; other endpoints are untouched', async () => {
    await start();
    fake.fault('token', { kind: 'http', status: 503, body: 'busy' });
    fake.fault('stable_token', { kind: 'error', code: -1 });
    expect((await call('/cgi-bin/stable_token', creds)).json.errcode).toBe(-1);
    expect((await call('/cgi-bin/stable_token', creds)).json.access_token).toBeTypeOf('string');
    const classic = await fetch(`${fake.url}/cgi-bin/token?${new URLSearchParams(creds)}`);
    expect([classic.status, classic.headers.get('content-type'), await classic.text()]).toEqual([503, 'text/plain; charset=utf-8', 'busy']);
    fake.fault('add', { kind: 'error', code: 1 });
    fake.fault('draft/add', { kind: 'error', code: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await call('/cgi-bin/draft/add', { articles: [] })).json.errcode);
    expect(codes).toEqual([2, 1, 41001]);
  });

  it('records every request with its parsed body and answer; reset() forgets requests, faults and state', async () => {
    const { path, body } = await setup();
    fake.fault('draft/add', { kind: 'hang' });
    await call(path, body, { headers: { 'content-type': 'text/plain' }, signal: AbortSignal.timeout(100) }).catch(() => undefined);
    const [req] = fake.calls('draft/add');
    expect(req).toMatchObject({ method: 'POST', path: '/cgi-bin/draft/add', contentType: 'text/plain', body });
    expect(req.answer).toBeUndefined();
    expect(req.query.access_token).toHaveLength(140);
    expect(fake.requests.map((r) => r.path)).toEqual(['/cgi-bin/stable_token', '/cgi-bin/material/add_material', '/cgi-bin/draft/add']);
    expect(fake.requests[0].answer).toMatchObject({ status: 200, body: { expires_in: 7200 } });
    fake.fault('draft/add', { kind: 'hang' });
    fake.reset();
    expect([fake.requests.length, fake.materials.size, fake.tokensIssued]).toEqual([0, 0, 0]);
    const t = await token();
    expect((await call(`/cgi-bin/draft/add?access_token=${t}`, { articles: [] })).json.errcode).toBe(44003);
  });

  it('close() ends a hanging request, so no socket outlives the fake', async () => {
    await start();
    fake.fault('stable_token', { kind: 'hang' });
    const pending = fetch(`${fake.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify(creds) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fake.close();
    await expect(pending).rejects.toThrow(TypeError);
  });
});
