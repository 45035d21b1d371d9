/**
 * Weibo has no idempotency key (channel-apis.md §4): an attempt that got no
 * answer is recorded ({posting} in the delivery's checkpoint) and the next one
 * sends the same text, taking a repeat-content answer (20019) as "it was
 * posted". Against the fake: accepted-then-no-answer versus never-reached,
 * exactly one post either way. And the hourly rate limit: pending until the
 * next hour, and no call before then however often publish is run.
 */
import { localTime } from '../../../src/delivery/local-time.js';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LIVE_BASE_URL } from '../live.js';
import {
  approve, cli, envFor, HOUR, liveProject, logLines, publish, publishUntilWait, shares, statusOf, useWeibo, weiboDelivery, withWeiboFake, type Transcript,
} from './live-harness.js';

const wb = useWeibo();
const t: Transcript = [];
const NO_ANSWER = /\/2\/statuses\/share\.json: no answer \(timed out\); the request may have been carried out/;
/** A clock `ms` ahead: what was scheduled for a retry is due. */
const ahead = (ms: number) => () => new Date(Date.now() + ms);

describe('weibo live: an attempt that got no answer', () => {
  it('accepted, then no answer (timeout 1s): pending with {posting} kept; the next run gets 20019 and records it sent: one post in all', async () => {
    const root = liveProject(wb.dirs, { timeout: '1s' });
    const env = envFor(wb.fake);
    wb.fake.fault('statuses/share.json', { kind: 'accept-then-hang' });
    await approve(t, root, env);
    const started = Date.now();
    const first = await publishUntilWait(t, root, env);
    expect(Date.now() - started).toBeLessThan(5_000); // the 1 s timeout, not the 20 s default
    let d = await weiboDelivery(root);
    expect(d.state).toBe('pending');
    expect(d.lastError).toMatch(NO_ANSWER);
    expect(logLines(first.log).find((l) => l.level === 40)).toMatchObject({ failure: 'transient' });
    expect(wb.fake.posts).toHaveLength(1); // the fake did post it
    expect(shares(wb.fake)[0].answer).toBeUndefined();
    const sent = statusOf(shares(wb.fake)[0]);
    expect(d.checkpoint?.posting).toEqual({ at: expect.any(String), text: sent });
    const postingAt = (d.checkpoint!.posting as { at: string }).at;

    // `advisory retry` does not requeue a pending delivery: the retry time has to come. The clock an hour on makes it due.
    const r = await publish(t, root, env, { approve: false, now: ahead(HOUR) });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('2014-national-day: 1 sent, 0 failed, 0 held, 0 missed');
    const calls = shares(wb.fake);
    expect(calls).toHaveLength(2);
    expect(statusOf(calls[1])).toBe(sent); // the same text again
    expect(calls[1].answer).toMatchObject({ status: 400, body: { error_code: 20019 } });
    expect(wb.fake.posts).toHaveLength(1);
    d = await weiboDelivery(root);
    expect(d.state).toBe('sent');
    expect(d.receipt).toMatchObject({
      id: expect.stringMatching(/^posted-unconfirmed-[0-9a-f]{12}$/),
      details: { text: sent, idUnknown: true, confirmedBy: `error_code 20019 (repeat content) after attempt with no answer at ${postingAt}` },
    });
  });

  it('the same with error_code as a string ("20019"): confirmed as posted', async () => {
    await withWeiboFake({ stringCodes: true }, async (fake) => {
      const root = liveProject(wb.dirs, { timeout: '1s' });
      const env = envFor(fake);
      fake.fault('statuses/share.json', { kind: 'accept-then-hang' });
      await approve(t, root, env);
      await publishUntilWait(t, root, env);
      const r = await publish(t, root, env, { approve: false, now: ahead(HOUR) });
      expect(r.code, r.out + r.err).toBe(0);
      expect((shares(fake)[1].answer!.body as { error_code: unknown }).error_code).toBe('20019');
      expect(fake.posts).toHaveLength(1);
      expect((await weiboDelivery(root)).receipt?.details).toMatchObject({ confirmedBy: expect.stringMatching(/^error_code 20019 \(repeat content\)/) });
    });
  });

  it.each(['hang', 'drop'] as const)('never reached Weibo (%s): pending with {posting} kept; the next run posts it, once, with its real id', async (kind) => {
    const root = liveProject(wb.dirs, { timeout: '1s' });
    const env = envFor(wb.fake);
    wb.fake.fault('statuses/share.json', { kind });
    await approve(t, root, env);
    await publishUntilWait(t, root, env);
    let d = await weiboDelivery(root);
    expect(d.state).toBe('pending');
    expect(d.lastError).toMatch(kind === 'hang' ? NO_ANSWER : /share\.json: no answer \(.+\); the request may have been carried out/);
    expect(wb.fake.posts).toHaveLength(0);
    expect(d.checkpoint?.posting).toBeDefined();

    const r = await publish(t, root, env, { approve: false, now: ahead(HOUR) });
    expect(r.code, r.out + r.err).toBe(0);
    expect(shares(wb.fake)).toHaveLength(2);
    expect(statusOf(shares(wb.fake)[1])).toBe(statusOf(shares(wb.fake)[0]));
    expect(wb.fake.posts).toHaveLength(1);
    d = await weiboDelivery(root);
    expect(d.state).toBe('sent');
    expect(d.receipt?.id).toBe(wb.fake.posts[0].idstr);
    expect(d.receipt?.details).not.toHaveProperty('confirmedBy');
  });

  it('publish --now alone rides it out: times out, waits the backoff, resends, takes 20019 as posted (one post)', async () => {
    const root = liveProject(wb.dirs, { timeout: '1s' });
    const env = envFor(wb.fake);
    wb.fake.fault('statuses/share.json', { kind: 'accept-then-hang' });
    const r = await publish(t, root, env);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.err).toMatch(/waiting \d+ s for the next attempt/);
    expect(shares(wb.fake)).toHaveLength(2);
    expect(wb.fake.posts).toHaveLength(1);
    const d = await weiboDelivery(root);
    expect(d).toMatchObject({ state: 'sent', attempts: 2, receipt: { details: { confirmedBy: expect.stringMatching(/^error_code 20019/) } } });
  }, 20_000);

  it('a run after the timeout that fails otherwise (10001) keeps {posting}: the one after it still takes 20019 as posted', async () => {
    const root = liveProject(wb.dirs, { timeout: '1s' });
    const env = envFor(wb.fake);
    wb.fake.fault('statuses/share.json', { kind: 'accept-then-hang' }, { kind: 'error', code: 10001, status: 500 });
    await approve(t, root, env);
    await publishUntilWait(t, root, env);
    await publishUntilWait(t, root, env, { now: ahead(HOUR) });
    let d = await weiboDelivery(root);
    expect(d.state).toBe('pending');
    expect(d.lastError).toMatch(/error_code 10001/);
    expect(d.checkpoint?.posting).toBeDefined();
    const r = await publish(t, root, env, { approve: false, now: ahead(2 * HOUR) });
    expect(r.code, r.out + r.err).toBe(0);
    d = await weiboDelivery(root);
    expect(d.receipt?.details).toMatchObject({ confirmedBy: expect.stringMatching(/^error_code 20019/) });
    expect(shares(wb.fake)).toHaveLength(3);
    expect(wb.fake.posts).toHaveLength(1);
  });

  it('refused connection (certainly not reached): {posting} is cleared, so a later 20019 would not be taken as this post', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const root = liveProject(wb.dirs);
    const env = envFor(wb.fake, { WEIBO_API_BASE: `http://127.0.0.1:${port}` });
    await approve(t, root, env);
    const u = await publishUntilWait(t, root, env);
    const d = await weiboDelivery(root);
    expect(d.state).toBe('pending');
    expect(d.lastError).toMatch(/share\.json: could not reach the server \(connection refused\)/);
    expect(d.lastError).not.toMatch(/may have been carried out/);
    expect(d.checkpoint?.posting).toBeUndefined();
    // Asking for the token's life failed too: a warning, never a failure of the post.
    expect(logLines(u.log).some((l) => l.msg === 'could not ask Weibo how long the token has left')).toBe(true);
  });
});

