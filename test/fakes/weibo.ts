/**
 * A local fake of the Sina Weibo API for channel-apis.md §2 and the Weibo rows of §3:
 * `POST /2/statuses/share.json` (form or multipart body, token in the body, query or an
 * `Authorization: OAuth2` header; the secure-domain URL rule, no #topic#, the counted length,
 * repeated content, picture type and size, the hourly rate limit) and `oauth2/get_token_info`
 * for the token's remaining life. Ids are emitted as JSON numbers beyond 2^53, so only `idstr`
 * is exact, as on the real API.
 *
 * Simplified: one user and one token; no per-IP limits and none of 20016/20017/20038/20111; the
 * hourly limit counts accepted posts; the text is answered as sent (no t.cn short links); `rip`
 * is only required, not checked.
 */
import { FakeApi, imageType, isMultipart, notFound } from './http.js';
import type { Clock, ErrorFault, RecordedRequest, Reply, UploadedFile } from './http.js';

export interface WeiboFakeOptions {
  token?: string;
  tokenExpiresInSec?: number;
  /** Hosts allowed for the link a status must carry; subdomains of a listed host count too. */
  secureDomains?: string[];
  ratePerHour?: number;
  maxChars?: number;
  /** Send error_code as a string ("20019"), as Weibo sometimes does. */
  stringCodes?: boolean;
  now?: Clock;
}

export interface WeiboPost {
  idstr: string;
  text: string;
  pic?: { sha256: string; contentType: string; size: number };
  rip: string;
  at: number;
}

/** A Weibo API error: answered with `status` and `{error, error_code, request}`. */
class WbError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function fail(code: number, message: string, status?: number): never {
  throw new WbError(code, message, status);
}

const FIVE_YEARS_SEC = 5 * 365 * 86_400;
const PIC_MAX_BYTES = 5 * 1024 * 1024;
const HOUR_MS = 3_600_000;
const USER = { id: 7_000_000_001, idstr: '7000000001', screen_name: '平安示例' };
/** Beyond 2^53 on purpose: `JSON.parse` rounds `id`, so a client that reads it instead of `idstr` gets the wrong post. */
const FIRST_ID = 4_977_000_000_000_000_123n;

/** A URL as Weibo's counter sees one: scheme, then printable ASCII up to a space or non-ASCII. */
const URL_PATTERN = /https?:\/\/[\x21-\x7e]+/g;

/**
 * Weibo's counted length (§2, the best known rule): U+0000–U+00FF count ½, other BMP characters 1,
 * astral characters 2, each URL 10 whatever its length; rounded up.
 */
export function weiboLength(text: string): number {
  const urls = text.match(URL_PATTERN) ?? [];
  let total = urls.length * 10;
  for (const ch of text.replace(URL_PATTERN, '')) {
    const cp = ch.codePointAt(0)!;
    total += cp <= 0xff ? 0.5 : cp > 0xffff ? 2 : 1;
  }
  return Math.ceil(total);
}

