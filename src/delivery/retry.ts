/**
 * The retry policy: the ONE place that turns a failed attempt into a decision.
 * Pure: (error, tries, random) → decision. The dispatcher applies it.
 */
import { ChannelError, type FailureClass } from '../errors.js';

export interface RetryPolicy {
  /** First backoff step for transient failures. */
  baseMs: number;
  /** Ceiling of one backoff step. */
  capMs: number;
  /** Attempts (this one included) after which a transient failure is final. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, capMs: 15 * 60_000, maxAttempts: 8 };

export type RetryDecision =
  | { action: 'retry'; delayMs: number; failure: FailureClass; message: string; channelCode?: string }
  | { action: 'fail'; failure: FailureClass; message: string; channelCode?: string }
  | { action: 'hold'; failure: FailureClass; message: string; channelCode?: string };

/**
 * @param error   what publish threw; anything that is not a ChannelError counts as transient
 * @param tries   1-based number of this attempt since the delivery was (re)queued
 * @param random  a number in [0, 1) (injected so tests pin the jitter)
 */
export function decide(error: unknown, tries: number, random: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  const ce = error instanceof ChannelError ? error : undefined;
  const failure: FailureClass = ce?.failure ?? 'transient';
  const message = ce ? ce.message : `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
  const base = { failure, message, ...(ce?.channelCode !== undefined ? { channelCode: ce.channelCode } : {}) };
  switch (failure) {
    case 'permanent':
      return { action: 'fail', ...base };
    case 'needs-person':
      return { action: 'hold', ...base, message: `needs a person: ${message}` };
    case 'auth':
      // The channel drops its token on an auth error; one more attempt with a fresh one, then a person must look.
      return tries < 2 ? { action: 'retry', delayMs: 0, ...base } : { action: 'hold', ...base, message: `authorization failed twice: ${message}` };
    case 'rate-limited': {
      if (tries >= policy.maxAttempts) return { action: 'fail', ...base, message: `still rate-limited after ${tries} attempts: ${message}` };
      const wait = ce?.retryAfterMs ?? backoff(tries, random, policy);
      return { action: 'retry', delayMs: Math.max(0, wait), ...base };
    }
    case 'transient':
    default:
      if (tries >= policy.maxAttempts) return { action: 'fail', ...base, message: `gave up after ${tries} attempts: ${message}` };
      return { action: 'retry', delayMs: backoff(tries, random, policy), ...base };
  }
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(tries−1))]. */
export function backoff(tries: number, random: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, tries - 1));
  return Math.floor(random * ceiling);
}
