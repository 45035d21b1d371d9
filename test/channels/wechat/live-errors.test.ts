/**
 * The WeChat rows of channel-apis.md §3, each against the local fake of the
 * API: the error is injected at the endpoint where WeChat gives it,
 * `advisory publish --now` runs in this process, and the test reads back what
 * the ledger says (state, next attempt, error message with errcode and rid),
 * what the command printed and exited with, and what the fake was asked (no
 * call repeated that must not be, nothing published twice).
 *
 * `publish --now` sits through a retry due within 2 minutes (it says
 * `waiting N s for the next attempt`); a later one (a daily quota) it leaves
 * waiting and exits 4. Where a test needs to see the "retry later" state of a
 * short wait, the harness stops the run the moment it says it waits (as a
 * person pressing Ctrl-C would); a later run gets a clock past that attempt.
 * Math.random (the retry policy's jitter) is pinned during each run.
 */
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/delivery/store/index.js';
import type { RecordedRequest } from '../../fakes/http.js';
import { approve, attemptsOf, CAMPAIGN, cli, fakes, frozen, project, publish, shifted, useWechatHarness, wechatDelivery, type Run } from './harness.js';

useWechatHarness();

/** The rid WeChat (the fake) ended its errmsg with. */
function ridIn(req: RecordedRequest | undefined): string {
  const errmsg = String((req?.answer?.body as { errmsg?: string } | undefined)?.errmsg ?? '');
  const rid = /rid: (\S+)$/.exec(errmsg)?.[1];
  expect(rid, `no rid in ${errmsg}`).toBeTruthy();
  return rid!;
}

/**
 * How `publish --now` leaves a delivery that is to be retried `wait` ms from now: a wait of up to
 * 2 minutes it sits through (this harness stops it as it starts to); a longer one (a quota) it does
 * not: it returns at once with exit 4, listing the delivery as waiting with when and why.
 */
function expectWaiting(run: Run, d: Delivery, wait: number): void {
  if (wait <= 120_000) {
    expect(run.waitingS, run.out + run.err).toBe(Math.ceil(wait / 1000));
    return;
  }
  expect(run.waitingS, 'a long wait is not sat through').toBeUndefined();
  expect(run.code, run.out + run.err).toBe(4);
  expect(run.out).toContain('0 sent, 0 failed, 0 held, 0 missed, 1 waiting');
  expect(run.out).toContain(`  waiting ${d.key}: next attempt at ${d.nextAttemptAt} (${d.lastError}); \`advisory run\` sends it then`);
}

/** The next midnight in Beijing (UTC+8) after `t`, as ms since the epoch. */
function nextBeijingMidnight(t: number): number {
  const b = new Date(t + 8 * 3_600_000);
  return Date.UTC(b.getUTCFullYear(), b.getUTCMonth(), b.getUTCDate() + 1) - 8 * 3_600_000;
}

/** Nothing went out twice: at most one draft, one publish job, one mass send. */
function expectNothingTwice(): void {
  const wx = fakes.wechat;
  expect(wx.drafts.size).toBeLessThanOrEqual(1);
  expect(wx.jobs.size).toBeLessThanOrEqual(1);
  expect(wx.massSends.length).toBeLessThanOrEqual(1);
}

// ── the table ──

type Endpoint = 'stable_token' | 'material/add_material' | 'draft/add' | 'freepublish/submit' | 'mass/sendall';

interface FinalRow {
  code: number;
  at: Endpoint;
  /** errmsg as WeChat words it (the fake adds the rid). */
  errmsg?: string;
  state: 'failed' | 'held';
  failure: 'permanent' | 'needs-person';
  /** A phrase of the advice the message must carry. */
  says: string;
  /** What exists at the fake when the error stops the publish. */
  drafts: number;
  jobs: number;
}

const WHITELIST_ERRMSG = 'invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist';

