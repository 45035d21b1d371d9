/**
 * WeChat and Weibo through the queue workers (issue 15): the live channels
 * against the local fakes of their APIs (test/fakes/, channel-apis.md), on
 * PostgreSQL + BullMQ with THREE `advisory worker` processes (the built CLI,
 * real processes) and `advisory run --workers 0` keeping the clock, the relay
 * and the WeChat callback. Each post goes out once: handed to the daemon or
 * published with no daemon running; with the worker that had a post in hand
 * SIGKILLed mid-post (WeChat waiting for its publish job, Weibo's answer
 * never come); with the tokens expired; with each channel's rate-limit and
 * quota answers. Skipped, visibly, unless ADVISORY_TEST_POSTGRES and
 * ADVISORY_TEST_REDIS name servers.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { until, type Proc } from '../daemon-process.js';
import { CALLBACK_TOKEN, leaks, liveEnv, useFakes } from '../../channels/live.js';
import { CAMPAIGN } from '../../channels/email/harness.js';
import { SERVERS, SKIPPED, useQueueCluster, type Bureau } from './harness.js';

const run = SERVERS ? describe : describe.skip;
// A publish job finishes when a test says so (finishJob), so a worker can be caught waiting for it.
const fakes = useFakes({ wechat: { publishDelayMs: 3_600_000 } });
const { start, bureau, daemon, workers, publish, stopAll } = useQueueCluster();
const outputs: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A bureau (PostgreSQL schema, Redis, `subscribers` e-mail subscribers) whose WeChat and Weibo are live, on the fakes. */
async function socialBureau(subscribers = 1, o: { weibo?: string } = {}): Promise<Bureau> {
  const b = await bureau(subscribers);
  if (o.weibo) appendFileSync(join(b.root, 'channels/weibo.yaml'), `\n${o.weibo}\n`);
  b.env = { ...b.env, ...liveEnv(fakes) };
  return b;
}

async function finished(p: Proc): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const r = await p.exited;
  outputs.push(p.stdout(), p.stderr());
  return r;
}

/** One draft, one publish job (one submit), one Weibo post: what a clean publish leaves. */
function eachOnce(): void {
  expect(fakes.wechat.drafts.size).toBe(1);
  expect(fakes.wechat.calls('freepublish/submit')).toHaveLength(1);
  expect(fakes.wechat.jobs.size).toBe(1);
  expect(fakes.weibo.posts).toHaveLength(1);
}

/** Once WeChat has the job: finishes it (the fake then pushes the event to its callback, if any). */
async function finishJob(): Promise<void> {
  await until(() => fakes.wechat.jobs.size >= 1, 60_000, 'the WeChat publish job');
  await fakes.wechat.finishNow();
}

/** Sleeps past the next full hour (UTC) if it is closer than 3 minutes, so "the next hour" stays far off. */
async function clearOf(periodMs: number, offsetMs = 0): Promise<void> {
  const left = periodMs - ((Date.now() + offsetMs) % periodMs);
  if (left < 180_000) await sleep(left + 1000);
}

