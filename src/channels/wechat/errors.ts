/**
 * WeChat's error codes, classified as channel-apis.md §3 says: what the
 * delivery layer does with each (retry, wait, ask a person, give up) and what
 * to tell staff. Branch on `errcode`, never on `errmsg`; the `rid` that ends
 * `errmsg` goes into the message (WeChat support asks for it).
 */
import { ChannelError, type FailureClass } from '../../errors.js';

interface Rule {
  failure: FailureClass | 'refresh';
  /** What it means and what to do, in plain words. */
  say: string;
  /** For rate limits: how long to wait (ms), or 'quota-day' for the next daily reset. */
  wait?: number | 'quota-day';
}

export const WECHAT_ERRORS: Readonly<Record<number, Rule>> = {
  [-1]: { failure: 'transient', say: 'WeChat is busy; trying again shortly' },
  40001: { failure: 'refresh', say: 'the access token is invalid or not the latest' },
  40014: { failure: 'refresh', say: 'the access token is invalid' },
  42001: { failure: 'refresh', say: 'the access token expired' },
  40164: { failure: 'permanent', say: "this server's IP address is not on the account's IP whitelist: add it under 设置与开发 → 基本配置 → IP白名单 on mp.weixin.qq.com" },
  40013: { failure: 'permanent', say: 'the AppID is wrong: check WECHAT_APPID against 基本配置 on mp.weixin.qq.com' },
  40125: { failure: 'permanent', say: 'the AppSecret is wrong: check WECHAT_SECRET (reset it under 基本配置 if nobody has it)' },
  40243: { failure: 'permanent', say: 'the AppSecret is frozen: unfreeze it under 基本配置 on mp.weixin.qq.com' },
  89503: { failure: 'needs-person', say: "WeChat holds this call from an unfamiliar IP until the account's administrator approves it on their phone; approve it, then retry" },
  45009: { failure: 'rate-limited', say: "the account's daily quota for this API is used up; it resets at midnight (Beijing time)", wait: 'quota-day' },
  45011: { failure: 'rate-limited', say: 'too many calls this minute', wait: 60_000 },
  40007: { failure: 'permanent', say: 'WeChat does not know this media_id (a cover must be permanent material)' },
  40005: { failure: 'permanent', say: 'WeChat refuses this image type: use JPEG or PNG' },
  40009: { failure: 'permanent', say: 'the image is too large for WeChat: keep it under 1 MB (inline) or 2 MB (cover)' },
  45002: { failure: 'permanent', say: 'the article is too long for WeChat (`advisory check` should have said so)' },
  45003: { failure: 'permanent', say: 'a title is longer than 32 characters (`advisory check` should have said so)' },
  45004: { failure: 'permanent', say: 'a summary is longer than WeChat allows (`advisory check` should have said so)' },
  45166: { failure: 'permanent', say: 'WeChat refuses the article content as invalid' },
  48001: { failure: 'permanent', say: 'this account is not authorized for this API (free publish needs a verified account since July 2025)' },
  53503: { failure: 'needs-person', say: 'the draft failed WeChat\'s publish check: open it on mp.weixin.qq.com to see why' },
  53504: { failure: 'needs-person', say: 'WeChat requires this to be published on the web console (mp.weixin.qq.com)' },
  53505: { failure: 'needs-person', say: 'WeChat requires this to be published on the web console (mp.weixin.qq.com)' },
  45028: { failure: 'permanent', say: 'no mass-send quota left for this period' },
  45066: { failure: 'rate-limited', say: 'the same mass send was retried too fast', wait: 60_000 },
  45067: { failure: 'permanent', say: 'the clientmsgid is too long' },
};

/** 40001 on the token call itself means a wrong secret, not a stale token. */
const TOKEN_CALL: Readonly<Record<number, Rule>> = {
  40001: { failure: 'permanent', say: 'the AppSecret is wrong: check WECHAT_SECRET against 基本配置 on mp.weixin.qq.com' },
  40002: { failure: 'permanent', say: 'the token request was malformed (grant_type)' },
};

/** The rid WeChat ends errmsg with (` rid: 5f1c…`). */
export function ridOf(errmsg: string): string | undefined {
  return /\brid:\s*([\w-]+)/.exec(errmsg)?.[1];
}

/** The IP WeChat saw, from a 40164 errmsg (`invalid ip 203.0.113.9 ipv6 …, not in whitelist`). */
export function ipOf(errmsg: string): string | undefined {
  return /invalid ip\s+([0-9a-f.:]+)/i.exec(errmsg)?.[1];
}

export class WechatApiError extends ChannelError {
  readonly errcode: number;
  readonly rid?: string;
  readonly refresh: boolean;
  /** WeChat's whole answer (45065 carries the earlier send's msg_id). */
  readonly answer?: Record<string, unknown>;
  constructor(endpoint: string, errcode: number, errmsg: string, opts: { tokenCall?: boolean; now?: Date; answer?: Record<string, unknown> } = {}) {
    const rule = (opts.tokenCall ? TOKEN_CALL[errcode] : undefined) ?? WECHAT_ERRORS[errcode];
    const rid = ridOf(errmsg);
    const ip = errcode === 40164 ? ipOf(errmsg) : undefined;
    const failure: FailureClass = !rule ? 'permanent' : rule.failure === 'refresh' ? 'auth' : rule.failure;
    const say = rule ? rule.say : 'an error this version does not know; not retried';
    const detail = `${endpoint} answered ${errcode} (${errmsg.replace(/\s*rid:\s*[\w-]+\s*$/, '').trim() || 'no message'})`;
    const message = `${say}${ip ? ` (WeChat saw the IP ${ip})` : ''}. ${detail}${rid ? `, rid ${rid}` : ''}`;
    super('wechat', failure, message, { channelCode: errcode, retryAfterMs: rule?.wait === undefined ? undefined : waitMs(rule.wait, opts.now ?? new Date()) });
    this.errcode = errcode;
    this.rid = rid;
    this.refresh = rule?.failure === 'refresh';
    this.answer = opts.answer;
  }
}

/** Milliseconds until `wait`: a fixed time, or the next midnight in Beijing (UTC+8, no daylight saving) when daily quotas reset. */
export function waitMs(wait: number | 'quota-day', now: Date): number {
  if (wait !== 'quota-day') return wait;
  const beijing = now.getTime() + 8 * 3_600_000;
  const nextMidnight = Math.floor(beijing / 86_400_000 + 1) * 86_400_000;
  // A minute past midnight: the reset is not instant everywhere.
  return nextMidnight - beijing + 60_000;
}