/** Weibo's `created_at`, always in China time: 'Wed Dec 02 12:00:00 +0800 2026'. */
export function weiboDate(ms: number): string {
  const d = new Date(ms + 8 * HOUR_MS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${day} ${month} ${pad(d.getUTCDate())} ${time} +0800 ${d.getUTCFullYear()}`;
}

export class WeiboFake extends FakeApi {
  readonly token: string;
  readonly posts: WeiboPost[] = [];
  private readonly createdAt: number;
  private expiresAt = 0;
  private counter = 0n;
  private readonly routes: Record<string, { methods: string[]; run: (req: RecordedRequest) => unknown }> = {
    '/2/statuses/share.json': { methods: ['POST'], run: (r) => this.share(r) },
    '/oauth2/get_token_info': { methods: ['GET', 'POST'], run: (r) => this.tokenInfo(r) },
  };

  constructor(private readonly options: WeiboFakeOptions = {}) {
    super(options.now);
    this.token = options.token ?? '2.00weibo-test-token';
    this.createdAt = this.now();
    this.reset();
  }

  protected handle(req: RecordedRequest): Reply {
    const route = this.routes[req.path];
    if (!route) return notFound();
    try {
      if (!route.methods.includes(req.method)) fail(10021, 'HTTP METHOD is not suported for this request!');
      return { status: 200, body: route.run(req) };
    } catch (err) {
      if (!(err instanceof WbError)) throw err;
      return { status: err.status, body: this.errorBody(err.code, err.message, req.path) };
    }
  }

  protected errorReply(fault: ErrorFault, req: RecordedRequest): Reply {
    const code = typeof fault.code === 'string' ? fault.code : this.code(fault.code);
    return { status: fault.status ?? 400, body: { error: fault.message ?? 'system error!', error_code: code, request: req.path } };
  }

  private code(code: number): number | string {
    return this.options.stringCodes ? String(code) : code;
  }

  private errorBody(code: number, error: string, path: string): Record<string, unknown> {
    return { error, error_code: this.code(code), request: path };
  }

  /** Makes the token expired: the next call gets 21327. */
  expireToken(): void {
    this.expiresAt = this.now();
  }

  /** Sets the token's remaining life, e.g. under 14 days to test a client's re-authorization warning. */
  setTokenExpiresIn(sec: number): void {
    this.expiresAt = this.now() + sec * 1000;
  }

  /** Query, then form or multipart fields: where Weibo reads parameters. A JSON body gives none. */
  private params(req: RecordedRequest): Record<string, string> {
    const body = req.body;
    if (isMultipart(body)) return { ...req.query, ...body.fields };
    if (req.contentType === 'application/x-www-form-urlencoded') return { ...req.query, ...(body as Record<string, string> | undefined) };
    return { ...req.query };
  }

  private authenticate(req: RecordedRequest, params: Record<string, string>): void {
    const header = /^OAuth2\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
    const token = params.access_token ?? header;
    if (token !== this.token) fail(21332, 'invalid_access_token');
    if (this.now() >= this.expiresAt) fail(21327, 'expired_token');
  }

  private tokenInfo(req: RecordedRequest): unknown {
    this.authenticate(req, this.params(req));
    const seconds = (ms: number): number => Math.floor(ms / 1000);
    return { uid: USER.id, appkey: '3000000001', scope: '', create_at: seconds(this.createdAt), expire_in: seconds(this.expiresAt - this.now()) };
  }

  private share(req: RecordedRequest): unknown {
    const params = this.params(req);
    this.authenticate(req, params);
    // A pic sent as a plain form field: the client forgot multipart.
    if ('pic' in params) fail(20007, 'does multipart has image?');
    const text = params.status;
    if (!text) fail(10016, 'miss required parameter (status)');
    if (!params.rip) fail(10016, 'miss required parameter (rip)');
    const pic = isMultipart(req.body) ? req.body.files.find((f) => f.field === 'pic') : undefined;
    if (pic) this.checkPic(pic);
    const hourAgo = this.now() - HOUR_MS;
    if (this.posts.filter((p) => p.at > hourAgo).length >= (this.options.ratePerHour ?? 30)) fail(10023, 'User requests out of rate limit!', 403);
    this.checkText(text);
    return this.post(text, params.rip, pic);
  }

  private checkPic(pic: UploadedFile): void {
    const type = imageType(pic.bytes);
    if (!type || type === 'bmp') fail(20005, 'unsupported image type, only suport JPG, GIF, PNG!');
    if (pic.size > PIC_MAX_BYTES) fail(20006, 'image size too large.');
  }

  private checkText(text: string): void {
    // A '#' inside a link (a fragment) is not a topic.
    if (/#[^#\s][^#]*#/.test(text.replace(URL_PATTERN, ''))) fail(10017, 'invalid parameter: topic not allowed');
    if (!(text.match(URL_PATTERN) ?? []).some((u) => this.isSecure(u))) fail(10017, 'appkey not bind domain');
    const max = this.options.maxChars ?? 140;
    if (weiboLength(text) > max) fail(20012, `Text too long, please input text less than ${max} characters!`);
    if (this.posts.some((p) => p.text === text)) fail(20019, 'repeat content!');
  }

  private isSecure(url: string): boolean {
    let host: string;
    try {
      host = new URL(url).hostname.toLowerCase();
    } catch {
      return false;
    }
    const domains = this.options.secureDomains ?? ['127.0.0.1', 'localhost', 'example.gov.cn'];
    return domains.some((d) => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`));
  }

  private post(text: string, rip: string, pic: UploadedFile | undefined): unknown {
    const id = FIRST_ID + this.counter++;
    const at = this.now();
    const stored = pic ? { sha256: pic.sha256, contentType: pic.contentType, size: pic.size } : undefined;
    this.posts.push({ idstr: String(id), text, ...(stored ? { pic: stored } : {}), rip, at });
    const picIds = pic ? { pic_ids: [`006${pic.sha256.slice(0, 29)}`] } : {};
    return { created_at: weiboDate(at), id, idstr: String(id), mid: String(id), text, user: USER, ...picIds };
  }

  /** Back to the state just after start: no requests, faults or posts, and the token's configured life. */
  override reset(): void {
    super.reset();
    this.posts.length = 0;
    this.counter = 0n;
    this.expiresAt = this.createdAt + (this.options.tokenExpiresInSec ?? FIVE_YEARS_SEC) * 1000;
  }
}

export async function startWeiboFake(options: WeiboFakeOptions = {}): Promise<WeiboFake> {
  return new WeiboFake(options).listen();
}