run(SERVERS ? 'WeChat and Weibo through three queue worker processes' : SKIPPED, () => {
  it('handed to the daemon, sent by the workers: one draft, one publish job, one post, each subscriber mailed once; WeChat\'s event reaches the daemon and the worker waiting for the job reads it from the ledger', async () => {
    const b = await socialBureau(20);
    const d = await daemon(b);
    const port = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(d.stderr())![1];
    fakes.wechat.callback = { url: `http://127.0.0.1:${port}/wechat/events`, token: CALLBACK_TOKEN };
    const ws = await workers(b);
    const p = publish(b, ['wechat', 'weibo', 'email']);
    const job = finishJob();
    expect((await finished(p)).code, p.stderr()).toBe(0);
    await job;
    expect(p.stdout()).toContain(`${CAMPAIGN}: 22 sent, 0 failed, 0 held, 0 missed`);
    eachOnce();
    expect(fakes.wechat.pushes.map((x) => x.status)).toEqual([200]);
    const wechat = (await b.store.list({ campaign: CAMPAIGN })).find((x) => x.channel === 'wechat')!;
    expect(wechat.receipt).toMatchObject({ id: [...fakes.wechat.jobs.keys()][0], details: { publishStatus: 0 } });
    // The daemon took the event (200 above); the waiting worker reads the result from the ledger, unless its own
    // status poll came first (the fake finishes the job before it pushes: on a loaded machine the poll can win).
    expect(['event', 'poll']).toContain((wechat.receipt as { details: { via: string } }).details.via);
    const handled = await stopAll([...ws, d]);
    console.info(`WeChat, Weibo and 20 e-mails through three workers: jobs per worker ${handled.slice(0, 3).join(', ')}`);
  }, 120_000);

  it('no daemon running: publish --now relays them itself, its workers and the three `advisory worker` processes send them; one draft, one job, one post', async () => {
    const b = await socialBureau(1);
    const ws = await workers(b);
    const p = publish(b, ['wechat', 'weibo']);
    const job = finishJob();
    expect((await finished(p)).code, p.stderr()).toBe(0);
    await job;
    expect(p.stderr()).toMatch(/no dispatcher is running: sending through the queue redis:\/\/\S+ \([0-9a-f]{12}\.(wechat|weibo)\.[\w-]+, [0-9a-f]{12}\.(wechat|weibo)\.[\w-]+\)/);
    expect(p.stdout()).toContain(`${CAMPAIGN}: 2 sent, 0 failed, 0 held, 0 missed`);
    eachOnce();
    await stopAll(ws);
  }, 120_000);

  it('the worker with a post in hand SIGKILLed mid-post (WeChat waiting for its publish job; Weibo\'s answer never come): after the lease another worker reconciles them: the same job, Weibo\'s repeat-content answer; one draft, one job, one post', async () => {
    const b = await socialBureau(1, { weibo: 'timeout: 60s' });
    // The WeChat job finishes only when the test says; Weibo takes the post and never answers.
    fakes.weibo.fault('statuses/share.json', { kind: 'accept-then-hang' });
    const d = await daemon(b);
    const ws = await workers(b, 3, { LOG_LEVEL: 'info' });
    const p = publish(b, ['wechat', 'weibo']);
    // Each worker logs (as JSON lines on stdout) the step it is at: the ones mid-post are known by what they said.
    const midWechat = () => ws.find((w) => w.stdout().includes('submitted for publishing; waiting for WeChat to finish'));
    const midWeibo = () => ws.find((w) => w.stdout().includes('posting to Weibo'));
    await until(() => midWechat() !== undefined && midWeibo() !== undefined && fakes.weibo.posts.length === 1 && fakes.wechat.jobs.size === 1, 30_000, 'a worker to wait for the WeChat job and one to wait for Weibo\'s answer');
    const killed = [...new Set([midWechat()!, midWeibo()!])];
    for (const w of killed) w.child.kill('SIGKILL');
    for (const w of killed) expect((await w.exited).signal).toBe('SIGKILL');
    await fakes.wechat.finishNow();
    expect((await finished(p)).code, p.stderr()).toBe(0);
    expect(p.stdout()).toContain(`${CAMPAIGN}: 2 sent, 0 failed, 0 held, 0 missed`);
    eachOnce();
    expect(fakes.weibo.calls('statuses/share.json').map((r) => r.answer?.status)).toEqual([undefined, 400]);
    const weibo = (await b.store.list({ campaign: CAMPAIGN })).find((x) => x.channel === 'weibo')!;
    expect(weibo.receipt).toMatchObject({ details: { idUnknown: true } });
    // The killed worker's attempt, then the one that took it over (reconciled, then sent again): no third.
    expect(weibo.attempts).toBe(2);
    const wechat = (await b.store.list({ campaign: CAMPAIGN })).find((x) => x.channel === 'wechat')!;
    expect(wechat.attempts).toBe(2);
    const alive = ws.filter((w) => !killed.includes(w));
    await stopAll([...alive, d]);
    console.info(`killed mid-post: ${killed.length} worker(s); the other ${alive.length} took over: one draft, one job, one post`);
  }, 120_000);

  it('tokens expired: WeChat\'s cached token refused (42001): one fresh token, that call once more, published; Weibo\'s (21327): held for a person, nothing posted; after re-authorizing, `advisory retry` and the workers post it once', async () => {
    const b = await socialBureau(1);
    const d = await daemon(b);
    const ws = await workers(b);
    // A first publish leaves WeChat's token cached in the ledger, where every worker finds it.
    const first = publish(b, ['wechat']);
    let job = finishJob();
    expect((await finished(first)).code, first.stderr()).toBe(0);
    await job;
    expect(fakes.wechat.tokensIssued).toBe(1);
    fakes.wechat.expireToken();
    fakes.weibo.expireToken();
    const p = start(['publish', CAMPAIGN, '--now', '--again', '--channel', 'wechat', '--channel', 'weibo', '--root', b.root], b.env);
    job = (async () => {
      await until(() => fakes.wechat.jobs.size >= 2, 60_000, 'the second publish job');
      await fakes.wechat.finishNow();
    })();
    expect((await finished(p)).code, p.stderr()).toBe(4);
    await job;
    expect(p.stdout()).toContain(`${CAMPAIGN}: 1 sent, 0 failed, 1 held, 0 missed`);
    expect(p.stdout()).toMatch(/held +2014-national-day\/manual\/weibo\/\S+: .*a person must authorize the app again.*21327/);
    const drafts = fakes.wechat.calls('draft/add').map((r) => (r.answer?.body as { errcode?: number }).errcode ?? 0);
    expect(drafts).toEqual([0, 42001, 0]);
    expect(fakes.wechat.tokensIssued).toBe(2);
    expect(fakes.wechat.jobs.size).toBe(2);
    expect(fakes.weibo.posts).toHaveLength(0);
    const weibo = (await b.store.list({ campaign: CAMPAIGN })).filter((x) => x.channel === 'weibo');
    expect(weibo.map((x) => x.state)).toEqual(['held']);
    // A person authorizes the app again (the fake's token lives again) and retries the delivery.
    fakes.weibo.reset();
    const retry = start(['retry', weibo[0].key, '--root', b.root], b.env);
    expect((await finished(retry)).code, retry.stderr()).toBe(0);
    await until(async () => (await b.store.get(weibo[0].key))?.state === 'sent', 30_000, 'the workers to post it');
    expect(fakes.weibo.posts).toHaveLength(1);
    await stopAll([...ws, d]);
  }, 120_000);

  it('rate limits and quotas: WeChat\'s daily draft quota (45009) and Weibo\'s hourly limit (10023) wait for their time, listed with why, exit 4, and no worker calls again meanwhile; a busy answer (WeChat -1, Weibo 10001) is tried again when due and published once', async () => {
    // The next Beijing midnight and the next hour more than 3 minutes off, so neither wait is short enough to sit through.
    await clearOf(86_400_000, 8 * 3_600_000);
    await clearOf(3_600_000);
    const b = await socialBureau(1);
    const d = await daemon(b);
    const ws = await workers(b);
    fakes.wechat.setQuotaUsed('draftAdd', 1000);
    fakes.weibo.fault('statuses/share.json', { kind: 'error', code: 10023, message: 'User requests out of rate limit!', status: 403 });
    const p = publish(b, ['wechat', 'weibo']);
    expect((await finished(p)).code, p.stderr()).toBe(4);
    expect(p.stdout()).toContain(`${CAMPAIGN}: 0 sent, 0 failed, 0 held, 0 missed, 2 waiting`);
    expect(p.stdout()).toMatch(/waiting 2014-national-day\/manual\/wechat\/\S+: next attempt at .*daily quota.*45009/);
    expect(p.stdout()).toMatch(/waiting 2014-national-day\/manual\/weibo\/\S+: next attempt at .*over Weibo's rate limit.*10023/);
    // The relay offers a delivery again only when it is due: drained, the workers made no second call.
    await stopAll(ws);
    expect(fakes.wechat.calls('draft/add')).toHaveLength(1);
    expect(fakes.weibo.calls('statuses/share.json')).toHaveLength(1);
    await stopAll([d]);

    fakes.wechat.reset();
    fakes.weibo.reset();
    const b2 = await socialBureau(1);
    const d2 = await daemon(b2);
    const ws2 = await workers(b2);
    fakes.wechat.fault('draft/add', { kind: 'error', code: -1, message: 'system error' });
    fakes.weibo.fault('statuses/share.json', { kind: 'error', code: 10001, message: 'system error!', status: 500 });
    const p2 = publish(b2, ['wechat', 'weibo']);
    const job = finishJob();
    expect((await finished(p2)).code, p2.stderr()).toBe(0);
    await job;
    expect(p2.stdout()).toContain(`${CAMPAIGN}: 2 sent, 0 failed, 0 held, 0 missed`);
    expect(fakes.wechat.calls('draft/add').map((r) => (r.answer?.body as { errcode?: number }).errcode ?? 0)).toEqual([-1, 0]);
    expect(fakes.weibo.calls('statuses/share.json').map((r) => r.answer?.status)).toEqual([500, 200]);
    eachOnce();
    await stopAll([...ws2, d2]);
  }, 180_000);
});

describe('secrets', () => {
  it('never appear in any output of these runs', () => {
    expect(leaks(outputs, [fakes.wechat?.secret ?? 'test-secret', '2.00weibo-test-token'])).toEqual([]);
  });
});