const FINAL_ROWS: FinalRow[] = [
  // The token call: credentials and the IP whitelist (nothing else is called).
  { code: 40001, at: 'stable_token', errmsg: 'invalid credential, access_token is invalid or not latest', state: 'failed', failure: 'permanent', says: 'the AppSecret is wrong', drafts: 0, jobs: 0 },
  { code: 40013, at: 'stable_token', errmsg: 'invalid appid', state: 'failed', failure: 'permanent', says: 'the AppID is wrong', drafts: 0, jobs: 0 },
  { code: 40125, at: 'stable_token', errmsg: 'invalid appsecret', state: 'failed', failure: 'permanent', says: 'check WECHAT_SECRET', drafts: 0, jobs: 0 },
  { code: 40243, at: 'stable_token', errmsg: 'AppSecret已被冻结，请登录小程序平台解冻后再次调用', state: 'failed', failure: 'permanent', says: 'the AppSecret is frozen', drafts: 0, jobs: 0 },
  { code: 40164, at: 'stable_token', errmsg: WHITELIST_ERRMSG, state: 'failed', failure: 'permanent', says: 'IP whitelist', drafts: 0, jobs: 0 },
  // Images.
  { code: 40005, at: 'material/add_material', errmsg: 'invalid file type', state: 'failed', failure: 'permanent', says: 'image type', drafts: 0, jobs: 0 },
  { code: 40009, at: 'material/add_material', errmsg: 'invalid image size', state: 'failed', failure: 'permanent', says: 'too large', drafts: 0, jobs: 0 },
  // The draft.
  { code: 89503, at: 'draft/add', errmsg: 'risky IP, please confirm on the admin\'s phone', state: 'held', failure: 'needs-person', says: 'approves it', drafts: 0, jobs: 0 },
  { code: 40007, at: 'draft/add', errmsg: 'invalid media_id', state: 'failed', failure: 'permanent', says: 'does not know this media_id', drafts: 0, jobs: 0 },
  { code: 45002, at: 'draft/add', errmsg: 'content size out of limit', state: 'failed', failure: 'permanent', says: 'too long', drafts: 0, jobs: 0 },
  { code: 45003, at: 'draft/add', errmsg: 'title size out of limit', state: 'failed', failure: 'permanent', says: 'title', drafts: 0, jobs: 0 },
  { code: 45004, at: 'draft/add', errmsg: 'description size out of limit', state: 'failed', failure: 'permanent', says: 'summary', drafts: 0, jobs: 0 },
  { code: 45166, at: 'draft/add', errmsg: 'invalid content hint', state: 'failed', failure: 'permanent', says: 'invalid', drafts: 0, jobs: 0 },
  // The submit.
  { code: 48001, at: 'freepublish/submit', errmsg: 'api unauthorized', state: 'failed', failure: 'permanent', says: 'not authorized', drafts: 1, jobs: 0 },
  { code: 53503, at: 'freepublish/submit', errmsg: 'this draft failed the publish check', state: 'held', failure: 'needs-person', says: 'publish check', drafts: 1, jobs: 0 },
  { code: 53504, at: 'freepublish/submit', errmsg: 'please publish on the web', state: 'held', failure: 'needs-person', says: 'web console', drafts: 1, jobs: 0 },
  { code: 53505, at: 'freepublish/submit', errmsg: 'please publish on the web', state: 'held', failure: 'needs-person', says: 'web console', drafts: 1, jobs: 0 },
  // The mass send (after the article is published).
  { code: 45028, at: 'mass/sendall', errmsg: 'has no masssend quota', state: 'failed', failure: 'permanent', says: 'no mass-send quota', drafts: 1, jobs: 1 },
  { code: 45067, at: 'mass/sendall', errmsg: 'clientmsgid size out of limit', state: 'failed', failure: 'permanent', says: 'clientmsgid is too long', drafts: 1, jobs: 1 },
];

