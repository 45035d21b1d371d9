/**
 * What the WeChat and Weibo fakes share: a real HTTP server on 127.0.0.1 (port 0), body parsing
 * (JSON, URL-encoded form, multipart through Node's own `Request.formData()`), the record of every
 * request with what it was answered, and the fault queue that makes a call fail the way networks
 * and these two APIs do. A fake is a subclass of `FakeApi` that answers one recorded request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createHash, randomBytes, randomInt } from 'node:crypto';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  bytes: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export interface RecordedRequest {
  method: string;
  /** pathname, e.g. '/cgi-bin/draft/add' */
  path: string;
  query: Record<string, string>;
  /** Header names in lower case; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Media type only, lower case, '' when absent. */
  contentType: string;
  /**
   * Parsed: JSON object, or form fields {name: value}, or for multipart {fields, files}. Raw text
   * when unparseable; undefined when the body is empty. A body that is neither form nor multipart
   * is tried as JSON whatever its Content-Type, as WeChat does.
   */
  body: unknown;
  raw: Buffer;
  at: number;
  /** What the fake answered ({status, body}); undefined when it never answered (hang, drop, accept-then-hang). */
  answer?: { status: number; body: unknown };
}

export type ErrorFault = { kind: 'error'; code: number | string; message?: string; status?: number };

export type Fault =
  | ErrorFault
  | { kind: 'http'; status: number; body?: string }
  | { kind: 'hang' }
  | { kind: 'accept-then-hang' }
  | { kind: 'delay'; ms: number }
  | { kind: 'text-plain' }
  | { kind: 'drop' };

/** One answer. A string body is sent as is; anything else as JSON, a bigint as a raw number literal. */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
}

export type Clock = () => number;

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const BAD_GATEWAY = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>stgw</center></body></html>';

export const notFound = (): Reply => ({ status: 404, body: 'Not Found', contentType: TEXT_TYPE });

/**
 * The common half of a fake API. Subclasses implement `handle` (perform the call and answer it)
 * and `errorReply` (how that API spells an error), and extend `reset`/`close` for their own state.
 */
export abstract class FakeApi {
  /** Base URL, `http://127.0.0.1:PORT`, no trailing slash. */
  url = '';
  readonly requests: RecordedRequest[] = [];
  protected readonly now: Clock;
  private readonly faults = new Map<string, Fault[]>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server?: Server;

  constructor(now: Clock = Date.now) {
    this.now = now;
  }

  protected abstract handle(req: RecordedRequest): Reply | Promise<Reply>;
  protected abstract errorReply(fault: ErrorFault, req: RecordedRequest): Reply;

  /** Requests whose path ends with `suffix` (whole segments: 'token' is not 'stable_token'), in the order received. */
  calls(suffix: string): RecordedRequest[] {
    return this.requests.filter((r) => endsWithSegments(r.path, suffix));
  }

  /** Queues faults for the next calls to paths ending with `suffix` (as in calls()): one per call, in order. */
  fault(suffix: string, ...faults: Fault[]): void {
    this.faults.set(suffix, [...(this.faults.get(suffix) ?? []), ...faults]);
  }

