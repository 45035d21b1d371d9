/**
 * The live WeChat channel's flows against the local fake of the API, beyond
 * single errors: a token that expires mid-publish, the token and uploads
 * cached in the ledger across runs, inline images, the PUBLISHJOBFINISH
 * callback (through the daemon's own /wechat/events route, and the handler's
 * signature checks), publish_status outcomes, the status-call quota, a submit
 * whose outcome is unknown, and no secret anywhere a person or a log sees it.
 *
 * As in live-errors.test.ts, a `publish --now` run that begins to sit through
 * a short wait for a later attempt is stopped there (a person's Ctrl-C), so
 * the test can look at the "retry later" state; a later run gets a clock past
 * that attempt. Math.random (the retry policy's jitter) is pinned during each run.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { handleWechatEvent, wechatSignature } from '../../../src/channels/wechat/index.js';
import type { ChannelState } from '../../../src/channels/channel.js';
import { startDaemon, type Daemon } from '../../../src/server/daemon.js';
import { systemClock } from '../../../src/delivery/clock.js';
import { parseFailpoints } from '../../../src/delivery/failpoint.js';
import { createLogger } from '../../../src/delivery/logger.js';
import { withStore } from '../../delivery/helpers.js';
import { CALLBACK_TOKEN, leaks, liveEnv } from '../live.js';
import { publishEventXml } from '../../fakes/wechat-rules.js';
import type { RecordedRequest } from '../../fakes/http.js';
import { approve, attemptsOf, CAMPAIGN, cli, fakes, frozen, ledgerTexts, project, publish, SECRET, shifted, transcript, useWechatHarness, varFiles, wechatDelivery } from './harness.js';

useWechatHarness();

/** Runs `f` on each request the fake records, before it is answered. */
function onRequest(f: (r: RecordedRequest) => void): void {
  const requests = fakes.wechat.requests;
  const push = requests.push.bind(requests);
  requests.push = (...items: RecordedRequest[]) => {
    for (const r of items) f(r);
    return push(...items);
  };
}

const accessToken = (r: RecordedRequest) => (r.answer?.body as { access_token?: string } | undefined)?.access_token;

async function meta(root: string, name: string): Promise<string | undefined> {
  return withStore(join(root, 'var'), (s) => s.getMeta(name));
}

// ── tokens ──