describe('wechat live: errors that end the delivery (failed) or ask a person (held)', () => {
  it.each(FINAL_ROWS)('$code at $at → $state ($failure)', async (row) => {
    const root = project(row.at === 'mass/sendall' ? { wechat: 'mass_send: true\n' } : {});
    await approve(root);
    const wx = fakes.wechat;
    wx.fault(row.at, { kind: 'error', code: row.code, message: row.errmsg });
    const r = await publish(root);

    const d = await wechatDelivery(root);
    const rid = ridIn(wx.calls(row.at)[0]);
    expect(d.state).toBe(row.state);
    expect(r.waitingS, 'not retried later').toBeUndefined();
    expect(r.code, r.out + r.err).toBe(row.state === 'failed' ? 1 : 4);
    expect(r.out).toContain(`${CAMPAIGN}: 0 sent, ${row.state === 'failed' ? 1 : 0} failed, ${row.state === 'held' ? 1 : 0} held, 0 missed`);
    // The message: the advice, the endpoint's errcode, the rid support asks for, and what the command printed.
    for (const text of [d.lastError!, d.reason!, r.out]) {
      expect(text).toContain(row.says);
      expect(text).toContain(`answered ${row.code} (`);
      expect(text).toContain(`rid ${rid}`);
    }
    if (row.code === 40164) expect(d.lastError).toContain('WeChat saw the IP 203.0.113.9');
    if (row.state === 'held') expect(d.reason).toMatch(/^needs a person: /);
    expect(r.out).toContain(`${row.state === 'failed' ? 'failed' : 'held  '} ${d.key}: `);
    // One attempt, classified; the failing call made once (not retried), and nothing after it.
    const attempts = await attemptsOf(root, d.key);
    expect(attempts.map((a) => [a.outcome, a.errorClass, a.channelCode])).toEqual([[row.state, row.failure, String(row.code)]]);
    expect(wx.calls(row.at)).toHaveLength(1);
    expect(wx.drafts.size).toBe(row.drafts);
    expect(wx.jobs.size).toBe(row.jobs);
    expect(wx.massSends).toHaveLength(0);
    if (row.at === 'stable_token') expect(wx.requests.map((q) => q.path)).toEqual(['/cgi-bin/stable_token']);
    if (row.jobs === 0) expect(wx.calls('freepublish/get')).toHaveLength(0);
  });

  it('40164 as the fake answers it for a machine off the whitelist: failed at the token call, naming the IP', async () => {
    const root = project();
    await approve(root);
    fakes.wechat.whitelist = false;
    const r = await publish(root);
    const d = await wechatDelivery(root);
    expect(r.code).toBe(1);
    expect(d.state).toBe('failed');
    expect(d.lastError).toMatch(/IP whitelist.*WeChat saw the IP 203\.0\.113\.9.*answered 40164/);
    expect(fakes.wechat.requests).toHaveLength(1);
  });
});

