/**
 * Weibo's error codes, classified as channel-apis.md §3 says. Weibo answers
 * errors with HTTP 4xx and `{"error", "error_code", "request"}`; `error_code`
 * may be a string.
 */
import { ChannelError, type FailureClass } from '../../errors.js';

interface Rule {
  failure: FailureClass;
  say: string;
  /** For rate limits: ms to wait, or 'next-hour'. */
  wait?: number | 'next-hour';
}

const REAUTHORIZE = 'the access token is expired or revoked: a person must authorize the app again (Weibo gives server apps no refresh token) and set WEIBO_ACCESS_TOKEN';
const REPEAT = 'Weibo refuses it as repeated content (the same text was posted already)';

export const WEIBO_ERRORS: Readonly<Record<number, Rule>> = {
  21327: { failure: 'needs-person', say: REAUTHORIZE },
  21332: { failure: 'needs-person', say: REAUTHORIZE },
  21501: { failure: 'needs-person', say: REAUTHORIZE },
  21315: { failure: 'needs-person', say: REAUTHORIZE },
  21319: { failure: 'needs-person', say: REAUTHORIZE },
  20019: { failure: 'permanent', say: REPEAT },
  20017: { failure: 'permanent', say: REPEAT },
  20038: { failure: 'permanent', say: REPEAT },
  20111: { failure: 'permanent', say: REPEAT },
  20012: { failure: 'permanent', say: 'the text is too long for Weibo' },
  20016: { failure: 'rate-limited', say: 'posting too often', wait: 30 * 60_000 },
  10022: { failure: 'rate-limited', say: "this IP's requests are over Weibo's rate limit", wait: 'next-hour' },
  10023: { failure: 'rate-limited', say: "the account's requests are over Weibo's rate limit", wait: 'next-hour' },
  10024: { failure: 'rate-limited', say: "requests to this endpoint are over Weibo's rate limit", wait: 'next-hour' },
  10017: { failure: 'permanent', say: "a parameter is refused (\"appkey not bind domain\": the link is not under the app's secure domain; set base_url in channels/website.yaml to the bureau's site and add that domain to the app's 安全域名 on open.weibo.com)" },
  20005: { failure: 'permanent', say: 'Weibo refuses the picture type: use JPEG, GIF or PNG' },
  20006: { failure: 'permanent', say: 'the picture is larger than Weibo allows (5 MB)' },
  20007: { failure: 'permanent', say: 'the picture was not sent as multipart (a bug here)' },
  10001: { failure: 'transient', say: 'Weibo system error' },
  10002: { failure: 'transient', say: 'Weibo service unavailable' },
  10003: { failure: 'transient', say: 'Weibo remote service error' },
  10009: { failure: 'transient', say: 'Weibo is busy' },
  10010: { failure: 'transient', say: 'Weibo timed out' },
};

export const REPEAT_CODES = new Set([20019, 20017, 20038, 20111]);
export const TOKEN_CODES = new Set([21327, 21332, 21501, 21315, 21319]);

export class WeiboApiError extends ChannelError {
  readonly errorCode: number;
  constructor(endpoint: string, code: number, error: string, httpStatus: number, now: Date) {
    const rule = WEIBO_ERRORS[code];
    const failure: FailureClass = rule ? rule.failure : httpStatus >= 500 ? 'transient' : 'permanent';
    const say = rule ? rule.say : httpStatus >= 500 ? 'Weibo failed' : 'an error this version does not know; not retried';
    super('weibo', failure, `${say}. ${endpoint} answered HTTP ${httpStatus}, error_code ${code} (${error || 'no message'})`, {
      channelCode: code,
      retryAfterMs: rule?.wait === undefined ? undefined : rule.wait === 'next-hour' ? untilNextHour(now) : rule.wait,
    });
    this.errorCode = code;
  }
}

/** Weibo's rate limits are hourly: the next full hour, and a minute. */
function untilNextHour(now: Date): number {
  return 3_600_000 - (now.getTime() % 3_600_000) + 60_000;
}
