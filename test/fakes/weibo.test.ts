import { afterEach, describe, expect, it } from 'vitest';
import { startWeiboFake, weiboDate, weiboLength, type WeiboFake, type WeiboFakeOptions } from './weibo.js';
import { multipart, sampleImage } from './samples.js';

const TOKEN = '2.00weibo-test-token';
const LINK = 'https://www.example.gov.cn/2026/national-day';
let fake: WeiboFake;

afterEach(async () => {
  await fake?.close();
});

async function start(options: WeiboFakeOptions = {}): Promise<WeiboFake> {
  fake = await startWeiboFake(options);
  return fake;
}

type Json = Record<string, any>;

interface Answer {
  status: number;
  type: string;
  text: string;
  json: Json;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: JSON.parse(text) };
}

/** share.json with a form body (or multipart when `body` is FormData), as a client sends it. */
async function share(fields: Record<string, string> | FormData, init: RequestInit = {}): Promise<Answer> {
  const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
  return answer(await fetch(`${fake.url}/2/statuses/share.json`, { method: 'POST', body, ...init }));
}

const post = (status: string, extra: Record<string, string> = {}) => share({ access_token: TOKEN, status, rip: '198.51.100.7', ...extra });
const error = (a: Answer) => [a.status, a.json.error_code, a.json.error];