  /** Forgets requests, queued faults and pending delayed answers. Subclasses also reset their state. */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    this.clearTimers();
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake server has no TCP address');
    this.server = server;
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  /** Stops listening and destroys every socket, hanging ones included, so no test leaves a server behind. */
  async close(): Promise<void> {
    this.clearTimers();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A timer that close() and reset() cancel: a delayed answer or job must not outlive its fake. */
  protected later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  protected cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** The first queued fault of the longest suffix that matches, so 'draft/add' wins over 'add'. */
  private takeFault(path: string): Fault | undefined {
    const suffixes = [...this.faults.keys()].filter((s) => endsWithSegments(path, s) && this.faults.get(s)!.length > 0);
    suffixes.sort((a, b) => b.length - a.length);
    return suffixes.length > 0 ? this.faults.get(suffixes[0])!.shift() : undefined;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let recorded: RecordedRequest;
    try {
      recorded = await recordRequest(req, await readBody(req), this.now());
    } catch {
      res.destroy(); // the client went away mid-body: nobody to answer
      return;
    }
    this.requests.push(recorded);
    const fault = this.takeFault(recorded.path);
    // Faults that stand for "the call never reached the API": the action is not performed.
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'drop') return void req.socket.destroy();
    if (fault?.kind === 'error') return this.send(res, recorded, this.errorReply(fault, recorded));
    if (fault?.kind === 'http') {
      const body = fault.body ?? BAD_GATEWAY;
      return this.send(res, recorded, { status: fault.status, body, contentType: body.trimStart().startsWith('<') ? HTML_TYPE : TEXT_TYPE });
    }
    let reply: Reply;
    try {
      reply = await this.handle(recorded);
    } catch (err) {
      reply = { status: 500, body: `fake failed: ${(err as Error).stack ?? String(err)}`, contentType: TEXT_TYPE };
    }
    // Faults that stand for "the API did it, the answer went wrong".
    if (fault?.kind === 'accept-then-hang') return;
    if (fault?.kind === 'text-plain') reply = { ...reply, contentType: TEXT_TYPE };
    if (fault?.kind === 'delay') return void this.later(fault.ms, () => this.send(res, recorded, reply));
    this.send(res, recorded, reply);
  }

  private send(res: ServerResponse, recorded: RecordedRequest, reply: Reply): void {
    if (res.destroyed) return; // the client gave up while we waited
    const text = typeof reply.body === 'string' ? reply.body : toJson(reply.body);
    const contentType = reply.contentType ?? (typeof reply.body === 'string' ? TEXT_TYPE : JSON_TYPE);
    recorded.answer = { status: reply.status, body: reply.body };
    res.writeHead(reply.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

/** '/cgi-bin/draft/add' ends with 'draft/add' and 'add', but '/cgi-bin/stable_token' does not end with 'token'. */
export function endsWithSegments(path: string, suffix: string): boolean {
  return path === suffix || path.endsWith(suffix.startsWith('/') ? suffix : `/${suffix}`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function recordRequest(req: IncomingMessage, raw: Buffer, at: number): Promise<RecordedRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const contentType = mediaType(headers['content-type']);
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    contentType,
    body: await parseBody(contentType, headers['content-type'] ?? '', raw),
    raw,
    at,
  };
}

const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0].trim().toLowerCase();

export async function parseBody(contentType: string, header: string, raw: Buffer): Promise<unknown> {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    if (contentType === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
    if (contentType === 'multipart/form-data') return await parseMultipart(header, raw);
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Multipart through undici's own parser (Node 20), so the fake needs no dependency. */
async function parseMultipart(header: string, raw: Buffer): Promise<MultipartBody> {
  // `duplex` is required by Node for streamed bodies and missing from the DOM typings.
  const init = { method: 'POST', headers: { 'content-type': header }, body: raw, duplex: 'half' } as RequestInit;
  const form = await new Request('http://127.0.0.1/', init).formData();
  const entries: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, field) => entries.push([field, value]));
  const body: MultipartBody = { fields: {}, files: [] };
  for (const [field, value] of entries) {
    if (typeof value === 'string') {
      body.fields[field] = value;
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    body.files.push({ field, filename: value.name, contentType: value.type, size: bytes.length, sha256: sha256(bytes), bytes });
  }
  return body;
}

export const isMultipart = (body: unknown): body is MultipartBody =>
  typeof body === 'object' && body !== null && 'files' in body && 'fields' in body;

/** JSON where a bigint becomes a raw number literal: how Weibo sends ids beyond 2^53. */
export function toJson(value: unknown): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v}` : v));
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

export type ImageType = 'jpeg' | 'png' | 'gif' | 'bmp';

/** The image type by magic bytes, as both APIs check it (the file name and declared type are ignored). */
export function imageType(bytes: Buffer): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (bytes.subarray(0, 2).toString('latin1') === 'BM') return 'bmp';
  return undefined;
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
export const sha1 = (data: string): string => createHash('sha1').update(data).digest('hex');
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
/** URL-safe random text of exactly `chars` characters. */
export const randomText = (chars: number): string => randomBytes(Math.ceil((chars * 3) / 4)).toString('base64url').slice(0, chars);
export const randomDigits = (digits: number): string => Array.from({ length: digits }, () => randomInt(10)).join('');
