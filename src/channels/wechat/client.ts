/**
 * The WeChat Official Account API client (channel-apis.md §1, §4): the live
 * transport of the wechat channel.
 *
 * - Token: `stable_token` in normal mode, cached in the ledger (channel state)
 *   until `expires_in − 300 s`, so a restart or a second process does not fetch
 *   again; one request in flight per process (single-flight). On 40001/40014/
 *   42001 from a business call: the token is dropped, fetched again and that
 *   call retried exactly once. Never a forced refresh.
 * - Uploads are cached by the image's sha256 (in the ledger): nothing is
 *   uploaded twice, by a retry or by the next campaign.
 * - Every answer is parsed as JSON whatever its status or Content-Type; a
 *   non-zero `errcode` becomes a classified WechatApiError (errors.ts).
 */
import type { ChannelState, Closable } from '../channel.js';
import { apiCall, imageMediaType, type ApiAnswer } from '../api-call.js';
import { ChannelError } from '../../errors.js';
import { WechatApiError } from './errors.js';
import type { WechatArticle } from './article.js';

export interface WechatClientOptions {
  apiBase: string;
  appid: string;
  secret: string;
  timeoutMs: number;
  fetch: typeof fetch;
  state: () => Promise<ChannelState>;
  now: () => Date;
}

/** A publish job's state, from freepublish/get or the PUBLISHJOBFINISH event. */
export interface PublishJob {
  publishId: string;
  /** 0 published, 1 publishing, 2–4 failed, 5 deleted, 6 banned (§1.3). */
  status: number;
  articleId?: string;
  urls: string[];
  failIdx: number[];
  /** Where the answer came from. */
  source: 'event' | 'poll';
}

interface CachedToken {
  token: string;
  /** When to stop using it (ms since epoch): expires_in − 300 s after it was fetched. */
  until: number;
}

export interface WechatClient extends Closable {
  readonly live: true;
  readonly appid: string;
  /** A valid access token: the cached one while it is good, unless `fresh` (verify: ask WeChat, normal mode, never forced). */
  token(opts?: { fresh?: boolean }): Promise<string>;
  uploadCover(bytes: Buffer, sha256: string, filename: string): Promise<{ mediaId: string; url: string }>;
  uploadInline(bytes: Buffer, sha256: string, filename: string): Promise<string>;
  addDraft(articles: WechatArticle[]): Promise<string>;
  submit(draftMediaId: string): Promise<{ publishId: string; msgDataId?: string }>;
  publishJob(publishId: string): Promise<PublishJob>;
  massSend(draftMediaId: string, clientmsgid: string): Promise<{ msgId: string; duplicate: boolean }>;
  /** Forgets cached uploads (WeChat no longer knows a media_id: the next attempt uploads again). */
  forgetUploads(images: Array<{ role: string; sha256: string }>): Promise<void>;
}

const TOKEN_STATE = (appid: string) => `wechat:token:${appid}`;
const UPLOAD_STATE = (appid: string, kind: string, sha: string) => `wechat:upload:${appid}:${kind}:${sha}`;