describe('weibo fake: share.json', () => {
  it('creates a post and answers a status object whose id is a JSON number beyond 2^53 (only idstr is exact)', async () => {
    await start();
    const res = await post(`国庆出行注意安全 ${LINK}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ idstr: '4977000000000000123', mid: '4977000000000000123', text: `国庆出行注意安全 ${LINK}`, user: { screen_name: expect.any(String) } });
    expect(res.text).toContain('"id":4977000000000000123,');
    expect(String(res.json.id)).not.toBe(res.json.idstr);
    expect(res.json.created_at).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0800 \d{4}$/);
    expect(fake.posts).toEqual([{ idstr: '4977000000000000123', text: `国庆出行注意安全 ${LINK}`, rip: '198.51.100.7', at: expect.any(Number) }]);
    expect(fake.calls('statuses/share.json')[0].answer?.body).toMatchObject({ id: 4977000000000000123n });
    expect((await post(`第二条 ${LINK}`)).json.idstr).toBe('4977000000000000124');
  });

  it('takes the token from an Authorization: OAuth2 header or the query', async () => {
    await start();
    const header = await share({ status: `a ${LINK}`, rip: '1.2.3.4' }, { headers: { authorization: `OAuth2 ${TOKEN}` } });
    expect(header.status).toBe(200);
    const query = await answer(await fetch(`${fake.url}/2/statuses/share.json?access_token=${TOKEN}`, { method: 'POST', body: new URLSearchParams({ status: `b ${LINK}`, rip: '1.2.3.4' }) }));
    expect(query.status).toBe(200);
  });

  it('refuses a missing or unknown token (21332) and an expired one (21327), with the error body shape', async () => {
    await start();
    expect(error(await share({ status: `a ${LINK}`, rip: '1.2.3.4' }))).toEqual([400, 21332, 'invalid_access_token']);
    expect(error(await post(`a ${LINK}`, { access_token: 'other' }))).toEqual([400, 21332, 'invalid_access_token']);
    fake.expireToken();
    const expired = await post(`a ${LINK}`);
    expect(expired.json).toEqual({ error: 'expired_token', error_code: 21327, request: '/2/statuses/share.json' });
    expect(fake.posts).toEqual([]);
  });

  it('requires status and rip (10016); parameters in a JSON body do not count', async () => {
    await start();
    expect(error(await share({ access_token: TOKEN, rip: '1.2.3.4' }))).toEqual([400, 10016, 'miss required parameter (status)']);
    expect(error(await share({ access_token: TOKEN, status: `a ${LINK}` }))).toEqual([400, 10016, 'miss required parameter (rip)']);
    const json = await fetch(`${fake.url}/2/statuses/share.json?access_token=${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: `a ${LINK}`, rip: '1.2.3.4' }) });
    expect(error(await answer(json))).toEqual([400, 10016, 'miss required parameter (status)']);
  });

  it('refuses #topics# (10017) but not a # in a link', async () => {
    await start();
    expect(error(await post(`#国庆# 注意安全 ${LINK}`))).toEqual([400, 10017, 'invalid parameter: topic not allowed']);
    expect((await post(`注意安全 ${LINK}#part-1 与 ${LINK}#part-2`)).status).toBe(200);
  });

  it('requires a link under a secure domain (10017 appkey not bind domain); subdomains count, look-alikes do not', async () => {
    await start({ secureDomains: ['example.gov.cn'] });
    expect(error(await post('没有链接'))).toEqual([400, 10017, 'appkey not bind domain']);
    expect(error(await post('外链 https://evil-example.gov.cn/x'))).toEqual([400, 10017, 'appkey not bind domain']);
    expect(error(await post('本机 http://127.0.0.1:8080/x'))).toEqual([400, 10017, 'appkey not bind domain']);
    expect((await post('子域 https://www.example.gov.cn/x')).status).toBe(200);
    expect((await post('本域 https://example.gov.cn/x')).status).toBe(200);
  });

  it('counts length as Weibo does and refuses more than maxChars (20012)', async () => {
    expect(weiboLength('abc')).toBe(2);
    expect(weiboLength('安全')).toBe(2);
    expect(weiboLength('🚒')).toBe(2);
    expect(weiboLength(`a ${LINK}${'/x'.repeat(50)}`)).toBe(11);
    await start();
    const fits = `${'安'.repeat(129)} ${LINK}`; // 129 + ½ + 10 → 140
    expect(weiboLength(fits)).toBe(140);
    expect((await post(fits)).status).toBe(200);
    expect(error(await post(`安${fits}`))).toEqual([400, 20012, 'Text too long, please input text less than 140 characters!']);
  });

  it('refuses the same text twice from the token (20019 repeat content!)', async () => {
    await start();
    expect((await post(`提示 ${LINK}`)).status).toBe(200);
    const again = await post(`提示 ${LINK}`);
    expect(again.json).toEqual({ error: 'repeat content!', error_code: 20019, request: '/2/statuses/share.json' });
    expect(fake.posts).toHaveLength(1);
  });

  it('answers error_code as a string with stringCodes', async () => {
    await start({ stringCodes: true });
    expect((await post('no link')).json.error_code).toBe('10017');
  });

  it('takes a JPEG/GIF/PNG pic under 5 MB as a multipart file part', async () => {
    await start();
    const form = multipart('pic', sampleImage('gif'), 'poster.gif', { access_token: TOKEN, status: `图 ${LINK}`, rip: '1.2.3.4' });
    const res = await share(form);
    expect(res.status).toBe(200);
    expect(res.json.pic_ids).toHaveLength(1);
    expect(fake.posts[0].pic).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), contentType: expect.any(String), size: 64 });
  });

  it('refuses a pic sent as a text field (20007), of another type (20005) or over 5 MB (20006)', async () => {
    await start();
    const fields = { access_token: TOKEN, status: `图 ${LINK}`, rip: '1.2.3.4' };
    expect(error(await share({ ...fields, pic: 'base64...' }))).toEqual([400, 20007, 'does multipart has image?']);
    const textPart = new FormData();
    for (const [k, v] of Object.entries({ ...fields, pic: 'not a file' })) textPart.append(k, v);
    expect(error(await share(textPart))[1]).toBe(20007);
    expect(error(await share(multipart('pic', sampleImage('bmp'), 'a.bmp', fields)))[1]).toBe(20005);
    expect(error(await share(multipart('pic', sampleImage('png', 5 * 1024 * 1024 + 1), 'a.png', fields)))[1]).toBe(20006);
    expect(fake.posts).toEqual([]);
  });

  it('refuses more than ratePerHour posts in an hour with HTTP 403 (10023)', async () => {
    let clock = Date.parse('2026-10-01T00:00:00Z');
    await start({ ratePerHour: 2, now: () => clock });
    expect((await post(`1 ${LINK}`)).status).toBe(200);
    expect((await post(`2 ${LINK}`)).status).toBe(200);
    expect(error(await post(`3 ${LINK}`))).toEqual([403, 10023, 'User requests out of rate limit!']);
    clock += 3_600_001;
    expect((await post(`3 ${LINK}`)).status).toBe(200);
  });

  it('answers created_at in China time', () => {
    expect(weiboDate(Date.parse('2026-12-02T04:00:00Z'))).toBe('Wed Dec 02 12:00:00 +0800 2026');
  });

  it('an unknown path is a 404; GET on share.json is 10021', async () => {
    await start();
    const missing = await fetch(`${fake.url}/2/statuses/update.json`);
    expect([missing.status, await missing.text()]).toEqual([404, 'Not Found']);
    expect(error(await answer(await fetch(`${fake.url}/2/statuses/share.json?access_token=${TOKEN}`)))[1]).toBe(10021);
  });
});