describe('weibo live: the hourly rate limit', () => {
  it('10023 (ratePerHour 0): pending until the next full hour; publish run again before then calls nothing; after it, one call', async () => {
    await withWeiboFake({ ratePerHour: 0 }, async (fake) => {
      const root = liveProject(wb.dirs);
      const env = envFor(fake);
      await approve(t, root, env);
      await publishUntilWait(t, root, env);
      const d = await weiboDelivery(root);
      expect(d.state).toBe('pending');
      expect(d.lastError).toMatch(/the account's requests are over Weibo's rate limit\. .*HTTP 403, error_code 10023/);
      const next = Date.parse(d.nextAttemptAt!);
      expect(next % HOUR).toBeGreaterThanOrEqual(60_000);
      expect(next % HOUR).toBeLessThan(61_000);
      expect(next).toBeGreaterThan(Date.now());
      expect(shares(fake)).toHaveLength(1);

      // `advisory status` says when, and why (exit 4: work is owed and no dispatcher runs).
      const status = await cli(t, ['status', '--root', root], env);
      expect(status.code).toBe(4);
      expect(status.out).toContain(`${d.key}: next attempt ${localTime(d.nextAttemptAt!)} (after 1 attempt; last: the account's requests are over Weibo's rate limit.`);

      // Run again, twice, before the hour: nothing is due, so nothing is called (it only waits).
      for (let i = 0; i < 2; i++) {
        const again = await publishUntilWait(t, root, env);
        expect(again.outcome).toBeNull();
        const waiting = again.progress.find((l) => /^waiting \d+ s for the next attempt$/.test(l));
        expect(waiting, again.progress.join('\n')).toBeDefined();
        const seconds = Number(/waiting (\d+) s/.exec(waiting!)![1]);
        expect(Math.abs(seconds * 1000 - (next - Date.now()))).toBeLessThan(2_000);
        expect(again.progress.join('\n')).toMatch(/weibo: resuming .*: 1 not finished, 0 already sent/);
      }
      expect(shares(fake)).toHaveLength(1);
      expect((await weiboDelivery(root)).attempts).toBe(1);

      // Past that time: exactly one more call (still limited: pending again, for the hour after).
      const later = next + 5 * 60_000;
      await publishUntilWait(t, root, env, { now: () => new Date(later + (Date.now() % 1000)) });
      expect(shares(fake)).toHaveLength(2);
      const d2 = await weiboDelivery(root);
      expect(d2).toMatchObject({ state: 'pending', attempts: 2 });
      expect(Date.parse(d2.nextAttemptAt!)).toBeGreaterThan(later);
    });
  });

  it('after the hour Weibo takes it: sent, one post', async () => {
    const root = liveProject(wb.dirs);
    const env = envFor(wb.fake);
    wb.fake.fault('statuses/share.json', { kind: 'error', code: 10023, status: 403, message: 'User requests out of rate limit!' });
    await approve(t, root, env);
    await publishUntilWait(t, root, env);
    expect((await weiboDelivery(root)).state).toBe('pending');
    const r = await publish(t, root, env, { approve: false, now: ahead(HOUR + 2 * 60_000) });
    expect(r.code, r.out + r.err).toBe(0);
    expect(shares(wb.fake)).toHaveLength(2);
    expect(wb.fake.posts).toHaveLength(1);
    expect(wb.fake.posts[0].text).toContain(`${LIVE_BASE_URL}/2014-national-day/`);
    expect((await weiboDelivery(root)).state).toBe('sent');
  });
});