describe('wechat live: the access token', () => {
  it.each([
    { how: 'expires (42001)', code: 42001, spoil: () => fakes.wechat.expireToken() },
    { how: 'is invalidated (40014)', code: 40014, spoil: () => fakes.wechat.invalidateToken() },
  ])('$how after the cover upload, mid-publish: exactly one refresh, one draft, nothing twice', async ({ code, spoil }) => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    let spoiled = false;
    onRequest((r) => {
      if (!spoiled && r.path.endsWith('/draft/add')) (spoiled = true, spoil());
    });
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    expect(spoiled).toBe(true);

    expect(wx.requests.map((q) => q.path.replace('/cgi-bin/', ''))).toEqual([
      'stable_token', 'material/add_material', 'draft/add', 'stable_token', 'draft/add', 'freepublish/submit', ...wx.calls('freepublish/get').map(() => 'freepublish/get'),
    ]);
    const [first, second] = wx.calls('stable_token').map(accessToken);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    const drafts = wx.calls('draft/add');
    expect((drafts[0].answer!.body as { errcode: number }).errcode).toBe(code);
    expect(drafts[1].query.access_token).toBe(second);
    expect(wx.calls('freepublish/submit')[0].query.access_token).toBe(second);
    expect(wx.tokensIssued).toBe(2);
    expect(wx.forceRefreshes).toBe(0);
    expect(wx.drafts.size).toBe(1);
    expect(wx.jobs.size).toBe(1);
    const d = await wechatDelivery(root);
    expect(d.state).toBe('sent');
    expect((await attemptsOf(root, d.key)).map((a) => a.outcome)).toEqual(['sent']);
    // The ledger now holds the new token, not the spoiled one.
    expect(JSON.parse((await meta(root, `wechat:token:${wx.appid}`))!)).toMatchObject({ token: second });
  });

  it('is cached in the ledger: a second publish (--again, a new process\'s client) asks for no token and uploads no cover again', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    expect((await publish(root)).code).toBe(0);
    const token = accessToken(wx.calls('stable_token')[0]);
    expect(JSON.parse((await meta(root, `wechat:token:${wx.appid}`))!)).toMatchObject({ token, until: expect.any(Number) });

    const skipped = await publish(root);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('already published (wechat); nothing sent. Use --again');
    expect(wx.drafts.size).toBe(1);

    const again = await cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now', '--again', '--root', root]);
    expect(again.code, again.out + again.err).toBe(0);
    expect(wx.calls('stable_token')).toHaveLength(1);
    expect(wx.calls('material/add_material')).toHaveLength(1);
    expect(wx.drafts.size).toBe(2);
    expect(wx.jobs.size).toBe(2);
    const [a, b] = [...wx.drafts.values()];
    expect(b.articles[0].thumb_media_id).toBe(a.articles[0].thumb_media_id);
    expect(wx.calls('draft/add')[1].query.access_token).toBe(token);
    const sent = await withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN, state: 'sent' })).filter((d) => d.channel === 'wechat'));
    expect(sent).toHaveLength(2);
  });

  it('superseded by another tool\'s forced refresh between two publishes (40001): one refresh in normal mode, then published', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    expect((await publish(root)).code).toBe(0);
    const old = accessToken(wx.calls('stable_token')[0]);
    // Someone else's tool forces a new token: the one cached in our ledger is no longer the latest.
    const forced = await fetch(`${wx.url}/cgi-bin/stable_token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: wx.appid, secret: SECRET, force_refresh: true }),
    });
    const latest = ((await forced.json()) as { access_token: string }).access_token;
    expect(latest).not.toBe(old);

    const again = await cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now', '--again', '--root', root]);
    expect(again.code, again.out + again.err).toBe(0);
    const tokenCalls = wx.calls('stable_token');
    expect(tokenCalls).toHaveLength(3); // ours, the other tool's, our one refresh
    expect((tokenCalls[2].body as { force_refresh: boolean }).force_refresh).toBe(false);
    expect(accessToken(tokenCalls[2])).toBe(latest);
    const drafts = wx.calls('draft/add');
    expect((drafts[1].answer!.body as { errcode: number }).errcode).toBe(40001);
    expect(drafts[2].query.access_token).toBe(latest);
    expect(wx.forceRefreshes).toBe(1);
    expect(wx.drafts.size).toBe(2);
  });
});

// ── inline images ──

describe('wechat live: inline images', () => {
  it('are uploaded once with uploadimg (text/plain answer) and their URL replaces the picture in the article', async () => {
    const root = project();
    for (const f of ['01-burglary.md', '02-vehicle-theft.md']) {
      appendFileSync(join(root, 'advisories', CAMPAIGN, f), '\n![门锁示意](images/cover.png)\n');
    }
    await approve(root);
    const wx = fakes.wechat;
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);

    const uploads = wx.calls('media/uploadimg');
    expect(uploads).toHaveLength(1);
    const url = (uploads[0].answer!.body as { url: string }).url;
    expect(url).toMatch(/^http:\/\/mmbiz\.qpic\.cn\//);
    expect(wx.inlineImages.has(url)).toBe(true);
    expect(wx.inlineImages.get(url)!.sha256).toBe(wx.materials.values().next().value!.sha256); // the same picture as the cover
    const [draft] = [...wx.drafts.values()];
    const contents = draft.articles.map((a) => String(a.content));
    for (const c of contents.slice(0, 2)) {
      expect(c).toContain(`src="${url}"`);
      expect(c).toContain('门锁示意');
    }
    for (const c of contents) {
      expect(c).not.toContain('images/cover.png');
      expect(c).not.toContain('asset:inline:');
    }
    expect(wx.calls('material/add_material')).toHaveLength(1);

    // Cached by sha256 in the ledger: the next publish uploads nothing.
    const again = await cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now', '--again', '--root', root]);
    expect(again.code, again.out + again.err).toBe(0);
    expect(wx.calls('media/uploadimg')).toHaveLength(1);
    expect(String([...wx.drafts.values()][1].articles[0].content)).toContain(`src="${url}"`);
  });
});

// ── publish_status ──

describe('wechat live: how the publish job ends (publish_status)', () => {
  it.each([
    { status: 2, why: 'the originality check failed' },
    { status: 3, why: 'WeChat gave no reason' },
    { status: 4, why: "the platform's review rejected it" },
  ])('$status: failed, naming the status; `advisory retry` then makes a new draft and a new job', async ({ status, why }) => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.publishOutcome = status;
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(1);
    const d = await wechatDelivery(root);
    const [job] = [...wx.jobs.values()];
    expect(d.state).toBe('failed');
    expect(d.lastError).toBe(d.reason);
    expect(d.reason).toContain(`WeChat did not publish it: ${why} (publish_status ${status}, failed article 1 of the draft, publish_id ${job.publish_id})`);
    expect(d.reason).toContain(`advisory retry ${d.key}`);
    expect(r.out).toContain(`failed ${d.key}: WeChat did not publish it`);
    expect((await attemptsOf(root, d.key)).map((a) => [a.outcome, a.errorClass, a.channelCode])).toEqual([['failed', 'permanent', `publish_status ${status}`]]);

    wx.publishOutcome = 0;
    const retried = await cli(['retry', d.key, '--root', root]);
    expect(retried.code, retried.err).toBe(0);
    const again = await publish(root);
    expect(again.code, again.out + again.err).toBe(0);
    expect(wx.drafts.size).toBe(2);
    expect(wx.jobs.size).toBe(2);
    const [firstDraft, secondDraft] = [...wx.drafts.keys()];
    const submitted = wx.calls('freepublish/submit').map((q) => (q.body as { media_id: string }).media_id);
    expect(submitted).toEqual([firstDraft, secondDraft]);
    expect(wx.calls('material/add_material')).toHaveLength(1);
    const done = await wechatDelivery(root);
    expect(done.state).toBe('sent');
    expect(done.receipt).toMatchObject({ id: [...wx.jobs.keys()][1], details: { publishStatus: 0, draftMediaId: secondDraft } });
  });

  it.each([
    { status: 5, note: 'published, then deleted by the account' },
    { status: 6, note: 'published, then banned by the platform' },
  ])('$status: sent (it was published), with details.note', async ({ status, note }) => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.publishOutcome = status;
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    const d = await wechatDelivery(root);
    expect(d.state).toBe('sent');
    expect(d.receipt).toMatchObject({ id: [...wx.jobs.keys()][0], details: { publishStatus: status, note } });
    expect(wx.jobs.size).toBe(1);
  });
});

// ── waiting for the job ──

describe('wechat live: waiting for the job', () => {
  it('freepublish/get quota used up and no callback: the attempt ends pending (still publishing); the next run waits for the same publish_id, no second submit', async () => {
    const root = project({ publishWait: '1s' });
    await approve(root);
    const wx = fakes.wechat;
    wx.setQuotaUsed('get', 100);
    const t0 = new Date();
    const first = await publish(root, { now: frozen(t0) });
    expect(first.waitingS, first.out + first.err).toBeDefined();
    const d = await wechatDelivery(root);
    const [job] = [...wx.jobs.values()];
    expect(d.state).toBe('pending');
    expect(d.lastError).toContain(`WeChat is still publishing publish_id ${job.publish_id} after 1 s; the next attempt waits for the same job (nothing is submitted again)`);
    expect((await attemptsOf(root, d.key)).map((a) => [a.outcome, a.errorClass])).toEqual([['retry', 'transient']]);
    expect(d.checkpoint).toMatchObject({ publishId: job.publish_id });
    // One status call answered 45009; then only the (absent) event was waited for.
    expect(wx.calls('freepublish/get').map((q) => (q.answer!.body as { errcode?: number }).errcode)).toEqual([45009]);
    expect(job.status).toBe(0); // WeChat had published it meanwhile

    wx.setQuotaUsed('get', 0); // a new day
    const later = await publish(root, { now: shifted(60_000) });
    expect(later.code, later.out + later.err).toBe(0);
    expect(wx.calls('freepublish/submit')).toHaveLength(1);
    expect(wx.calls('draft/add')).toHaveLength(1);
    expect(wx.jobs.size).toBe(1);
    expect(wx.calls('freepublish/get').slice(1).map((q) => (q.body as { publish_id: string }).publish_id)).toEqual([job.publish_id]);
    expect((await wechatDelivery(root)).receipt).toMatchObject({ id: job.publish_id, details: { publishStatus: 0, via: 'poll' } });
  });

  it.each([
    { fault: 'drop' as const, wechat: '' },
    { fault: 'hang' as const, wechat: 'timeout: 1s\n' },
  ])('a submit with no answer ($fault) is not submitted blind: held for a person (发表记录, advisory retry); after the retry the same draft is submitted', async ({ fault, wechat }) => {
    const root = project({ wechat });
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('freepublish/submit', { kind: fault });
    const t0 = new Date();
    const first = await publish(root, { now: frozen(t0) });
    expect(first.waitingS, first.out + first.err).toBeDefined();
    const d1 = await wechatDelivery(root);
    expect(d1.state).toBe('pending');
    expect(d1.lastError).toMatch(/^\/cgi-bin\/freepublish\/submit: no answer \(.+\); the request may have been carried out$/);
    expect(d1.checkpoint).toMatchObject({ draftMediaId: [...wx.drafts.keys()][0], submitting: expect.any(String) });

    const second = await publish(root, { now: shifted(60_000) });
    expect(second.code, second.out + second.err).toBe(4);
    const d2 = await wechatDelivery(root);
    expect(d2.state).toBe('held');
    expect(d2.reason).toMatch(/^needs a person: freepublish\/submit of draft \S+ was sent at .* Look at 发表记录 on mp\.weixin\.qq\.com: if the article is there, leave this delivery; if not, run advisory retry /);
    expect(d2.reason).toContain(`of draft ${d1.checkpoint!.draftMediaId} was sent at ${d1.checkpoint!.submitting} but`);
    expect(d2.reason).toContain(`advisory retry ${d2.key}`);
    expect(second.out).toContain(`held   ${d2.key}: needs a person: freepublish/submit of draft`);
    expect(wx.calls('freepublish/submit')).toHaveLength(1);

    const retried = await cli(['retry', d2.key, '--root', root]);
    expect(retried.code, retried.err).toBe(0);
    const third = await publish(root, { now: shifted(120_000) });
    expect(third.code, third.out + third.err).toBe(0);
    expect(wx.calls('draft/add')).toHaveLength(1);
    const submits = wx.calls('freepublish/submit').map((q) => (q.body as { media_id: string }).media_id);
    expect(submits).toEqual([d1.checkpoint!.draftMediaId, d1.checkpoint!.draftMediaId]);
    expect(wx.jobs.size).toBe(1);
    expect((await wechatDelivery(root)).state).toBe('sent');
  });

  it('a submit WeChat carried out but whose answer was lost: held, and nothing is submitted again unless a person retries', async () => {
    const root = project({ wechat: 'timeout: 1s\n' });
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('freepublish/submit', { kind: 'accept-then-hang' });
    const first = await publish(root, { now: frozen(new Date()) });
    expect(first.waitingS).toBeDefined();
    expect(wx.jobs.size).toBe(1); // it went through
    const second = await publish(root, { now: shifted(60_000) });
    expect(second.code).toBe(4);
    expect((await wechatDelivery(root)).state).toBe('held');
    // The person saw it in 发表记录 and left it: running the command again publishes nothing.
    const third = await publish(root, { now: shifted(120_000) });
    expect(third.code).toBe(4);
    expect(third.out).toContain('already published (wechat); nothing sent');
    expect(wx.calls('freepublish/submit')).toHaveLength(1);
    expect(wx.jobs.size).toBe(1);
  });
});

// ── the callback ──

/** A channel state in memory, as the daemon's (the ledger's meta table) behaves. */
function memoryState(): { state: () => Promise<ChannelState>; values: Map<string, string> } {
  const values = new Map<string, string>();
  const state: ChannelState = {
    get: async (n) => values.get(n),
    set: async (n, v) => void values.set(n, v),
    delete: async (n) => void values.delete(n),
  };
  return { state: async () => state, values };
}

/** A query WeChat would sign with `token` (the one set on mp.weixin.qq.com). */
function signed(token: string, extra: Record<string, string> = {}, timestamp = String(Math.floor(Date.now() / 1000)), nonce = '1714036504'): URLSearchParams {
  return new URLSearchParams({ signature: wechatSignature(token, timestamp, nonce), timestamp, nonce, ...extra });
}

/** A publish_id beyond 2^53: stored exactly, as text. */
const BIG_ID = '2247483647123456789';
const EVENT = publishEventXml({
  publish_id: BIG_ID, status: 0, article_id: 'Ar7ic1eId', fail_idx: [],
  article_detail: { count: 1, item: [{ idx: 1, article_url: 'https://mp.weixin.qq.com/s/abc?x=1&y=2' }] },
}, 1714036504);

describe('wechat live: the PUBLISHJOBFINISH callback at the daemon\'s /wechat/events', () => {
  let daemon: Daemon | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
  });

  async function startTheDaemon(root: string): Promise<Daemon> {
    const log = createLogger({ write: (line: string) => void transcript.push(line) } as DestinationStream, 'debug');
    daemon = await startDaemon({
      root, env: { ...process.env, ...liveEnv({ wechat: fakes.wechat }) }, port: 0, host: '127.0.0.1', clock: systemClock(),
      ticker: { start() {}, stop() {} }, log, failpoints: parseFailpoints(undefined), pollMs: 200,
    });
    return daemon;
  }

  it('WeChat\'s signed push finishes the publish: accepted (200 success), recorded in the ledger, no status call made', async () => {
    // Polling would start only after an hour: only the event can finish this publish.
    const root = project({ poll: '1h', publishWait: '20s' });
    await approve(root);
    const wx = fakes.wechat;
    const d = await startTheDaemon(root);
    wx.callback = { url: `${d.url}/wechat/events`, token: CALLBACK_TOKEN };
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.err).toContain('handed to the running dispatcher');

    const [job] = [...wx.jobs.values()];
    expect(wx.pushes).toEqual([expect.objectContaining({ status: 200, url: expect.stringContaining(`${d.url}/wechat/events?signature=`) })]);
    expect(wx.calls('freepublish/get')).toHaveLength(0);
    const delivery = await wechatDelivery(root);
    expect(delivery.state).toBe('sent');
    expect(delivery.receipt).toMatchObject({ id: job.publish_id, url: job.article_detail!.item[0].article_url, details: { via: 'event', publishStatus: 0 } });
    expect(JSON.parse((await meta(root, `wechat:event:${job.publish_id}`))!)).toMatchObject({ publishId: job.publish_id, status: 0, source: 'event' });
  });

  it('answers the console\'s GET check with echostr; refuses a bad signature (403) and records nothing; records a signed event exactly', async () => {
    const root = project();
    await approve(root);
    const d = await startTheDaemon(root);
    const url = (q: URLSearchParams) => `${d.url}/wechat/events?${q}`;

    const check = await fetch(url(signed(CALLBACK_TOKEN, { echostr: '6139261442960164' })));
    expect([check.status, await check.text()]).toEqual([200, '6139261442960164']);
    const badCheck = await fetch(url(signed('not-the-token', { echostr: '6139261442960164' })));
    expect(badCheck.status).toBe(403);
    expect(await badCheck.text()).not.toContain('6139261442960164');

    for (const q of [signed('not-the-token'), new URLSearchParams({ timestamp: '1714036504', nonce: '1' }), (() => {
      const s = signed(CALLBACK_TOKEN);
      s.set('timestamp', String(Number(s.get('timestamp')) + 1)); // signed for another timestamp
      return s;
    })()]) {
      const bad = await fetch(url(q), { method: 'POST', headers: { 'content-type': 'text/xml' }, body: EVENT });
      expect(bad.status).toBe(403);
    }
    expect(await meta(root, `wechat:event:${BIG_ID}`)).toBeUndefined();

    const good = await fetch(url(signed(CALLBACK_TOKEN)), { method: 'POST', headers: { 'content-type': 'text/xml' }, body: EVENT });
    expect([good.status, await good.text()]).toEqual([200, 'success']);
    expect(JSON.parse((await meta(root, `wechat:event:${BIG_ID}`))!)).toEqual({
      publishId: BIG_ID, status: 0, articleId: 'Ar7ic1eId', urls: ['https://mp.weixin.qq.com/s/abc?x=1&y=2'], failIdx: [], source: 'event',
    });
  });
});

describe('wechat live: handleWechatEvent (signature and parsing, in memory)', () => {
  it('records a correctly signed PUBLISHJOBFINISH (failure with fail_idx too), with the publish_id kept exact', async () => {
    const { state, values } = memoryState();
    const ok = await handleWechatEvent({ method: 'POST', query: signed(CALLBACK_TOKEN), body: EVENT }, CALLBACK_TOKEN, state);
    expect(ok).toMatchObject({ status: 200, body: 'success', job: { publishId: BIG_ID, status: 0 } });
    expect(JSON.parse(values.get(`wechat:event:${BIG_ID}`)!)).toMatchObject({ publishId: BIG_ID, urls: ['https://mp.weixin.qq.com/s/abc?x=1&y=2'] });

    const failed = publishEventXml({ publish_id: '4294968297', status: 3, fail_idx: [1, 3] }, 1714036504);
    const r = await handleWechatEvent({ method: 'POST', query: signed(CALLBACK_TOKEN), body: failed }, CALLBACK_TOKEN, state);
    expect(r.status).toBe(200);
    expect(JSON.parse(values.get('wechat:event:4294968297')!)).toEqual({ publishId: '4294968297', status: 3, urls: [], failIdx: [1, 3], source: 'event' });
  });

  it('refuses a wrong, missing or tampered signature with 403 and records nothing', async () => {
    const { state, values } = memoryState();
    const tampered = signed(CALLBACK_TOKEN);
    tampered.set('nonce', '999');
    for (const query of [signed('another-token'), new URLSearchParams(), tampered, signed(CALLBACK_TOKEN, { signature: 'x'.repeat(40) })]) {
      const r = await handleWechatEvent({ method: 'POST', query, body: EVENT }, CALLBACK_TOKEN, state);
      expect(r.status).toBe(403);
      expect(r.job).toBeUndefined();
    }
    expect(values.size).toBe(0);
  });

  it('GET: echostr back only with a valid signature; not configured: 404', async () => {
    const { state, values } = memoryState();
    expect(await handleWechatEvent({ method: 'GET', query: signed(CALLBACK_TOKEN, { echostr: 'abc123' }), body: '' }, CALLBACK_TOKEN, state)).toEqual({ status: 200, body: 'abc123' });
    expect((await handleWechatEvent({ method: 'GET', query: signed('nope', { echostr: 'abc123' }), body: '' }, CALLBACK_TOKEN, state)).status).toBe(403);
    expect((await handleWechatEvent({ method: 'POST', query: signed(CALLBACK_TOKEN), body: EVENT }, undefined, state)).status).toBe(404);
    expect(values.size).toBe(0);
  });

  it('other events get "success" and are not recorded; a PUBLISHJOBFINISH without its info is 400', async () => {
    const { state, values } = memoryState();
    const mass = '<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>1000001625</MsgID></xml>';
    expect(await handleWechatEvent({ method: 'POST', query: signed(CALLBACK_TOKEN), body: mass }, CALLBACK_TOKEN, state)).toEqual({ status: 200, body: 'success' });
    const bare = '<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event></xml>';
    expect((await handleWechatEvent({ method: 'POST', query: signed(CALLBACK_TOKEN), body: bare }, CALLBACK_TOKEN, state)).status).toBe(400);
    expect(values.size).toBe(0);
  });
});

// ── secrets ──

describe('wechat live: secrets', () => {
  it('never appear in output, logs, ledger messages, the audit log or files under var/ (also after token errors and failures)', async () => {
    const root = project({ wechat: 'mass_send: true\n' });
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('draft/add', { kind: 'error', code: 40001, message: 'invalid credential, access_token is invalid or not latest' });
    expect((await publish(root)).code).toBe(0);
    // A later publish whose token has expired and whose token call is refused: failed, with advice naming the variable.
    wx.expireToken();
    wx.fault('stable_token', { kind: 'error', code: 40125, message: 'invalid appsecret' });
    const failed = await cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now', '--again', '--root', root]);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('check WECHAT_SECRET');
    await cli(['status', '--root', root]);

    // The secret and the tokens were really in play…
    expect((wx.calls('stable_token')[0].body as { secret: string }).secret).toBe(SECRET);
    const tokens = wx.calls('stable_token').map(accessToken).filter((t): t is string => !!t);
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    expect(wx.calls('draft/add').every((q) => tokens.includes(q.query.access_token))).toBe(true);
    // …the logs were captured, and the token sits only in the ledger's database.
    expect(transcript.some((t) => t.includes('"msg":"draft added"'))).toBe(true);
    const texts = [...transcript, ...(await ledgerTexts(root)), ...varFiles(join(root, 'var'))];
    expect(texts.length).toBeGreaterThan(10);
    expect(leaks(texts, [SECRET, ...tokens])).toEqual([]);
    expect(leaks([`x${tokens[0]}x`], tokens)).toHaveLength(1); // the check itself does find one
  });
});
