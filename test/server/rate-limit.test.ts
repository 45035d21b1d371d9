/** The sign-up form's rate limiter and the client address it counts by. */
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { clientAddress, RateLimiter } from '../../src/server/rate-limit.js';

describe('RateLimiter', () => {
  it('allows max uses in a sliding window, then says when the oldest of them leaves it', () => {
    const limiter = new RateLimiter({ max: 3, windowMs: 1000 });
    expect([limiter.take('a', 0), limiter.take('a', 100), limiter.take('a', 200)]).toEqual([null, null, null]);
    expect(limiter.take('a', 300)).toBe(1000);
    expect(limiter.take('b', 300)).toBeNull();
    // A refused try is not counted: at 1000 the first use has left the window.
    expect(limiter.take('a', 999)).toBe(1000);
    expect(limiter.take('a', 1000)).toBeNull();
    expect(limiter.take('a', 1001)).toBe(1100);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const limiter = new RateLimiter({ max: 1, windowMs: 60_000 });
    for (let i = 0; i < 60_000; i++) limiter.take(`k${i}`, i);
    expect((limiter as unknown as { hits: Map<string, number[]> }).hits.size).toBeLessThanOrEqual(50_000);
    expect(limiter.take('k59999', 59_999)).toBe(119_999);
  });
});

describe('clientAddress', () => {
  const req = (remoteAddress: string, xff?: string) => ({ socket: { remoteAddress }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as IncomingMessage;
  it('is the last X-Forwarded-For entry (the one the proxy added) from loopback, else the connection\'s own', () => {
    expect(clientAddress(req('127.0.0.1', 'made-up, 198.51.100.7'))).toBe('198.51.100.7');
    expect(clientAddress(req('::ffff:127.0.0.1', '198.51.100.8'))).toBe('198.51.100.8');
    expect(clientAddress(req('127.0.0.1'))).toBe('127.0.0.1');
    expect(clientAddress(req('203.0.113.9', '198.51.100.7'))).toBe('203.0.113.9');
  });
});
