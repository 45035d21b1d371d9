/**
 * Every Weibo row of channel-apis.md §3, through `advisory publish --now`
 * against the fake: what the delivery becomes (held for a person, failed
 * without a retry, pending until when), what the command prints and exits
 * with, and how many times share.json was called. Rows that end `pending` run
 * publishNow stopped at its first retry wait (live-harness.ts): the CLI itself
 * would wait the retry out (up to an hour for a rate limit).
 * Also: error_code sent as a string, an HTML 502, a 200 without idstr.
 */
import { describe, expect, it } from 'vitest';
import { weiboLength, type WeiboFake } from '../../fakes/index.js';
import { LIVE_BASE_URL } from '../live.js';
import { backoff } from '../../../src/delivery/retry.js';
import {
  approve, cli, envFor, HOUR, liveProject, logLines, publish, publishUntilWait, shares, statusOf, useWeibo, weiboDelivery, withWeiboFake, type Transcript,
} from './live-harness.js';

const CAMPAIGN_URL = `${LIVE_BASE_URL}/2014-national-day/`;
const REAUTHORIZE = /needs a person: the access token is expired or revoked: a person must authorize the app again .*set WEIBO_ACCESS_TOKEN/;
const REPEAT = /Weibo refuses it as repeated content/;

type Outcome =
  | { kind: 'held'; say: RegExp }
  | { kind: 'failed'; say: RegExp }
  | { kind: 'backoff' }
  | { kind: 'later'; afterMs: number }
  | { kind: 'next-hour' };

interface Row {
  code: number;
  http?: number;
  outcome: Outcome;
}

const held = (code: number): Row => ({ code, http: 401, outcome: { kind: 'held', say: REAUTHORIZE } });
const failed = (code: number, say: RegExp): Row => ({ code, outcome: { kind: 'failed', say } });