describe('weibo fake: oauth2/get_token_info', () => {
  it('answers the remaining life by GET (query) and POST (form)', async () => {
    const clock = Date.parse('2026-10-01T00:00:00Z');
    await start({ now: () => clock });
    const get = await answer(await fetch(`${fake.url}/oauth2/get_token_info?access_token=${TOKEN}`));
    expect(get.json).toEqual({ uid: expect.any(Number), appkey: expect.any(String), scope: '', create_at: clock / 1000, expire_in: 5 * 365 * 86_400 });
    fake.setTokenExpiresIn(13 * 86_400);
    const form = await answer(await fetch(`${fake.url}/oauth2/get_token_info`, { method: 'POST', body: new URLSearchParams({ access_token: TOKEN }) }));
    expect(form.json.expire_in).toBe(13 * 86_400);
  });

  it('refuses an unknown token (21332) and an expired one (21327)', async () => {
    await start();
    const unknown = await answer(await fetch(`${fake.url}/oauth2/get_token_info?access_token=nope`));
    expect(unknown.json).toEqual({ error: 'invalid_access_token', error_code: 21332, request: '/oauth2/get_token_info' });
    fake.expireToken();
    expect(error(await answer(await fetch(`${fake.url}/oauth2/get_token_info?access_token=${TOKEN}`)))).toEqual([400, 21327, 'expired_token']);
  });
});

describe('weibo fake: faults', () => {
  const timedOut = (status: string) =>
    fetch(`${fake.url}/2/statuses/share.json`, { method: 'POST', body: new URLSearchParams({ access_token: TOKEN, status, rip: '1.2.3.4' }), signal: AbortSignal.timeout(150) });

  it("'accept-then-hang' creates the post without answering: the identical retry gets 20019", async () => {
    await start();
    fake.fault('statuses/share.json', { kind: 'accept-then-hang' });
    await expect(timedOut(`提示 ${LINK}`)).rejects.toThrow(/timeout/i);
    expect(fake.posts).toHaveLength(1);
    expect(error(await post(`提示 ${LINK}`))).toEqual([400, 20019, 'repeat content!']);
    expect(fake.calls('share.json').map((r) => r.answer?.status)).toEqual([undefined, 400]);
  });

  it("'hang' and 'drop' never answer and create nothing", async () => {
    await start();
    fake.fault('share.json', { kind: 'hang' }, { kind: 'drop' });
    await expect(timedOut(`a ${LINK}`)).rejects.toThrow(/timeout/i);
    await expect(post(`a ${LINK}`)).rejects.toThrow(TypeError);
    expect(fake.posts).toEqual([]);
    expect((await post(`a ${LINK}`)).status).toBe(200);
  });

  it("'error' answers Weibo's error body (HTTP 400 unless given) without posting", async () => {
    await start({ stringCodes: true });
    fake.fault('share.json', { kind: 'error', code: 10023, message: 'User requests out of rate limit!', status: 403 }, { kind: 'error', code: 10001 });
    expect((await post(`a ${LINK}`)).json).toEqual({ error: 'User requests out of rate limit!', error_code: '10023', request: '/2/statuses/share.json' });
    expect(error(await post(`a ${LINK}`))).toEqual([400, '10001', 'system error!']);
    expect(fake.posts).toEqual([]);
  });

  it("'http' answers that status and body without posting", async () => {
    await start();
    fake.fault('share.json', { kind: 'http', status: 502 });
    const res = await fetch(`${fake.url}/2/statuses/share.json`, { method: 'POST', body: new URLSearchParams({ access_token: TOKEN, status: `a ${LINK}`, rip: '1' }) });
    expect([res.status, res.headers.get('content-type')]).toEqual([502, 'text/html; charset=utf-8']);
    expect(fake.posts).toEqual([]);
  });

  it("'delay' posts at once and answers later; 'text-plain' posts and answers JSON as text/plain", async () => {
    await start();
    fake.fault('share.json', { kind: 'delay', ms: 200 }, { kind: 'text-plain' });
    const started = Date.now();
    const delayed = post(`a ${LINK}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.posts).toHaveLength(1);
    expect((await delayed).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const plain = await post(`b ${LINK}`);
    expect([plain.type, plain.json.idstr]).toEqual(['text/plain; charset=utf-8', fake.posts[1].idstr]);
  });

  it('reset() forgets posts, requests and faults and restores the token', async () => {
    await start();
    await post(`a ${LINK}`);
    fake.expireToken();
    fake.fault('share.json', { kind: 'drop' });
    fake.reset();
    expect([fake.posts.length, fake.requests.length]).toEqual([0, 0]);
    expect((await post(`a ${LINK}`)).status).toBe(200);
  });
});