describe('wechat live: stale tokens on a business call (40001, 40014, 42001): one refresh, that call once more', () => {
  const ROWS: Array<{ code: number; at: Exclude<Endpoint, 'stable_token'> | 'freepublish/get'; errmsg: string }> = [
    { code: 40001, at: 'draft/add', errmsg: 'invalid credential, access_token is invalid or not latest' },
    { code: 40014, at: 'draft/add', errmsg: 'invalid access_token' },
    { code: 42001, at: 'draft/add', errmsg: 'access_token expired' },
    { code: 42001, at: 'material/add_material', errmsg: 'access_token expired' },
    { code: 40014, at: 'freepublish/submit', errmsg: 'invalid access_token' },
    { code: 40001, at: 'freepublish/get', errmsg: 'invalid credential, access_token is invalid or not latest' },
    { code: 42001, at: 'mass/sendall', errmsg: 'access_token expired' },
  ];

  it.each(ROWS)('$code at $at', async (row) => {
    const root = project(row.at === 'mass/sendall' ? { wechat: 'mass_send: true\n' } : {});
    await approve(root);
    const wx = fakes.wechat;
    wx.fault(row.at, { kind: 'error', code: row.code, message: row.errmsg });
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain(`${CAMPAIGN}: 1 sent, 0 failed, 0 held, 0 missed`);

    // Exactly: the call, one stable_token, the same call again (with the token just fetched); no other token request.
    const paths = wx.requests.map((q) => q.path.replace('/cgi-bin/', ''));
    const i = paths.findIndex((p) => p.endsWith(row.at));
    expect(paths.slice(i, i + 3)).toEqual([expect.stringMatching(new RegExp(`${row.at}$`)), 'stable_token', expect.stringMatching(new RegExp(`${row.at}$`))]);
    expect(wx.calls('stable_token')).toHaveLength(2);
    const fresh = (wx.calls('stable_token')[1].answer!.body as { access_token: string }).access_token;
    expect(wx.requests[i + 2].query.access_token).toBe(fresh);
    if (row.at !== 'freepublish/get') expect(wx.calls(row.at)).toHaveLength(2);

    // Inside one attempt, published once.
    const d = await wechatDelivery(root);
    expect(d.state).toBe('sent');
    expect((await attemptsOf(root, d.key)).map((a) => a.outcome)).toEqual(['sent']);
    expect(wx.drafts.size).toBe(1);
    expect(wx.jobs.size).toBe(1);
    expect(wx.calls('freepublish/submit').filter((q) => q.answer?.body && (q.answer.body as { publish_id?: string }).publish_id)).toHaveLength(1);
    if (row.at === 'mass/sendall') expect(wx.massSends).toHaveLength(1);
  });

  it('a second stale-token answer on the retried call ends that attempt (auth); the next attempt goes at once and publishes', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('draft/add', { kind: 'error', code: 40014, message: 'invalid access_token' }, { kind: 'error', code: 40014, message: 'invalid access_token' });
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.waitingS).toBeUndefined();
    const d = await wechatDelivery(root);
    const attempts = await attemptsOf(root, d.key);
    expect(attempts.map((a) => [a.outcome, a.errorClass, a.channelCode])).toEqual([['retry', 'auth', '40014'], ['sent', null, null]]);
    // Attempt 1: call, refresh, call (no second refresh). Attempt 2: the token fetched in attempt 1, accepted.
    expect(wx.calls('stable_token')).toHaveLength(2);
    expect(wx.calls('draft/add')).toHaveLength(3);
    expect(wx.drafts.size).toBe(1);
    expect(wx.jobs.size).toBe(1);
  });

  it('stale tokens in two attempts in a row: held for a person (authorization failed twice), nothing published', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    for (let n = 0; n < 4; n++) wx.fault('draft/add', { kind: 'error', code: 40001, message: 'invalid credential, access_token is invalid or not latest' });
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(4);
    const d = await wechatDelivery(root);
    expect(d.state).toBe('held');
    expect(d.reason).toMatch(/^authorization failed twice: the access token is invalid or not the latest\. \/cgi-bin\/draft\/add answered 40001 .*, rid \S+$/);
    expect(wx.calls('draft/add')).toHaveLength(4);
    expect(wx.calls('stable_token')).toHaveLength(3);
    expect(wx.drafts.size).toBe(0);
    expect(wx.forceRefreshes).toBe(0);
  });
});

