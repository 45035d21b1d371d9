/**
 * The daemon's HTTP server (127.0.0.1 by default): /healthz, /status(.json),
 * one-click unsubscribe (RFC 8058), /preview/ and the website (site/serve.ts).
 * Routes are one table, tried in order; a handler returning false passes on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { SubscriberStore } from '../delivery/store/index.js';
import type { StatusReport } from '../delivery/status.js';
import { statusHtml } from './status-page.js';
import { createSiteHandler } from '../channels/website/index.js';
import { createPreviewHandler } from './preview.js';
import type { Renderer } from '../render/renderer.js';
import { ConfigError } from '../errors.js';
import { listenProblem } from './listen-error.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface ServerDeps {
  root: string;
  varDir: string;
  store: SubscriberStore;
  status(): Promise<StatusReport>;
  renderer: Renderer;
  log: Logger;
  now(): Date;
  /** WeChat's pushes to the callback URL (events.ts): answers each request. */
  wechatEvents?(req: { method: string; query: URLSearchParams; body: string }): Promise<{ status: number; body: string; job?: { publishId: string; status: number } }>;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

async function readBody(req: IncomingMessage, max = 8192): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > max) break;
  }
  return body;
}

export async function startServer(deps: ServerDeps, port: number, host: string): Promise<RunningServer> {
  const site = createSiteHandler({ root: deps.root, varDir: deps.varDir });
  const preview = createPreviewHandler({ root: deps.root, renderer: deps.renderer, now: deps.now });
  const routes: Array<[RegExp, Handler]> = [
    [/^\/healthz$/, async (_req, res) => (send(res, 200, 'application/json', JSON.stringify({ ok: true, at: deps.now().toISOString() })), true)],
    [/^\/status\.json$/, async (_req, res) => (send(res, 200, 'application/json', JSON.stringify(await deps.status(), null, 2)), true)],
    [/^\/status\/?$/, async (_req, res) => (send(res, 200, 'text/html', statusHtml(await deps.status())), true)],
    [/^\/unsubscribe$/, (req, res) => unsubscribe(deps, req, res)],
    [/^\/wechat\/events$/, (req, res) => wechatEvents(deps, req, res)],
    [/^\/preview(\/|$)/, preview],
    [/^\//, site],
  ];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      for (const [pattern, handler] of routes) {
        if (pattern.test(path) && (await handler(req, res))) return;
      }
      send(res, 404, 'text/plain', 'Not found\n');
    } catch (err) {
      deps.log.error({ err, path }, 'request failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error\n');
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      // A busy port or an unknown --host is configuration: one line and exit 3, not a crash.
      const problem = listenProblem(err, port, host);
      reject(problem ? new ConfigError(problem, { cause: err }) : err);
    });
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** WeChat's callback URL: signed pushes (PUBLISHJOBFINISH), and the GET check when the URL is saved on the console. */
async function wechatEvents(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const body = req.method === 'POST' ? await readBody(req, 64 * 1024) : '';
  const answer = deps.wechatEvents
    ? await deps.wechatEvents({ method: req.method ?? 'GET', query: url.searchParams, body })
    : { status: 404, body: 'Not found\n' };
  if (answer.status === 403) deps.log.warn({ path: url.pathname }, 'WeChat event with a bad signature: rejected');
  if (answer.job) deps.log.info({ publishId: answer.job.publishId, publishStatus: answer.job.status }, 'WeChat publish job finished (PUBLISHJOBFINISH)');
  send(res, answer.status, 'text/plain', answer.body);
  return true;
}

/** GET shows a confirm button; POST (the mail client's one-click, RFC 8058, or the button) unsubscribes. */
async function unsubscribe(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const token = url.searchParams.get('token') ?? '';
  if (req.method === 'POST') {
    await readBody(req);
    const done = token !== '' && (await deps.store.unsubscribe(token, deps.now()));
    send(res, done ? 200 : 404, 'text/html', `<!doctype html><meta charset="utf-8"><title>退订</title><p>${done ? '您已退订，不会再收到节日安全提示邮件。' : '链接无效或已退订。'}</p>`);
    return true;
  }
  const safe = encodeURIComponent(token);
  send(res, 200, 'text/html', `<!doctype html><meta charset="utf-8"><title>退订</title><form method="post" action="/unsubscribe?token=${safe}"><p>确认退订节日安全提示邮件？</p><button type="submit">退订</button></form>`);
  return true;
}
