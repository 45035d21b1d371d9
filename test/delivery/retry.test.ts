import { describe, expect, it } from 'vitest';
import { backoff, decide, DEFAULT_RETRY_POLICY } from '../../src/delivery/retry.js';
import { ChannelError } from '../../src/errors.js';

const p = { baseMs: 5_000, capMs: 900_000, maxAttempts: 8 };

describe('retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    expect(backoff(1, 0.999999, p)).toBe(4999);
    expect(backoff(3, 0.5, p)).toBe(10_000);
    expect(backoff(30, 0.999999, p)).toBe(899_999);
    expect(backoff(4, 0, p)).toBe(0);
  });
  it('retries transient failures, then gives up at the maximum', () => {
    const e = new ChannelError('wechat', 'transient', 'system busy', { channelCode: -1 });
    expect(decide(e, 2, 0.5, p)).toEqual({ action: 'retry', delayMs: 5_000, failure: 'transient', message: 'system busy', channelCode: '-1' });
    const last = decide(e, 8, 0.5, p);
    expect(last.action).toBe('fail');
    expect(last.message).toMatch(/gave up after 8 attempts: system busy/);
  });
  it('treats anything that is not a ChannelError as transient', () => {
    const d = decide(new TypeError('socket hang up'), 1, 0.25, p);
    expect(d).toMatchObject({ action: 'retry', failure: 'transient', delayMs: 1250 });
    expect(d.message).toContain('socket hang up');
  });
  it('waits exactly what a rate limit names', () => {
    expect(decide(new ChannelError('weibo', 'rate-limited', 'too often', { retryAfterMs: 3_600_000 }), 1, 0.9, p)).toMatchObject({ action: 'retry', delayMs: 3_600_000 });
  });
  it('fails permanent errors at once with the channel message', () => {
    expect(decide(new ChannelError('weibo', 'permanent', 'appkey not bind domain', { channelCode: 10017 }), 1, 0.5, p)).toEqual({
      action: 'fail', failure: 'permanent', message: 'appkey not bind domain', channelCode: '10017',
    });
  });
  it('gives auth failures exactly one more attempt, then holds for a person', () => {
    const e = new ChannelError('wechat', 'auth', 'access_token expired', { channelCode: 42001 });
    expect(decide(e, 1, 0.5, p)).toMatchObject({ action: 'retry', delayMs: 0 });
    expect(decide(e, 2, 0.5, p)).toMatchObject({ action: 'hold' });
  });
  it('holds needs-person failures', () => {
    expect(decide(new ChannelError('wechat', 'needs-person', 'risky IP', { channelCode: 89503 }), 1, 0.5)).toMatchObject({ action: 'hold', message: 'needs a person: risky IP' });
  });
  it('has sane defaults', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ baseMs: 5_000, capMs: 900_000, maxAttempts: 8 });
  });
});
