/**
 * One HTTP listener (the public one, the staff one): what every request gets
 * before a route sees it, and what every response carries.
 *
 *   - `Host` must name this listener (its own address, localhost forms, and
 *     the names it is configured with), else 421: a DNS-rebinding page cannot
 *     read it through a name that resolves to 127.0.0.1.
 *   - The target must be a path (`/…`, not `//…` or a full URL) whose
 *     percent-encoding decodes, else 400.
 *   - Each route answers its own methods (HEAD with GET); others get 405 with
 *     `Allow`. A handler returning false passes on; nothing left: 404.
 *   - Security headers (CSP, nosniff, Referrer-Policy, framing) on every
 *     response; a handler may set stricter ones of its own.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import { listenProblem } from './listen-error.js';
import { BodyTooLarge } from './page-response.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface Route {
  path: RegExp;
  /** What the route answers; HEAD is implied by GET. */
  methods: readonly string[];
  handler: Handler;
}

export interface ListenerOptions {
  /** For messages: `public`, `staff`. */
  name: string;
  port: number;
  host: string;
  /** Host names (with their port when not the scheme's default) this listener answers for, besides its own address. */
  names: readonly string[];
  /** Set on every response before a handler runs (a handler's own win). */
  headers: Readonly<Record<string, string>>;
  log: Logger;
  /** `--port`/`--staff-port`, for the message when the port is busy. */
  portOption?: string;
  /** An HTML page for an answer of this status (400, 404, 405, 413, 500) instead of one line of text (the staff console's). */
  errorPage?(req: IncomingMessage, status: number): string;
}

export interface Listener {
  url: string;
  port: number;
  /** Whether a Host header (or an Origin's host) names this listener. */
  answersFor(host: string): boolean;
  close(): Promise<void>;
}

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const LOOPBACK_BIND = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** Whether listening on `host` keeps the listener to this machine. */
export const isLoopbackBind = (host: string) => LOOPBACK_BIND.test(host);

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
  return true;
}

/** The decoded path of a request target, or null when it is not a path or its percent-encoding is malformed. */
export function decodedPath(target: string | undefined): string | null {
  const raw = target ?? '';
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  try {
    decodeURIComponent(raw.split(/[?#]/)[0]);
    return decodeURIComponent(new URL(raw, 'http://localhost').pathname);
  } catch {
    return null;
  }
}

export async function startListener(o: ListenerOptions, routes: readonly Route[]): Promise<Listener> {
  let names = new Set<string>();
  const answersFor = (host: string) => names.has(host.toLowerCase());
  const fail = (req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void => {
    const page = o.errorPage?.(req, status);
    if (page === undefined) return void sendText(res, status, text, headers);
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(req.method === 'HEAD' ? undefined : page);
  };
  const server = createServer(async (req, res) => {
    for (const [k, v] of Object.entries(o.headers)) res.setHeader(k, v);
    const host = req.headers.host;
    if (!host) return void sendText(res, 400, 'Bad request: no Host header\n');
    if (!answersFor(host)) {
      o.log.warn({ listener: o.name, host }, 'request for a host this listener does not serve: refused (421)');
      return void sendText(res, 421, `Misdirected request: this server does not answer for ${host}\n`);
    }
    const path = decodedPath(req.url);
    if (path === null) return void fail(req, res, 400, 'Bad request: malformed address\n');
    const method = req.method ?? 'GET';
    const matching = routes.filter((r) => r.path.test(path));
    const allowed = matching.filter((r) => r.methods.includes(method) || (method === 'HEAD' && r.methods.includes('GET')));
    try {
      if (matching.length > 0 && allowed.length === 0) {
        const allow = new Set(matching.flatMap((r) => (r.methods.includes('GET') ? [...r.methods, 'HEAD'] : r.methods)));
        return void fail(req, res, 405, 'Method not allowed\n', { allow: [...allow].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b)).join(', ') });
      }
      for (const r of allowed) if (await r.handler(req, res)) return;
      fail(req, res, 404, 'Not found\n');
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        if (!res.headersSent) fail(req, res, 413, 'Request body too large\n');
        return;
      }
      o.log.error({ err, listener: o.name, path }, 'request failed');
      if (!res.headersSent) fail(req, res, 500, 'Internal error\n');
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      // A busy port or an unknown host is configuration: one line and exit 3, not a crash.
      const problem = listenProblem(err, o.port, o.host, o.portOption);
      reject(problem ? new ConfigError(problem, { cause: err }) : err);
    });
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const bound = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  names = new Set([bound, '127.0.0.1', 'localhost', '[::1]', o.host.includes(':') ? `[${o.host}]` : o.host].map((h) => `${h}:${addr.port}`.toLowerCase()));
  for (const n of o.names) names.add(n.toLowerCase());
  return {
    url: `http://${bound}:${addr.port}`,
    port: addr.port,
    answersFor,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** The Host values a configured URL stands for: its host, and host:port when the port is the scheme's default. */
export function namesOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return [...new Set([u.host, `${u.hostname}:${port}`])];
  } catch {
    return [];
  }
}
