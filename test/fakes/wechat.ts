/**
 * A local fake of the WeChat Official Account API for channel-apis.md §1 and the WeChat rows of §3:
 * stable and classic access tokens (§1.1, with the IP whitelist), permanent and inline images (§1.2),
 * draft/add with the §1.5 limits, freepublish submit/get with the PUBLISHJOBFINISH push (§1.3), mass
 * send with clientmsgid de-duplication and its quota (§1.4), and the daily call quotas. Every answer is
 * HTTP 200 with `errcode`/`errmsg` ending in ' rid: …' (uploadimg always as text/plain), except an unknown
 * path: 404 'Not Found'. stable_token renews 5 minutes before expiry, as the platform does.
 *
 * Simplified: one account; tokens are opaque random text; a superseded classic token dies at once (no
 * 5-minute overlap); force_refresh has no 20/day or 30 s limit; no per-minute limits (45011), no
 * 89503/53503–53505, no MASSSENDJOBFINISH event; a push is sent once in plaintext mode and not retried
 * unless a test calls repush(); quota days are UTC days; permanent images are capped at 2 MB (the docs
 * also say 10 MB); an unknown publish_id is 53600; a fault's `code` is answered as a number.
 */
import { FakeApi, imageType, notFound, randomDigits, randomHex, randomText, isMultipart } from './http.js';
import type { Clock, ErrorFault, RecordedRequest, Reply, UploadedFile } from './http.js';
import { WechatTokens } from './wechat-tokens.js';
import { checkDraft, fail, publishEventXml, wechatSignature, WxError, type Article, type ArticleDetail } from './wechat-rules.js';

export { wechatSignature } from './wechat-rules.js';

export type QuotaName = 'draftAdd' | 'submit' | 'get' | 'sendall' | 'uploadimg' | 'addMaterial';

export interface WechatFakeOptions {
  appid?: string;
  secret?: string;
  tokenTtlSec?: number;
  /** stable_token mints a successor this long before expiry (the old one stays valid). Default 300, or 0 when tokenTtlSec ≤ 300. */
  renewBeforeSec?: number;
  publishDelayMs?: number;
  /** publish_status a finished job gets: 0 published; 2, 3, 4 failures with fail_idx [1]. */
  publishOutcome?: number;
  callback?: { url: string; token: string } | null;
  whitelist?: boolean;
  quotas?: Partial<Record<QuotaName, number>>;
  now?: Clock;
}

export interface PublishJob {
  publish_id: string;
  media_id: string;
  msg_data_id: string;
  /** 1 while publishing, then the outcome. */
  status: number;
  article_id?: string;
  article_detail?: ArticleDetail;
  fail_idx: number[];
  submittedAt: number;
  finishedAt?: number;
}

export interface PushRecord {
  url: string;
  status?: number;
  error?: string;
  body: string;
}

export interface StoredImage {
  type: string;
  size: number;
  sha256: string;
  url: string;
  at: number;
}

export interface MassSend {
  msg_id: number;
  msg_data_id: number;
  media_id: string;
  clientmsgid?: string;
  at: number;
}

interface Route {
  methods: string[];
  auth: boolean;
  quota?: QuotaName;
  contentType?: string;
  run: (req: RecordedRequest) => unknown;
}

