/**
 * The Sina Weibo API client (channel-apis.md §2): `statuses/share.json` and
 * `oauth2/get_token_info`. The token goes in the `Authorization: OAuth2`
 * header, never in a URL. Success needs `idstr` (`id` exceeds 2^53); a body
 * without one is a failure whatever the HTTP status.
 */
import type { ChannelState, Closable } from '../channel.js';
import { apiCall, imageMediaType, type ApiAnswer } from '../api-call.js';
import { ChannelError } from '../../errors.js';
import { sha256 } from '../../hash.js';
import { WeiboApiError } from './errors.js';

export interface WeiboClientOptions {
  apiBase: string;
  token: string;
  timeoutMs: number;
  fetch: typeof fetch;
  state: () => Promise<ChannelState>;
  now: () => Date;
}

export interface PostedStatus {
  idstr: string;
  text?: string;
  createdAt?: string;
  uid?: string;
}

export interface TokenInfo {
  /** Seconds of life left. */
  expireIn: number;
  uid?: string;
  /** When it was asked (ISO). */
  checkedAt: string;
  /** Which token it is about (tokenId): a token set since, after re-authorizing, is asked about afresh. */
  tokenId?: string;
}

export interface WeiboClient extends Closable {
  readonly live: true;
  share(status: string, rip: string, pic?: { bytes: Buffer; filename: string }): Promise<PostedStatus>;
  tokenInfo(): Promise<TokenInfo>;
  readonly state: () => Promise<ChannelState>;
  /** tokenId() of this client's token. */
  readonly tokenId: string;
}

export const TOKEN_INFO_STATE = 'weibo:token-info';

/** A short fingerprint of a token (not the token: it is kept in the ledger), to tell saved token info of an older token from this one's. */
export function tokenId(token: string): string {
  return sha256(`weibo-token:${token}`).slice(0, 12);
}

export function createWeiboClient(o: WeiboClientOptions): WeiboClient {
  const base = o.apiBase.replace(/\/+$/, '');
  const auth = { authorization: `OAuth2 ${o.token}` };

  function expectOk(endpoint: string, answer: ApiAnswer): Record<string, unknown> {
    const body = answer.body;
    if (body && body.error_code !== undefined) {
      throw new WeiboApiError(endpoint, Number(body.error_code), String(body.error ?? ''), answer.status, o.now());
    }
    if (!body || answer.status >= 400) {
      const failure = answer.status >= 500 || answer.status === 429 ? 'transient' : 'permanent';
      throw new ChannelError('weibo', failure, `${endpoint} answered HTTP ${answer.status} without an error code: ${answer.text.slice(0, 120) || '(empty)'}`, { channelCode: `HTTP ${answer.status}` });
    }
    return body;
  }

  return {
    live: true,
    state: o.state,
    tokenId: tokenId(o.token),
    async share(status, rip, pic) {
      const endpoint = '/2/statuses/share.json';
      const fields = { status, rip };
      let request: { form?: Record<string, string>; multipart?: FormData } = { form: fields };
      if (pic) {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append('pic', new Blob([new Uint8Array(pic.bytes)], { type: imageMediaType(pic.bytes) }), pic.filename);
        request = { multipart: form };
      }
      const answer = await apiCall('weibo', o.fetch, { url: `${base}${endpoint}`, endpoint, timeoutMs: o.timeoutMs, headers: auth, ...request });
      const body = expectOk(endpoint, answer);
      if (typeof body.idstr !== 'string' || !/^\d+$/.test(body.idstr)) {
        // Not a status object: whatever it is, it did not say the post exists.
        throw new ChannelError('weibo', 'transient', `${endpoint} answered HTTP ${answer.status} without idstr: ${answer.text.slice(0, 120)}`);
      }
      const user = body.user as { idstr?: unknown; id?: unknown } | undefined;
      return {
        idstr: body.idstr,
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(typeof body.created_at === 'string' ? { createdAt: body.created_at } : {}),
        ...(user ? { uid: String(user.idstr ?? user.id) } : {}),
      };
    },
    async tokenInfo() {
      const endpoint = '/oauth2/get_token_info';
      const answer = await apiCall('weibo', o.fetch, { url: `${base}${endpoint}`, endpoint, timeoutMs: o.timeoutMs, form: { access_token: o.token } });
      const body = expectOk(endpoint, answer);
      const expireIn = Number(body.expire_in);
      if (!Number.isFinite(expireIn)) throw new ChannelError('weibo', 'transient', `${endpoint} answered without expire_in`);
      const info: TokenInfo = { expireIn, ...(body.uid !== undefined ? { uid: String(body.uid) } : {}), checkedAt: o.now().toISOString(), tokenId: tokenId(o.token) };
      await (await o.state()).set(TOKEN_INFO_STATE, JSON.stringify(info));
      return info;
    },
  };
}