describe('wechat live: errors retried later (pending until the next attempt)', () => {
  interface LaterRow {
    name: string;
    /** Injects the error; `wechat` is extra wechat.yaml. */
    inject: () => void;
    wechat?: string;
    at: Endpoint;
    failure: 'transient' | 'rate-limited';
    /** The errcode or HTTP status in the message and the attempt's channel code (null: none). */
    channelCode: string | null;
    /** Text the message must contain. */
    says: string;
    /** [min, max] ms from the failed attempt to the next one. */
    waitMs: (t: number) => [number, number];
  }
  const wx = () => fakes.wechat;
  const ROWS: LaterRow[] = [
    {
      name: '-1 (busy) at draft/add', at: 'draft/add', inject: () => wx().fault('draft/add', { kind: 'error', code: -1, message: 'system error' }),
      failure: 'transient', channelCode: '-1', says: 'WeChat is busy', waitMs: () => [0, 5_000],
    },
    {
      name: '-1 (busy) at freepublish/submit: the same draft is submitted again', at: 'freepublish/submit', inject: () => wx().fault('freepublish/submit', { kind: 'error', code: -1, message: 'system error' }),
      failure: 'transient', channelCode: '-1', says: 'WeChat is busy', waitMs: () => [0, 5_000],
    },
    {
      name: '45009 (daily quota) at draft/add: not before the next Beijing midnight', at: 'draft/add', inject: () => wx().fault('draft/add', { kind: 'error', code: 45009, message: 'reach max api daily quota limit' }),
      failure: 'rate-limited', channelCode: '45009', says: 'resets at midnight (Beijing time)', waitMs: (t) => [nextBeijingMidnight(t) - t, nextBeijingMidnight(t) - t + 5 * 60_000],
    },
    {
      name: '45009 from the fake\'s own quota at freepublish/submit', at: 'freepublish/submit', inject: () => wx().setQuotaUsed('submit', 100),
      failure: 'rate-limited', channelCode: '45009', says: 'daily quota', waitMs: (t) => [nextBeijingMidnight(t) - t, nextBeijingMidnight(t) - t + 5 * 60_000],
    },
    {
      name: '45011 (per-minute limit) at draft/add', at: 'draft/add', inject: () => wx().fault('draft/add', { kind: 'error', code: 45011, message: 'api minute-quota reach limit' }),
      failure: 'rate-limited', channelCode: '45011', says: 'too many calls this minute', waitMs: () => [60_000, 60_000],
    },
    {
      name: '45066 (clientmsgid retried too fast) at mass/sendall: only the mass send again', at: 'mass/sendall', wechat: 'mass_send: true\n',
      inject: () => wx().fault('mass/sendall', { kind: 'error', code: 45066, message: 'clientmsgid retrying too fast' }),
      failure: 'rate-limited', channelCode: '45066', says: 'retried too fast', waitMs: () => [60_000, 60_000],
    },
    {
      name: 'HTTP 502 with an HTML page at draft/add', at: 'draft/add', inject: () => wx().fault('draft/add', { kind: 'http', status: 502 }),
      failure: 'transient', channelCode: 'HTTP 502', says: 'answered HTTP 502 without JSON: <html>', waitMs: () => [0, 5_000],
    },
    {
      name: 'no answer from draft/add within `timeout: 1s`', at: 'draft/add', wechat: 'timeout: 1s\n', inject: () => wx().fault('draft/add', { kind: 'hang' }),
      failure: 'transient', channelCode: null, says: '/cgi-bin/draft/add: no answer (timed out)', waitMs: () => [0, 5_000],
    },
  ];

  it.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const root = project(row.wechat ? { wechat: row.wechat } : {});
    await approve(root);
    row.inject();
    const t0 = new Date();
    const first = await publish(root, { now: frozen(t0) });

    // Retried later: pending, with the next attempt when the error says, the message with the code and rid.
    const d = await wechatDelivery(root);
    expect(d.state).toBe('pending');
    const wait = new Date(d.nextAttemptAt!).getTime() - t0.getTime();
    const [min, max] = row.waitMs(t0.getTime());
    expect(wait).toBeGreaterThanOrEqual(min);
    expect(wait).toBeLessThanOrEqual(max);
    expect(d.lastError).toContain(row.says);
    const failed = fakes.wechat.calls(row.at)[0];
    if (row.channelCode && !row.channelCode.startsWith('HTTP')) {
      expect(d.lastError).toContain(`answered ${row.channelCode} (`);
      expect(d.lastError).toContain(`rid ${ridIn(failed)}`);
    }
    expect((await attemptsOf(root, d.key)).map((a) => [a.outcome, a.errorClass, a.channelCode])).toEqual([['retry', row.failure, row.channelCode]]);
    expectWaiting(first, d, wait);

    // Run again before then (a quota: ten minutes later, or halfway there when Beijing midnight is closer than
    // that — CI once ran this a minute before it): nothing is called, it is still waiting.
    const before = fakes.wechat.requests.length;
    const earlier = wait > 120_000 ? Math.min(600_000, Math.floor(wait / 2)) : 0;
    const early = await publish(root, { now: frozen(new Date(t0.getTime() + earlier)) });
    const stillPending = await wechatDelivery(root);
    expect(stillPending.state).toBe('pending');
    expect(stillPending.nextAttemptAt).toBe(d.nextAttemptAt);
    expectWaiting(early, stillPending, wait - earlier);
    expect(fakes.wechat.requests.length).toBe(before);

    // Run after then: finished, the failed step done once more, nothing published twice.
    const calls = fakes.wechat.calls(row.at).length;
    if (row.at === 'freepublish/submit') fakes.wechat.setQuotaUsed('submit', 0);
    const later = await publish(root, { now: shifted(wait + 1000) });
    expect(later.code, later.out + later.err).toBe(0);
    expect(later.out).toContain(`${CAMPAIGN}: 1 sent, 0 failed, 0 held, 0 missed`);
    expect(later.out).toMatch(/^resumed: 1 finished, 0 were already sent/m);
    expect((await wechatDelivery(root)).state).toBe('sent');
    expect(fakes.wechat.calls(row.at).length - calls).toBe(1);
    expect(fakes.wechat.drafts.size).toBe(1);
    expect(fakes.wechat.jobs.size).toBe(1);
    if (row.at !== 'draft/add') expect(fakes.wechat.calls('draft/add')).toHaveLength(1);
    if (row.at === 'mass/sendall') {
      expect(fakes.wechat.calls('freepublish/submit')).toHaveLength(1);
      expect(fakes.wechat.massSends).toHaveLength(1);
    }
    // The token fetched by the first run is used by the later ones (cached in the ledger), unless the later run's
    // clock is past its life (expires_in − 300 s): then fetched once more.
    expect(fakes.wechat.calls('stable_token')).toHaveLength(wait + 1000 < (7200 - 300) * 1000 ? 1 : 2);
    expectNothingTwice();
  });
});