const TABLE: Row[] = [
  ...[21327, 21332, 21501, 21315, 21319].map(held),
  ...[20019, 20017, 20038, 20111].map((c) => failed(c, REPEAT)),
  { code: 20016, http: 403, outcome: { kind: 'later', afterMs: 30 * 60_000 } },
  ...[10022, 10023, 10024].map((code) => ({ code, http: 403, outcome: { kind: 'next-hour' } }) as Row),
  failed(10017, /not under the app's secure domain.*安全域名 on open\.weibo\.com/),
  failed(20005, /picture type: use JPEG, GIF or PNG/),
  failed(20006, /picture is larger than Weibo allows \(5 MB\)/),
  failed(20007, /not sent as multipart/),
  ...[10001, 10002, 10003, 10009, 10010].map((code) => ({ code, http: 500, outcome: { kind: 'backoff' } }) as Row),
];

/** The next full hour after `ms`, and the minute Weibo's limit is given to reset. */
const nextHourPlusMinute = (ms: number) => Math.floor(ms / HOUR) * HOUR + HOUR + 60_000;

async function expectRow(t: Transcript, dirs: string[], fake: WeiboFake, row: Row, stringCode: boolean): Promise<void> {
  const root = liveProject(dirs);
  const env = envFor(fake);
  fake.fault('statuses/share.json', { kind: 'error', code: stringCode ? String(row.code) : row.code, message: `error ${row.code}`, ...(row.http ? { status: row.http } : {}) });
  const o = row.outcome;
  if (o.kind === 'held' || o.kind === 'failed') {
    const r = await publish(t, root, env);
    const d = await weiboDelivery(root);
    expect(d.state).toBe(o.kind);
    expect(r.code, r.out + r.err).toBe(o.kind === 'held' ? 4 : 1);
    expect(r.out).toContain(`2014-national-day: 0 sent, ${o.kind === 'failed' ? 1 : 0} failed, ${o.kind === 'held' ? 1 : 0} held, 0 missed`);
    const line = r.out.split('\n').find((l) => l.includes(d.key))!;
    expect(line).toMatch(new RegExp(`^  ${o.kind === 'held' ? 'held  ' : 'failed'} ${d.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(line).toMatch(o.say);
    expect(line).toContain(`error_code ${row.code}`);
    expect(d.reason).toMatch(o.say);
    // Not retried: one call, and nothing left to retry.
    expect(shares(fake)).toHaveLength(1);
    expect(d.nextAttemptAt).toBeNull();
    // Weibo said no: the attempt is known not to have been posted.
    expect(d.checkpoint?.posting).toBeUndefined();
  } else {
    await approve(t, root, env);
    const u = await publishUntilWait(t, root, env);
    expect(u.outcome, 'the run should have stopped at a retry wait').toBeNull();
    const d = await weiboDelivery(root);
    expect(d.state).toBe('pending');
    expect(d.receipt).toBeNull();
    expect(d.lastError).toContain(`error_code ${row.code}`);
    expect(shares(fake)).toHaveLength(1);
    expect(d.checkpoint?.posting).toBeUndefined();
    const failedAt = Date.parse(d.updatedAt);
    const next = Date.parse(d.nextAttemptAt!);
    const retry = logLines(u.log).find((l) => l.level === 40 && String(l.msg).startsWith('attempt 1 failed, retrying'));
    expect(retry, u.log).toMatchObject({ channelCode: String(row.code), failure: o.kind === 'backoff' ? 'transient' : 'rate-limited', retryAt: d.nextAttemptAt });
    if (o.kind === 'backoff') {
      // The first step of the default backoff (5 s with full jitter; the jitter pinned at 0.5).
      expect(next - failedAt).toBeGreaterThan(backoff(1, 0.5) - 100);
      expect(next - failedAt).toBeLessThanOrEqual(backoff(1, 0.5));
    } else if (o.kind === 'later') {
      expect(next - failedAt).toBeGreaterThan(o.afterMs - 100);
      expect(next - failedAt).toBeLessThanOrEqual(o.afterMs);
    } else {
      // The wait is reckoned when Weibo answered, the retry time a moment later: a few ms over.
      expect(next - nextHourPlusMinute(failedAt - 50)).toBeGreaterThanOrEqual(0);
      expect(next - nextHourPlusMinute(failedAt - 50)).toBeLessThan(1000);
      expect(u.progress.join('\n')).toMatch(/waiting \d+ s for the next attempt/);
    }
  }
  // Either way the fake posted nothing, and its answer carried the code as asked.
  expect(fake.posts).toHaveLength(0);
  const answered = (shares(fake)[0].answer!.body as { error_code: unknown }).error_code;
  expect(answered).toBe(stringCode ? String(row.code) : row.code);
}

describe('weibo live: the error table (channel-apis.md §3)', () => {
  const wb = useWeibo();
  const t: Transcript = [];

  it.each(TABLE.map((r) => [r.code, r.outcome.kind, r] as const))('error_code %i → %s', async (_code, _kind, row) => {
    await expectRow(t, wb.dirs, wb.fake, row, false);
  });

  describe('20012 (text too long): shortened once, tried again', () => {
    it('a fault 20012, then accepted: the second status is shorter, still carries the URL, and is what was posted', async () => {
      const root = liveProject(wb.dirs);
      wb.fake.fault('statuses/share.json', { kind: 'error', code: 20012, message: 'Text too long, please input text less than 140 characters!' });
      const r = await publish(t, root, envFor(wb.fake));
      expect(r.code, r.out + r.err).toBe(0);
      const [first, second] = shares(wb.fake).map(statusOf);
      expect(shares(wb.fake)).toHaveLength(2);
      expect(weiboLength(second)).toBeLessThan(weiboLength(first));
      expect(second.length).toBeLessThan(first.length);
      expect(second.split(/\s+/)).toContain(CAMPAIGN_URL);
      expect(second).toMatch(/^【2014年国庆节期间安全防范常识】.*… https:\/\/www\.example\.gov\.cn\/advisories\/2014-national-day\/$/);
      expect(wb.fake.posts.map((p) => p.text)).toEqual([second]);
      const d = await weiboDelivery(root);
      expect(d.state).toBe('sent');
      expect(d.receipt).toMatchObject({ id: wb.fake.posts[0].idstr, details: { text: second, shortened: true } });
    });

    it('the fake\'s own length check (max 100 counted): shortened to fit and posted', async () => {
      await withWeiboFake({ maxChars: 100 }, async (fake) => {
        const root = liveProject(wb.dirs);
        const r = await publish(t, root, envFor(fake));
        expect(r.code, r.out + r.err).toBe(0);
        const [first, second] = shares(fake).map(statusOf);
        expect(weiboLength(first)).toBeGreaterThan(100);
        expect(weiboLength(second)).toBeLessThanOrEqual(100);
        expect(second.endsWith(` ${CAMPAIGN_URL}`)).toBe(true);
        expect(fake.posts).toHaveLength(1);
        expect((await weiboDelivery(root)).receipt?.id).toBe(fake.posts[0].idstr);
      });
    });

    it('20012 twice: failed after exactly two calls (shortened once only)', async () => {
      await withWeiboFake({ maxChars: 40 }, async (fake) => {
        const root = liveProject(wb.dirs);
        const r = await publish(t, root, envFor(fake));
        expect(r.code, r.out + r.err).toBe(1);
        expect(r.out).toMatch(/failed .*: the text is too long for Weibo\. \/2\/statuses\/share\.json answered HTTP 400, error_code 20012/);
        expect(shares(fake)).toHaveLength(2);
        expect(weiboLength(statusOf(shares(fake)[1]))).toBeLessThan(weiboLength(statusOf(shares(fake)[0])));
        expect(fake.posts).toHaveLength(0);
        const d = await weiboDelivery(root);
        expect(d.state).toBe('failed');
        expect(d.checkpoint?.posting).toBeUndefined();
      });
    });
  });

  describe('the same errors for real, from the fake\'s own checks', () => {
    it('an expired token (21327): held, a person must authorize again', async () => {
      const root = liveProject(wb.dirs);
      wb.fake.expireToken();
      const r = await publish(t, root, envFor(wb.fake));
      expect(r.code, r.out + r.err).toBe(4);
      expect(r.out).toMatch(REAUTHORIZE);
      const d = await weiboDelivery(root);
      expect(d).toMatchObject({ state: 'held', reason: expect.stringMatching(/error_code 21327/) });
      expect(shares(wb.fake)).toHaveLength(1);
    });

    it('held for the token, then re-authorized: `advisory retry KEY` and publish again post it once', async () => {
      const root = liveProject(wb.dirs);
      wb.fake.expireToken();
      expect((await publish(t, root, envFor(wb.fake))).code).toBe(4);
      const { key } = await weiboDelivery(root);
      await withWeiboFake({ token: '2.00re-authorized' }, async (renewed) => {
        const env = envFor(renewed);
        const retry = await cli(t, ['retry', key, '--root', root], env);
        expect(retry.code, retry.out + retry.err).toBe(0);
        expect(retry.out).toContain(`requeued ${key}`);
        const r = await publish(t, root, env, { approve: false });
        expect(r.code, r.out + r.err).toBe(0);
        expect(renewed.posts).toHaveLength(1);
        const d = await weiboDelivery(root);
        expect(d).toMatchObject({ state: 'sent', receipt: { id: renewed.posts[0].idstr } });
      });
    });

    it('a wrong token (21332): held', async () => {
      const root = liveProject(wb.dirs);
      const r = await publish(t, root, envFor(wb.fake, { WEIBO_ACCESS_TOKEN: '2.00not-the-token' }));
      expect(r.code).toBe(4);
      expect((await weiboDelivery(root)).reason).toMatch(/error_code 21332/);
    });

    it('the link outside the app\'s secure domain (10017 "appkey not bind domain"): failed with the advice', async () => {
      await withWeiboFake({ secureDomains: ['police.example.org'] }, async (fake) => {
        const root = liveProject(wb.dirs);
        const r = await publish(t, root, envFor(fake));
        expect(r.code).toBe(1);
        expect(r.out).toMatch(/set base_url in channels\/website\.yaml to the bureau's site and add that domain to the app's 安全域名/);
        expect(r.out).toContain('appkey not bind domain');
        expect(shares(fake)).toHaveLength(1);
      });
    });

    it('the same content published again (--again): repeat content 20019 on a first attempt → failed, not retried', async () => {
      const root = liveProject(wb.dirs);
      const env = envFor(wb.fake);
      expect((await publish(t, root, env)).code).toBe(0);
      const again = await publish(t, root, env, { approve: false, args: ['--again'] });
      expect(again.code).toBe(1);
      expect(again.out).toMatch(REPEAT);
      expect(shares(wb.fake)).toHaveLength(2);
      expect(wb.fake.posts).toHaveLength(1);
    });

    it('the hourly limit (ratePerHour 0 → 10023): pending until the next full hour', async () => {
      await withWeiboFake({ ratePerHour: 0 }, async (fake) => {
        const root = liveProject(wb.dirs);
        const env = envFor(fake);
        await approve(t, root, env);
        await publishUntilWait(t, root, env);
        const d = await weiboDelivery(root);
        expect(d.state).toBe('pending');
        const next = Date.parse(d.nextAttemptAt!) - nextHourPlusMinute(Date.parse(d.updatedAt) - 50);
        expect(next).toBeGreaterThanOrEqual(0);
        expect(next).toBeLessThan(1000);
      });
    });
  });

  describe('answers that are not a Weibo error', () => {
    it('HTTP 502 with an HTML page: transient, pending with backoff; the attempt stays possibly-posted', async () => {
      const root = liveProject(wb.dirs);
      const env = envFor(wb.fake);
      wb.fake.fault('statuses/share.json', { kind: 'http', status: 502 });
      await approve(t, root, env);
      const u = await publishUntilWait(t, root, env);
      const d = await weiboDelivery(root);
      expect(d.state).toBe('pending');
      expect(d.lastError).toMatch(/share\.json answered HTTP 502 without an error code: <html>/);
      expect(Date.parse(d.nextAttemptAt!) - Date.parse(d.updatedAt)).toBeLessThanOrEqual(backoff(1, 0.5));
      expect(logLines(u.log).find((l) => l.level === 40)).toMatchObject({ failure: 'transient', channelCode: 'HTTP 502' });
      // A gateway's 502 does not say Weibo did not post: the next attempt would take a repeat-content answer as "posted".
      expect(d.checkpoint?.posting?.text).toBe(statusOf(shares(wb.fake)[0]));
    });

    it('HTTP 200 without idstr: not recorded as sent (pending), and the next attempt posts it once', async () => {
      const root = liveProject(wb.dirs);
      const env = envFor(wb.fake);
      wb.fake.fault('statuses/share.json', { kind: 'http', status: 200, body: JSON.stringify({ created_at: 'Wed Oct 01 08:00:00 +0800 2014', id: 4977000000000000999, text: 'x' }) });
      await approve(t, root, env);
      await publishUntilWait(t, root, env);
      let d = await weiboDelivery(root);
      expect(d.state).toBe('pending');
      expect(d.receipt).toBeNull();
      expect(d.lastError).toMatch(/answered HTTP 200 without idstr/);
      // After the retry time (the clock an hour on): the fake (which did not post on that fault) posts it now.
      const later = () => new Date(Date.now() + HOUR);
      const r = await publish(t, root, env, { approve: false, now: later });
      expect(r.code, r.out + r.err).toBe(0);
      d = await weiboDelivery(root);
      expect(d.state).toBe('sent');
      expect(wb.fake.posts).toHaveLength(1);
      expect(d.receipt?.id).toBe(wb.fake.posts[0].idstr);
    });
  });
});

describe('weibo live: error_code as a string ("20019")', () => {
  const wb = useWeibo({ stringCodes: true });
  const t: Transcript = [];
  const one = (code: number) => TABLE.find((r) => r.code === code)!;

  it.each([21327, 20019, 20016, 10023, 10017, 20006, 10009].map((c) => [c, one(c).outcome.kind, one(c)] as const))('"%i" → %s, as the number', async (_code, _kind, row) => {
    await expectRow(t, wb.dirs, wb.fake, row, true);
  });

  it('"20012" from the fake\'s own length check: shortened once and posted', async () => {
    await withWeiboFake({ maxChars: 100, stringCodes: true }, async (fake) => {
      const root = liveProject(wb.dirs);
      const r = await publish(t, root, envFor(fake));
      expect(r.code, r.out + r.err).toBe(0);
      expect((shares(fake)[0].answer!.body as { error_code: unknown }).error_code).toBe('20012');
      expect(shares(fake)).toHaveLength(2);
      expect(fake.posts).toHaveLength(1);
    });
  });
});