const DEFAULT_QUOTAS: Record<QuotaName, number> = { draftAdd: 1000, submit: 100, get: 100, sendall: 1, uploadimg: 5000, addMaterial: 5000 };
const SEEN_IP = '203.0.113.9';
const IMAGE_MAX = { material: 2 * 1024 * 1024, inline: 1024 * 1024 };

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export class WechatFake extends FakeApi {
  readonly appid: string;
  readonly secret: string;
  publishOutcome: number;
  whitelist: boolean;
  callback: { url: string; token: string } | null;
  readonly materials = new Map<string, StoredImage>();
  readonly inlineImages = new Map<string, StoredImage>();
  readonly drafts = new Map<string, { articles: Article[]; at: number }>();
  readonly jobs = new Map<string, PublishJob>();
  readonly pushes: PushRecord[] = [];
  readonly massSends: MassSend[] = [];
  private tokens: WechatTokens;
  private readonly usage = new Map<string, number>();
  private readonly jobTimers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private abort = new AbortController();
  private counter = 0;
  private readonly routes: Record<string, Route> = {
    '/cgi-bin/stable_token': { methods: ['POST'], auth: false, run: (r) => this.stableToken(obj(r.body)) },
    '/cgi-bin/token': { methods: ['GET'], auth: false, run: (r) => this.classicToken(r.query) },
    '/cgi-bin/material/add_material': { methods: ['POST'], auth: true, quota: 'addMaterial', run: (r) => this.addMaterial(r) },
    // The real uploadimg answers text/plain whatever happens: clients must parse JSON regardless.
    '/cgi-bin/media/uploadimg': { methods: ['POST'], auth: true, quota: 'uploadimg', contentType: 'text/plain', run: (r) => this.uploadImg(r) },
    '/cgi-bin/draft/add': { methods: ['POST'], auth: true, quota: 'draftAdd', run: (r) => this.addDraft(r.body) },
    '/cgi-bin/freepublish/submit': { methods: ['POST'], auth: true, quota: 'submit', run: (r) => this.submit(obj(r.body)) },
    '/cgi-bin/freepublish/get': { methods: ['POST'], auth: true, quota: 'get', run: (r) => this.getJob(obj(r.body)) },
    '/cgi-bin/message/mass/sendall': { methods: ['POST'], auth: true, run: (r) => this.sendAll(obj(r.body)) },
    '/cgi-bin/get_api_domain_ip': { methods: ['GET', 'POST'], auth: true, run: () => ({ ip_list: ['101.226.103.0/25', '101.226.62.0/26'] }) },
  };

  constructor(private readonly options: WechatFakeOptions = {}) {
    super(options.now);
    this.appid = options.appid ?? 'wx-test-appid';
    this.secret = options.secret ?? 'test-secret';
    this.publishOutcome = options.publishOutcome ?? 0;
    this.whitelist = options.whitelist ?? true;
    this.callback = options.callback ?? null;
    this.tokens = this.newTokens();
  }

  private newTokens(): WechatTokens {
    const ttlSec = this.options.tokenTtlSec ?? 7200;
    // Renewing 5 minutes early would make every call mint a token when a test sets a short TTL.
    return new WechatTokens(this.now, ttlSec * 1000, (this.options.renewBeforeSec ?? (ttlSec > 300 ? 300 : 0)) * 1000);
  }

  /** Tokens minted so far (stable and classic). */
  get tokensIssued(): number {
    return this.tokens.issued;
  }

  get forceRefreshes(): number {
    return this.tokens.forceRefreshes;
  }

  protected handle(req: RecordedRequest): Reply {
    const route = this.routes[req.path];
    if (!route) return notFound();
    try {
      if (!this.whitelist) fail(40164, `invalid ip ${SEEN_IP} ipv6 ::ffff:${SEEN_IP}, not in whitelist`);
      if (!route.methods.includes(req.method)) fail(req.method === 'GET' ? 43002 : 43001, `require ${route.methods[0]} method`);
      if (route.auth) this.tokens.authenticate(req.query.access_token);
      if (route.quota) this.spend(route.quota, 45009, 'reach max api daily quota limit');
      return { status: 200, body: route.run(req), contentType: route.contentType };
    } catch (err) {
      if (!(err instanceof WxError)) throw err;
      return { status: 200, body: this.errorBody(err.errcode, err.message, err.extra), contentType: route.contentType };
    }
  }

  protected errorReply(fault: ErrorFault, _req: RecordedRequest): Reply {
    return { status: fault.status ?? 200, body: this.errorBody(Number(fault.code), fault.message ?? 'system error') };
  }

  /** errmsg always ends with ' rid: <hex>-<hex>', the id WeChat support asks for. */
  private errorBody(errcode: number, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { errcode, errmsg: `${message} rid: ${randomHex(4)}-${randomHex(4)}`, ...extra };
  }

  // ── tokens (§1.1) ──

  private checkCredentials(grantType: unknown, appid: unknown, secret: unknown): void {
    if (grantType !== 'client_credential') fail(40002, 'invalid grant_type');
    if (appid !== this.appid) fail(40013, 'invalid appid');
    // On a token call 40001 means the secret is wrong, not the token.
    if (secret !== this.secret) fail(40001, 'invalid credential, AppSecret error or AppSecret not belonging to this appid');
  }

  private stableToken(body: Record<string, unknown>): unknown {
    this.checkCredentials(body.grant_type, body.appid, body.secret);
    return this.tokens.stable(body.force_refresh === true);
  }

  private classicToken(query: Record<string, string>): unknown {
    this.checkCredentials(query.grant_type, query.appid, query.secret);
    return this.tokens.classic();
  }

  /** Makes every live token (or just `token`) expired: the next business call gets 42001. */
  expireToken(token?: string): void {
    this.tokens.expire(token);
  }

  /** Makes every live token (or just `token`) invalid: the next business call gets 40014. */
  invalidateToken(token?: string): void {
    this.tokens.invalidate(token);
  }

  // ── quotas ──

  private spend(name: QuotaName, errcode: number, message: string): void {
    const used = this.quotaUsed(name);
    if (used >= (this.options.quotas?.[name] ?? DEFAULT_QUOTAS[name])) fail(errcode, message);
    this.setQuotaUsed(name, used + 1);
  }

  quotaUsed(name: QuotaName): number {
    return this.usage.get(`${name}:${utcDay(this.now())}`) ?? 0;
  }

  /** Sets today's (UTC) usage of a quota, e.g. to its limit to test 45009. */
  setQuotaUsed(name: QuotaName, n: number): void {
    this.usage.set(`${name}:${utcDay(this.now())}`, n);
  }

  // ── images (§1.2) ──

  private mediaFile(req: RecordedRequest): UploadedFile {
    const file = isMultipart(req.body) ? req.body.files.find((f) => f.field === 'media') : undefined;
    return file ?? fail(41005, 'media data missing');
  }

  private storeImage(file: UploadedFile, allowed: string[], maxBytes: number): StoredImage {
    const type = imageType(file.bytes);
    if (!type || !allowed.includes(type)) fail(40005, 'invalid file type');
    if (file.size > maxBytes) fail(40009, 'invalid image size');
    const id = randomText(43);
    const url = `http://mmbiz.qpic.cn/mmbiz_${type === 'jpeg' ? 'jpg' : type}/${id}/0?wx_fmt=${type}`;
    return { type, size: file.size, sha256: file.sha256, url, at: this.now() };
  }

  private addMaterial(req: RecordedRequest): unknown {
    if (req.query.type !== 'image') fail(40004, 'invalid media type');
    const image = this.storeImage(this.mediaFile(req), ['png', 'jpeg', 'gif', 'bmp'], IMAGE_MAX.material);
    const mediaId = randomText(43);
    this.materials.set(mediaId, image);
    return { media_id: mediaId, url: image.url };
  }

  private uploadImg(req: RecordedRequest): unknown {
    const image = this.storeImage(this.mediaFile(req), ['png', 'jpeg'], IMAGE_MAX.inline - 1);
    this.inlineImages.set(image.url, image);
    return { url: image.url };
  }

  // ── draft and publish (§1.3) ──

  private addDraft(body: unknown): unknown {
    const articles = checkDraft(body, (id) => this.materials.has(id));
    const mediaId = randomText(43);
    this.drafts.set(mediaId, { articles, at: this.now() });
    return { media_id: mediaId };
  }

  private submit(body: Record<string, unknown>): unknown {
    const mediaId = String(body.media_id ?? '');
    if (!this.drafts.has(mediaId)) fail(40007, 'invalid media_id');
    const n = ++this.counter;
    // Above 2^32 on purpose: a client that stores publish_id as a 32-bit number breaks here.
    const job: PublishJob = { publish_id: String(2 ** 32 + 1000 + n), media_id: mediaId, msg_data_id: String(2_247_000_000 + n), status: 1, fail_idx: [], submittedAt: this.now() };
    this.jobs.set(job.publish_id, job);
    this.jobTimers.set(job.publish_id, this.later(this.options.publishDelayMs ?? 300, () => void this.finish(job)));
    return { errcode: 0, errmsg: 'ok', publish_id: job.publish_id, msg_data_id: job.msg_data_id };
  }

  private getJob(body: Record<string, unknown>): unknown {
    const job = this.jobs.get(String(body.publish_id ?? ''));
    if (!job) fail(53600, 'invalid publish_id');
    const { publish_id, status: publish_status, article_id, article_detail, fail_idx } = job;
    return { publish_id, publish_status, ...(article_id ? { article_id, article_detail } : {}), fail_idx };
  }

  /** Finishes pending jobs now (all, or the one named) and waits for their pushes. */
  async finishNow(publishId?: string): Promise<void> {
    const pending = [...this.jobs.values()].filter((j) => j.status === 1 && (!publishId || j.publish_id === publishId));
    await Promise.all(pending.map((job) => this.finish(job)));
  }

  private async finish(job: PublishJob): Promise<void> {
    const timer = this.jobTimers.get(job.publish_id);
    if (timer) this.cancel(timer);
    this.jobTimers.delete(job.publish_id);
    job.status = this.publishOutcome;
    job.finishedAt = this.now();
    if (job.status >= 2 && job.status <= 4) job.fail_idx = [1];
    else {
      const articles = this.drafts.get(job.media_id)?.articles ?? [];
      job.article_id = randomText(43);
      job.article_detail = { count: articles.length, item: articles.map((_, i) => ({ idx: i + 1, article_url: `https://mp.weixin.qq.com/s/${randomText(22)}` })) };
    }
    if (this.callback) await this.repush(job.publish_id);
  }

  /** The signature the fake puts on a push: what a receiver must compute from its token. */
  signature(timestamp: string, nonce: string): string {
    return wechatSignature(this.callback?.token ?? '', timestamp, nonce);
  }

  /** Sends the PUBLISHJOBFINISH event of a finished job to the callback (again), recording the attempt. */
  async repush(publishId: string): Promise<PushRecord> {
    const job = this.jobs.get(publishId);
    if (!job || job.status === 1 || !this.callback) throw new Error(`no finished job ${publishId} or no callback to push it to`);
    const createTime = Math.floor(this.now() / 1000);
    const timestamp = String(createTime);
    const nonce = randomDigits(10);
    const query = new URLSearchParams({ signature: this.signature(timestamp, nonce), timestamp, nonce });
    const url = `${this.callback.url}${this.callback.url.includes('?') ? '&' : '?'}${query}`;
    const record: PushRecord = { url, body: publishEventXml(job, createTime) };
    this.pushes.push(record);
    const sending = fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: record.body, signal: this.abort.signal })
      .then(async (res) => {
        record.status = res.status;
        await res.arrayBuffer();
      })
      .catch((err: Error) => {
        record.error = (err.cause as Error | undefined)?.message ?? err.message;
      });
    this.inFlight.add(sending);
    await sending;
    this.inFlight.delete(sending);
    return record;
  }

  // ── mass send (§1.4) ──

  private sendAll(body: Record<string, unknown>): unknown {
    const clientmsgid = body.clientmsgid === undefined ? undefined : String(body.clientmsgid);
    if (clientmsgid !== undefined && Buffer.byteLength(clientmsgid) >= 32) fail(45067, 'clientmsgid size out of limit');
    const earlier = clientmsgid === undefined ? undefined : this.massSends.find((m) => m.clientmsgid === clientmsgid);
    if (earlier) fail(45065, 'clientmsgid exist', { msg_id: earlier.msg_id });
    if (body.msgtype !== 'mpnews') fail(40008, 'invalid message type');
    const mediaId = String(obj(body.mpnews).media_id ?? '');
    if (!this.drafts.has(mediaId)) fail(40007, 'invalid media_id');
    // A message quota, not a call quota: only a send that goes out uses it.
    this.spend('sendall', 45028, 'has no masssend quota');
    const n = ++this.counter;
    const send: MassSend = { msg_id: 1_000_000_000 + n, msg_data_id: 2_247_000_000 + n, media_id: mediaId, clientmsgid, at: this.now() };
    this.massSends.push(send);
    return { errcode: 0, errmsg: 'send job submission success', msg_id: send.msg_id, msg_data_id: send.msg_data_id };
  }

  /** Back to the state just after start: no requests, faults, tokens, media, drafts, jobs, pushes or usage. */
  override reset(): void {
    super.reset();
    this.abort.abort();
    this.abort = new AbortController();
    for (const map of [this.materials, this.inlineImages, this.drafts, this.jobs, this.usage, this.jobTimers]) map.clear();
    this.tokens = this.newTokens();
    this.pushes.length = 0;
    this.massSends.length = 0;
    this.counter = 0;
    this.publishOutcome = this.options.publishOutcome ?? 0;
    this.whitelist = this.options.whitelist ?? true;
    this.callback = this.options.callback ?? null;
  }

  override async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
    await super.close();
  }
}

export async function startWechatFake(options: WechatFakeOptions = {}): Promise<WechatFake> {
  return new WechatFake(options).listen();
}