describe('wechat live: answers that look odd, and what a person does after an error', () => {
  it('JSON served as text/plain by draft/add (and by stable_token) is read as JSON: published', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('stable_token', { kind: 'text-plain' });
    wx.fault('draft/add', { kind: 'text-plain' });
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    expect(wx.calls('draft/add')).toHaveLength(1);
    expect(wx.drafts.size).toBe(1);
    expect(wx.jobs.size).toBe(1);
    expect((await wechatDelivery(root)).state).toBe('sent');
  });

  it('45065 at mass/sendall (this clientmsgid was sent already) counts as sent', async () => {
    const root = project({ wechat: 'mass_send: true\n' });
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('mass/sendall', { kind: 'error', code: 45065, message: 'clientmsgid exist' });
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    const d = await wechatDelivery(root);
    expect(d.state).toBe('sent');
    expect(d.receipt?.details).toMatchObject({ publishStatus: 0, massMsgId: expect.any(String) });
    expect(wx.calls('mass/sendall')).toHaveLength(1);
    expect(wx.jobs.size).toBe(1);
  });

  it('a mass send that got no answer is sent again with the same clientmsgid; WeChat\'s 45065 (with the msg_id) makes it sent, once', async () => {
    const root = project({ wechat: 'mass_send: true\ntimeout: 1s\n' });
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('mass/sendall', { kind: 'accept-then-hang' });
    const t0 = new Date();
    const first = await publish(root, { now: frozen(t0) });
    expect(first.waitingS).toBeDefined();
    expect(wx.massSends).toHaveLength(1); // it did go out
    const d1 = await wechatDelivery(root);
    expect(d1.state).toBe('pending');
    expect(d1.lastError).toContain('/cgi-bin/message/mass/sendall: no answer (timed out); the request may have been carried out');

    const later = await publish(root, { now: shifted(60_000) });
    expect(later.code, later.out + later.err).toBe(0);
    const calls = wx.calls('mass/sendall');
    expect(calls).toHaveLength(2);
    const ids = calls.map((q) => (q.body as { clientmsgid: string }).clientmsgid);
    expect(ids[1]).toBe(ids[0]);
    expect(Buffer.byteLength(ids[0])).toBeLessThan(32);
    expect((calls[1].answer!.body as { errcode: number }).errcode).toBe(45065);
    expect(wx.massSends).toHaveLength(1);
    expect(wx.calls('freepublish/submit')).toHaveLength(1);
    const d = await wechatDelivery(root);
    expect(d.state).toBe('sent');
    expect(d.receipt?.details).toMatchObject({ massMsgId: String(wx.massSends[0].msg_id) });
  });

  it('HTTP 502 from freepublish/submit: WeChat may have taken it, so it is not submitted blind: held, then after `advisory retry` the same draft', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('freepublish/submit', { kind: 'http', status: 502 });
    const t0 = new Date();
    const first = await publish(root, { now: frozen(t0) });
    expect(first.waitingS).toBeDefined();
    const d1 = await wechatDelivery(root);
    expect(d1.state).toBe('pending');
    expect(d1.lastError).toContain('/cgi-bin/freepublish/submit answered HTTP 502 without JSON');

    const second = await publish(root, { now: shifted(60_000) });
    expect(second.code, second.out + second.err).toBe(4);
    const d2 = await wechatDelivery(root);
    expect(d2.state).toBe('held');
    expect(d2.reason).toContain('发表记录');
    expect(d2.reason).toContain(`advisory retry ${d2.key}`);
    expect(wx.calls('freepublish/submit')).toHaveLength(1);

    const retried = await cli(['retry', d2.key, '--root', root]);
    expect(retried.code, retried.err).toBe(0);
    const third = await publish(root, { now: shifted(120_000) });
    expect(third.code, third.out + third.err).toBe(0);
    expect(wx.calls('draft/add')).toHaveLength(1);
    const submits = wx.calls('freepublish/submit');
    expect(submits).toHaveLength(2);
    expect((submits[1].body as { media_id: string }).media_id).toBe((submits[0].body as { media_id: string }).media_id);
    expect(wx.jobs.size).toBe(1);
  });

  it('HTTP 502 with a JSON body but no errcode from add_material is a failed call (no media_id cached): retried, then published', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('material/add_material', { kind: 'http', status: 502, body: '{"message":"upstream unavailable"}' });
    const t0 = new Date();
    const first = await publish(root, { now: frozen(t0) });
    expect(first.waitingS, first.out + first.err).toBeDefined();
    const d1 = await wechatDelivery(root);
    expect(d1.state).toBe('pending');
    expect(d1.lastError).toContain('HTTP 502');
    expect(wx.calls('draft/add')).toHaveLength(0);

    const later = await publish(root, { now: shifted(60_000) });
    expect(later.code, later.out + later.err).toBe(0);
    expect(wx.calls('material/add_material')).toHaveLength(2);
    const [draft] = [...wx.drafts.values()];
    expect(wx.materials.has(String(draft.articles[0].thumb_media_id))).toBe(true);
  });

  it('40007 at draft/add forgets the cached cover: after `advisory retry` the cover is uploaded again and published', async () => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.fault('draft/add', { kind: 'error', code: 40007, message: 'invalid media_id' });
    const r = await publish(root);
    expect(r.code).toBe(1);
    const d = await wechatDelivery(root);
    expect(d.state).toBe('failed');
    const retried = await cli(['retry', d.key, '--root', root]);
    expect(retried.code, retried.err).toBe(0);
    expect(retried.out).toContain(`requeued ${d.key}`);
    const again = await publish(root);
    expect(again.code, again.out + again.err).toBe(0);
    expect(wx.calls('material/add_material')).toHaveLength(2);
    expect(wx.drafts.size).toBe(1);
    expect(wx.jobs.size).toBe(1);
  });

  it.each([
    { code: 89503, at: 'draft/add' as const, drafts: 1 },
    { code: 53503, at: 'freepublish/submit' as const, drafts: 1 },
  ])('$code at $at: held; after the person\'s `advisory retry` the next publish finishes (the same draft, not a new one)', async ({ code, at, drafts }) => {
    const root = project();
    await approve(root);
    const wx = fakes.wechat;
    wx.fault(at, { kind: 'error', code, message: 'needs a person' });
    const held = await publish(root);
    expect(held.code).toBe(4);
    const d = await wechatDelivery(root);
    expect(d.state).toBe('held');
    expect((await cli(['retry', d.key, '--root', root])).code).toBe(0);
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    expect((await wechatDelivery(root)).state).toBe('sent');
    expect(wx.drafts.size).toBe(drafts);
    expect(wx.jobs.size).toBe(1);
    expect(wx.calls('draft/add')).toHaveLength(at === 'draft/add' ? 2 : 1);
    expect(wx.calls('material/add_material')).toHaveLength(1);
  });
});