export function createWechatClient(o: WechatClientOptions): WechatClient {
  const base = o.apiBase.replace(/\/+$/, '');
  let memory: CachedToken | null = null;
  let inFlight: Promise<CachedToken> | null = null;

  const valid = (t: CachedToken | null): t is CachedToken => t !== null && t.until > o.now().getTime();

  async function fetchToken(): Promise<CachedToken> {
    const endpoint = '/cgi-bin/stable_token';
    const answer = await apiCall('wechat', o.fetch, {
      url: `${base}${endpoint}`, endpoint, timeoutMs: o.timeoutMs,
      json: { grant_type: 'client_credential', appid: o.appid, secret: o.secret, force_refresh: false },
    });
    const body = expectOk(endpoint, answer, true);
    const token = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) {
      throw new ChannelError('wechat', 'transient', `${endpoint} answered without a token (HTTP ${answer.status})`);
    }
    // The platform renews 5 minutes early; stop using it then (at least a minute of use, whatever expires_in says).
    const t = { token, until: o.now().getTime() + Math.max(60, expiresIn - 300) * 1000 };
    await (await o.state()).set(TOKEN_STATE(o.appid), JSON.stringify(t));
    return t;
  }

  async function token(opts: { fresh?: boolean } = {}): Promise<string> {
    if (opts.fresh) return (memory = await fetchToken()).token;
    if (valid(memory)) return memory.token;
    inFlight ??= (async () => {
      try {
        const saved = await (await o.state()).get(TOKEN_STATE(o.appid));
        const cached = saved ? (JSON.parse(saved) as CachedToken) : null;
        return valid(cached) ? cached : await fetchToken();
      } finally {
        inFlight = null;
      }
    })();
    memory = await inFlight;
    return memory.token;
  }

  /** Forgets `used` (only if it is still the cached one: another call may have renewed it already). */
  async function dropToken(used: string): Promise<void> {
    if (memory?.token === used) memory = null;
    const state = await o.state();
    const saved = await state.get(TOKEN_STATE(o.appid));
    if (saved && (JSON.parse(saved) as CachedToken).token === used) await state.delete(TOKEN_STATE(o.appid));
  }

  /** A business call with the token; on a stale-token answer, one fresh token and exactly one more try. */
  async function call(endpoint: string, request: { json?: unknown; multipart?: () => FormData; query?: string }): Promise<Record<string, unknown>> {
    for (let round = 1; ; round++) {
      const t = await token();
      const answer = await apiCall('wechat', o.fetch, {
        url: `${base}${endpoint}?access_token=${encodeURIComponent(t)}${request.query ?? ''}`, endpoint, timeoutMs: o.timeoutMs,
        json: request.json, multipart: request.multipart?.(),
      });
      try {
        return expectOk(endpoint, answer, false);
      } catch (err) {
        if (!(err instanceof WechatApiError) || !err.refresh || round > 1) throw err;
        await dropToken(t);
      }
    }
  }

  function expectOk(endpoint: string, answer: ApiAnswer, tokenCall: boolean): Record<string, unknown> {
    const body = answer.body;
    const errcode = Number(body?.errcode ?? 0);
    // WeChat answers 200 with an errcode; anything else without one (a gateway's page or JSON of its own) is not its answer.
    if (!body || (errcode === 0 && (answer.status < 200 || answer.status > 299))) {
      const failure = answer.status >= 500 || answer.status === 429 ? 'transient' : 'permanent';
      throw new ChannelError('wechat', failure, `${endpoint} answered HTTP ${answer.status}${body ? '' : ' without JSON'}: ${answer.text.slice(0, 120) || '(empty)'}`, { channelCode: `HTTP ${answer.status}` });
    }
    if (errcode !== 0) throw new WechatApiError(endpoint, errcode, String(body.errmsg ?? ''), { tokenCall, now: o.now(), answer: body });
    return body;
  }

  /** An upload, once per image: the answer is kept in the ledger under the image's sha256. */
  async function uploadOnce<T>(kind: string, sha: string, upload: () => Promise<T>): Promise<T> {
    const state = await o.state();
    const saved = await state.get(UPLOAD_STATE(o.appid, kind, sha));
    if (saved) return JSON.parse(saved) as T;
    const done = await upload();
    await state.set(UPLOAD_STATE(o.appid, kind, sha), JSON.stringify(done));
    return done;
  }

  const media = (bytes: Buffer, filename: string) => () => {
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(bytes)], { type: imageMediaType(bytes) }), filename);
    return form;
  };

  return {
    live: true,
    appid: o.appid,
    token,
    uploadCover: (bytes, sha, filename) => uploadOnce('cover', sha, async () => {
      const body = await call('/cgi-bin/material/add_material', { multipart: media(bytes, filename), query: '&type=image' });
      // Checked before it is cached: a cached "undefined" would fail every later draft with 40007.
      if (typeof body.media_id !== 'string' || body.media_id === '') throw new ChannelError('wechat', 'transient', '/cgi-bin/material/add_material answered without a media_id');
      return { mediaId: body.media_id, url: String(body.url ?? '') };
    }),
    uploadInline: (bytes, sha, filename) => uploadOnce('inline', sha, async () => {
      const body = await call('/cgi-bin/media/uploadimg', { multipart: media(bytes, filename) });
      if (typeof body.url !== 'string') throw new ChannelError('wechat', 'transient', '/cgi-bin/media/uploadimg answered without a url');
      return body.url;
    }),
    async addDraft(articles) {
      const body = await call('/cgi-bin/draft/add', { json: { articles } });
      if (typeof body.media_id !== 'string') throw new ChannelError('wechat', 'transient', '/cgi-bin/draft/add answered without a media_id');
      return body.media_id;
    },
    async submit(draftMediaId) {
      const body = await call('/cgi-bin/freepublish/submit', { json: { media_id: draftMediaId } });
      if (body.publish_id === undefined) throw new ChannelError('wechat', 'needs-person', '/cgi-bin/freepublish/submit answered without a publish_id');
      return { publishId: String(body.publish_id), msgDataId: body.msg_data_id === undefined ? undefined : String(body.msg_data_id) };
    },
    async publishJob(publishId) {
      const body = await call('/cgi-bin/freepublish/get', { json: { publish_id: publishId } });
      return jobFrom(body, 'poll');
    },
    async forgetUploads(images) {
      const state = await o.state();
      for (const i of images) await state.delete(UPLOAD_STATE(o.appid, i.role, i.sha256));
    },
    async massSend(draftMediaId, clientmsgid) {
      const json = { filter: { is_to_all: true }, mpnews: { media_id: draftMediaId }, msgtype: 'mpnews', send_ignore_reprint: 0, clientmsgid };
      try {
        const body = await call('/cgi-bin/message/mass/sendall', { json });
        return { msgId: String(body.msg_id ?? ''), duplicate: false };
      } catch (err) {
        // 45065: this clientmsgid was sent already (an earlier attempt got through): done, not again. The answer carries that send's msg_id.
        if (err instanceof WechatApiError && err.errcode === 45065) {
          const earlier = err.answer?.msg_id;
          return { msgId: earlier === undefined || earlier === null || earlier === '' ? 'sent-earlier' : String(earlier), duplicate: true };
        }
        throw err;
      }
    },
  };
}

/** A job from freepublish/get's answer or the event's PublishEventInfo (same field names). */
export function jobFrom(body: Record<string, unknown>, source: PublishJob['source']): PublishJob {
  const detail = body.article_detail as { item?: unknown } | undefined;
  const items = Array.isArray(detail?.item) ? detail.item : detail?.item ? [detail.item] : [];
  const failIdx = Array.isArray(body.fail_idx) ? body.fail_idx : body.fail_idx === undefined || body.fail_idx === '' ? [] : [body.fail_idx];
  return {
    publishId: String(body.publish_id),
    status: Number(body.publish_status),
    ...(body.article_id ? { articleId: String(body.article_id) } : {}),
    urls: items.map((i) => String((i as { article_url?: unknown }).article_url ?? '')).filter(Boolean),
    failIdx: failIdx.map(Number).filter(Number.isFinite),
    source,
  };
}
