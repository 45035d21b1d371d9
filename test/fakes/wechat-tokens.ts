/**
 * The WeChat fake's access tokens (channel-apis.md §1.1): stable_token hands out the same token
 * while it is valid and renews it `renewBeforeMs` early, leaving the old one alive until it
 * expires; a forced refresh and the classic /cgi-bin/token supersede the previous token at once.
 */
import { randomText, type Clock } from './http.js';
import { fail } from './wechat-rules.js';

interface TokenState {
  expiresAt: number;
  state: 'valid' | 'superseded' | 'invalidated';
}

export interface IssuedToken {
  access_token: string;
  expires_in: number;
}

export class WechatTokens {
  issued = 0;
  forceRefreshes = 0;
  private readonly tokens = new Map<string, TokenState>();
  private readonly current: { stable?: string; classic?: string } = {};

  constructor(
    private readonly now: Clock,
    private readonly ttlMs: number,
    private readonly renewBeforeMs: number,
  ) {}

  /** stable_token: the current token while fresh, else a new one; `force` supersedes the current one. */
  stable(force: boolean): IssuedToken {
    const current = this.current.stable;
    if (force) {
      this.forceRefreshes++;
      if (current) this.tokens.get(current)!.state = 'superseded';
      return this.answer(this.mint('stable'));
    }
    const state = current ? this.tokens.get(current) : undefined;
    const fresh = state?.state === 'valid' && state.expiresAt - this.now() > this.renewBeforeMs;
    return this.answer(fresh ? current! : this.mint('stable'));
  }

  /** The classic /cgi-bin/token: a new token on every call; the previous classic one stops working. */
  classic(): IssuedToken {
    const previous = this.current.classic;
    if (previous) this.tokens.get(previous)!.state = 'superseded';
    return this.answer(this.mint('classic'));
  }

  /** Throws the WeChat error a business call gets with this token, if any. */
  authenticate(token: string | undefined): void {
    if (!token) fail(41001, 'access_token missing');
    const state = this.tokens.get(token);
    if (!state || state.state === 'superseded') fail(40001, 'invalid credential, access_token is invalid or not latest');
    if (state.state === 'invalidated') fail(40014, 'invalid access_token');
    if (this.now() >= state.expiresAt) fail(42001, 'access_token expired');
  }

  expire(token?: string): void {
    for (const [t, state] of this.tokens) if (!token || t === token) state.expiresAt = Math.min(state.expiresAt, this.now());
  }

  invalidate(token?: string): void {
    for (const [t, state] of this.tokens) if ((!token || t === token) && state.state === 'valid') state.state = 'invalidated';
  }

  private mint(kind: 'stable' | 'classic'): string {
    const token = randomText(140);
    this.tokens.set(token, { expiresAt: this.now() + this.ttlMs, state: 'valid' });
    this.current[kind] = token;
    this.issued++;
    return token;
  }

  private answer(token: string): IssuedToken {
    return { access_token: token, expires_in: Math.max(0, Math.ceil((this.tokens.get(token)!.expiresAt - this.now()) / 1000)) };
  }
}
