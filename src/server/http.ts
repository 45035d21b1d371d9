/**
 * The daemon's HTTP server (127.0.0.1 by default): /healthz, /status(.json),
 * the public subscription (sign-up with double opt-in, subscribe.ts; one-click
 * unsubscribe, RFC 8058, unsubscribe.ts), /preview/ and the website
 * (site/serve.ts). Routes are one table, tried in order; a handler returning
 * false passes on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { SubscriberStore } from '../delivery/store/index.js';
import type { StatusReport } from '../delivery/status.js';
import { statusHtml } from './status-page.js';
import { createSiteHandler, sitePathBase } from '../channels/website/index.js';
import type { SiteConfig } from '../config/channels.js';
import { createSubscribeHandlers, type SubscriptionDeps } from './subscribe.js';
import { createUnsubscribeHandler } from './unsubscribe.js';
import { BodyTooLarge } from './page-response.js';
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
  /** The public site (base_url: the subscription pages live under its path, their mails link to it). */
  site: SiteConfig;
  /** The public sign-up's links, adding and mail (daemon.ts wires app/subscriptions.ts and the e-mail channel's notify). */
  subscriptions: SubscriptionDeps;
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
  const base = sitePathBase(deps.site);
  const pages = { renderer: deps.renderer, site: deps.site, base, now: deps.now, store: deps.store, log: deps.log };
  const signUp = createSubscribeHandlers({ ...pages, subscriptions: deps.subscriptions });
  const unsubscribe = createUnsubscribeHandler({ ...pages, links: deps.subscriptions.links });
  const under = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const routes: Array<[RegExp, Handler]> = [
    [/^\/healthz$/, async (_req, res) => (send(res, 200, 'application/json', JSON.stringify({ ok: true, at: deps.now().toISOString() })), true)],
    [/^\/status\.json$/, async (_req, res) => (send(res, 200, 'application/json', JSON.stringify(await deps.status(), null, 2)), true)],
    [/^\/status\/?$/, async (_req, res) => (send(res, 200, 'text/html', statusHtml(await deps.status())), true)],
    [new RegExp(`^${under}/subscribe/?$`), signUp.form],
    [new RegExp(`^${under}/subscribe/confirm/?$`), signUp.confirm],
    // Also at the root: links in mails sent before base_url had a path.
    [new RegExp(`^(?:${under})?/unsubscribe$`), unsubscribe],
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
      if (err instanceof BodyTooLarge) {
        if (!res.headersSent) send(res, 413, 'text/plain', 'Request body too large\n');
        return;
      }
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
