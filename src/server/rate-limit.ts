/**
 * How often the public sign-up form may be used: per client address (a bot
 * filling the form) and per e-mail address (someone's mailbox flooded with
 * confirmation mails). Kept in memory: one daemon serves the form, and a
 * restart forgetting the counts is harmless (the limits are against floods,
 * not a ledger). Sliding windows; bounded in size.
 */
import type { IncomingMessage } from 'node:http';

export interface Limit {
  max: number;
  windowMs: number;
}

export interface SubscribeLimits {
  perIp: Limit;
  perAddress: Limit;
}

/** 5 sign-ups per client in 10 minutes; 3 mails to one address a day. */
export const DEFAULT_SUBSCRIBE_LIMITS: SubscribeLimits = {
  perIp: { max: 5, windowMs: 10 * 60_000 },
  perAddress: { max: 3, windowMs: 24 * 3600_000 },
};

/** Keys kept before old ones are dropped (a flood from many addresses must not grow memory without bound). */
const MAX_KEYS = 50_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly limit: Limit) {}

  /**
   * Counts one use of `key` at `now` (ms) and returns null, or, when the key
   * has used its limit within the window, counts nothing and returns when it
   * may try again (ms).
   */
  take(key: string, now: number): number | null {
    const since = now - this.limit.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.limit.max) {
      this.hits.set(key, recent);
      return recent[recent.length - this.limit.max] + this.limit.windowMs;
    }
    recent.push(now);
    this.hits.delete(key); // re-inserted last: the Map's order is least recently used first
    this.hits.set(key, recent);
    if (this.hits.size > MAX_KEYS) this.sweep(since);
    return null;
  }

  /** When `key` may try again (ms) if it has used its limit within the window, else null; counts nothing. */
  blocked(key: string, now: number): number | null {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.limit.windowMs);
    return recent.length >= this.limit.max ? recent[recent.length - this.limit.max] + this.limit.windowMs : null;
  }

  private sweep(since: number): void {
    for (const [key, times] of this.hits) {
      if (times[times.length - 1] <= since) this.hits.delete(key);
    }
    for (const key of this.hits.keys()) {
      if (this.hits.size <= MAX_KEYS * 0.9) break;
      this.hits.delete(key);
    }
  }
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Whether the connection comes from this machine (a local browser, or the bureau's reverse proxy). */
export const fromLoopback = (req: IncomingMessage) => LOOPBACK.test(req.socket.remoteAddress ?? '');

/**
 * The client's address. The daemon listens on loopback behind the bureau's
 * reverse proxy, which appends the client's address to X-Forwarded-For: the
 * last entry is the one the proxy saw (earlier ones the client may have made
 * up). A direct connection from elsewhere counts by its own address.
 */
export function clientAddress(req: IncomingMessage): string {
  const remote = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  if (!LOOPBACK.test(remote) || !forwarded) return remote;
  const last = String(forwarded).split(',').map((s) => s.trim()).filter(Boolean).pop();
  return last ?? remote;
}
