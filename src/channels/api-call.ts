/**
 * One HTTP call to a channel's API (WeChat, Weibo), with what both need:
 * a time limit, the body parsed as JSON whatever the status or Content-Type
 * says (WeChat's uploadimg answers text/plain, Weibo answers 4xx with JSON),
 * ids too big for a double kept exact, and the outcome of a call that got no
 * answer told apart from one that certainly did not reach the server.
 *
 * Nothing here logs or puts a URL in a message: URLs carry `access_token`.
 */
import { ChannelError } from '../errors.js';

export interface ApiRequest {
  /** Full URL (secrets may be in its query: it never leaves this module). */
  url: string;
  /** For messages: the endpoint without query, e.g. `/cgi-bin/draft/add`. */
  endpoint: string;
  method?: 'GET' | 'POST';
  json?: unknown;
  form?: Record<string, string>;
  multipart?: FormData;
  headers?: Record<string, string>;
  timeoutMs: number;
}

export interface ApiAnswer {
  status: number;
  /** Parsed JSON, or null when the body is not JSON. */
  body: Record<string, unknown> | null;
  /** The body as text (for messages: cut short). */
  text: string;
}

/**
 * The call did not get an answer. `reached` is false only when the request
 * certainly never reached the server (connection refused, DNS): then nothing
 * was done. Otherwise (a timeout, a reset) the server may have acted on it.
 */
export class NoAnswerError extends ChannelError {
  readonly reached: boolean;
  constructor(channel: string, endpoint: string, reached: boolean, cause: unknown) {
    const why = describeCause(cause);
    super(channel, 'transient', reached
      ? `${endpoint}: no answer (${why}); the request may have been carried out`
      : `${endpoint}: could not reach the server (${why}): check this machine's network and proxy, and the api_base (or ${channel.toUpperCase()}_API_BASE) setting`, { cause });
    this.reached = reached;
  }
}

/** Errors that mean the request never left this machine or was refused before any byte was read. */
const NOT_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL']);

function causeCode(err: unknown): string | undefined {
  let e = err as { code?: string; cause?: unknown; name?: string } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (e.name === 'TimeoutError') return 'TIMEOUT';
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

function describeCause(err: unknown): string {
  const code = causeCode(err);
  if (code === 'TIMEOUT') return 'timed out';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code) return code;
  // fetch's own TypeError says only "fetch failed": the reason is in its cause.
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e && (e.cause as { message?: string } | undefined)?.message) e = e.cause as typeof e;
  return e?.message ?? String(err);
}

/** Integers WeChat and Weibo send that exceed 2^53 (Weibo `id`, `mid`; WeChat ids): kept exact, as strings. */
const BIG_INTEGER = /("(?:id|mid|publish_id|msg_id|msg_data_id|article_id|uid)"\s*:\s*)(-?\d{16,})/g;

export function parseApiJson(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text.replace(BIG_INTEGER, '$1"$2"')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function apiCall(channel: string, fetchFn: typeof fetch, r: ApiRequest): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...r.headers };
  let body: string | FormData | undefined;
  if (r.json !== undefined) {
    // Raw UTF-8, as WeChat wants (no \u escapes needed; JSON.stringify keeps Chinese as is).
    body = JSON.stringify(r.json);
    headers['content-type'] = 'application/json; charset=utf-8';
  } else if (r.form) {
    body = new URLSearchParams(r.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  } else if (r.multipart) {
    body = r.multipart;
  }
  let res: Response;
  try {
    res = await fetchFn(r.url, { method: r.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(r.timeoutMs) });
  } catch (err) {
    // "bad port": fetch refuses some ports outright, before connecting.
    const notReached = NOT_REACHED.has(causeCode(err) ?? '') || describeCause(err) === 'bad port';
    throw new NoAnswerError(channel, r.endpoint, !notReached, err);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    // Headers came, the body did not: the server did receive the request.
    throw new NoAnswerError(channel, r.endpoint, true, err);
  }
  return { status: res.status, body: parseApiJson(text), text: text.length > 300 ? `${text.slice(0, 300)}…` : text };
}

/** `{ ms }` from settings written as `90s`, `2m`, `1h`, `500ms` or a number of milliseconds. */
export function durationMs(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(value ?? ''));
  if (!m) return fallback;
  const n = Number(m[1]);
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h']);
}

/** A list of durations, e.g. `5s 30s 2m` (the WeChat poll schedule). */
export function durationList(value: unknown, fallback: number[]): number[] {
  const parts = String(value ?? '').split(/[\s,]+/).filter(Boolean).map((p) => durationMs(p, -1));
  return parts.length > 0 && parts.every((n) => n > 0) ? parts : fallback;
}

/** The media type of image bytes, by their first bytes (what an upload's part says it is). */
export function imageMediaType(b: Buffer): string {
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50) return 'image/png';
  if (b.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  return 'application/octet-stream';
}
