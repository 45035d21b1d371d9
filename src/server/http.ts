/**
 * The daemon's two HTTP listeners (listener.ts does what both share: Host
 * checks, methods, malformed addresses, security headers):
 *
 *   public (default 127.0.0.1:4321, what a bureau exposes through its reverse
 *   proxy): /healthz, the public subscription (sign-up with double opt-in,
 *   subscribe.ts; one-click unsubscribe, RFC 8058, unsubscribe.ts), WeChat's
 *   callback and the website (site/serve.ts).
 *
 *   staff (default 127.0.0.1:4322, sign-in required, staff.ts): /preview/ of
 *   every campaign (embargoed ones included), /preview-site/, /status(.json)
 *   and approving from the browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ApprovalStore, StaffStore, SubscriberStore } from '../delivery/store/index.js';
import type { StatusReport } from '../delivery/status.js';
import { createSiteHandler, sitePathBase } from '../channels/website/index.js';
import type { SiteConfig } from '../config/channels.js';
import { createSubscribeHandlers, type SubscriptionDeps } from './subscribe.js';
import { createUnsubscribeHandler } from './unsubscribe.js';
import type { Renderer } from '../render/renderer.js';
import type { ApproveResult } from '../app/approve.js';
import type { ConsoleService } from '../app/console.js';
import { isLoopbackBind, namesOf, sendText, startListener, type Listener, type Route } from './listener.js';
import { startStaffListener, type LoginLimits } from './staff.js';
import { runMessages } from '../i18n/messages-run.js';

export interface ServerDeps {
  root: string;
  varDir: string;
  store: SubscriberStore & StaffStore & ApprovalStore;
  status(): Promise<StatusReport>;
  renderer: Renderer;
  log: Logger;
  now(): Date;
  /** The public site (base_url: the subscription pages live under its path, their mails link to it; its host is answered for). */
  site: SiteConfig;
  /** The public sign-up's links, adding and mail (daemon.ts wires app/subscriptions.ts and the e-mail channel's notify). */
  subscriptions: SubscriptionDeps;
  /** WeChat's pushes to the callback URL (events.ts): answers each request. */
  wechatEvents?(req: { method: string; query: URLSearchParams; body: string }): Promise<{ status: number; body: string; job?: { publishId: string; status: number } }>;
  /** Approves a campaign's current content as `by`, refusing when its hash is not `expectHash` (app/approve.ts). */
  approve(campaign: string, by: string, expectHash: string): Promise<ApproveResult>;
  /** The staff console's data and actions (app/console.ts). */
  console: ConsoleService;
  /** Real time in ms for sessions, sign-in links and login limits (not the drill clock); tests move it. */
  securityNow?(): number;
  loginLimits?: LoginLimits;
}

export interface Address {
  port: number;
  host: string;
}

export interface ServerAddresses {
  public: Address;
  /** `url`: the address staff use when it is not the listener's own (a reverse proxy): its host is answered for; https makes cookies Secure. */
  staff: Address & { url?: string };
}

export interface RunningServer {
  url: string;
  staffUrl: string;
  /** A one-time sign-in link that creates the first staff account (only while there is none). */
  setupLink?: string;
  /** What listening on a non-loopback address makes reachable: one line each. */
  warnings: string[];
  close(): Promise<void>;
}

/** Every public response: no sniffing, a referrer without the path to other sites, never framed; pages set their own CSP. */
export const PUBLIC_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
};

function send(res: ServerResponse, code: number, type: string, body: string): true {
  res.writeHead(code, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
  return true;
}

async function readBody(req: IncomingMessage, max = 8192): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > max) break;
  }
  return body;
}

export function publicRoutes(deps: ServerDeps): Route[] {
  const site = createSiteHandler({ root: deps.root, varDir: deps.varDir, sites: ['public'] });
  const base = sitePathBase(deps.site);
  const pages = { renderer: deps.renderer, site: deps.site, base, now: deps.now, store: deps.store, log: deps.log };
  const signUp = createSubscribeHandlers({ ...pages, subscriptions: deps.subscriptions });
  const unsubscribe = createUnsubscribeHandler({ ...pages, links: deps.subscriptions.links });
  const under = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const GET = ['GET'];
  const FORM = ['GET', 'POST'];
  return [
    { path: /^\/healthz$/, methods: GET, handler: async (_req, res) => send(res, 200, 'application/json', JSON.stringify({ ok: true, at: deps.now().toISOString() })) },
    { path: new RegExp(`^${under}/subscribe/?$`), methods: FORM, handler: signUp.form },
    { path: new RegExp(`^${under}/subscribe/confirm/?$`), methods: FORM, handler: signUp.confirm },
    // Also at the root: links in mails sent before base_url had a path.
    { path: new RegExp(`^(?:${under})?/unsubscribe$`), methods: FORM, handler: unsubscribe },
    { path: /^\/wechat\/events$/, methods: FORM, handler: (req, res) => wechatEvents(deps, req, res) },
    { path: /^\//, methods: GET, handler: site },
  ];
}

export async function startServer(deps: ServerDeps, at: ServerAddresses): Promise<RunningServer> {
  const listeners: Listener[] = [];
  try {
    const pub = await startListener(
      { name: 'public', port: at.public.port, host: at.public.host, names: namesOf(deps.site.baseUrl), headers: PUBLIC_HEADERS, log: deps.log },
      publicRoutes(deps),
    );
    listeners.push(pub);
    const staff = await startStaffListener(deps, at.staff);
    listeners.push(staff.listener);
    const warnings: string[] = [];
    if (!isLoopbackBind(at.public.host)) {
      warnings.push(runMessages().publicNotLoopback(`${at.public.host}:${pub.port}`, deps.site.baseUrl ? new URL(deps.site.baseUrl).host : null));
    }
    if (!isLoopbackBind(at.staff.host)) {
      warnings.push(runMessages().staffNotLoopback(`${at.staff.host}:${staff.listener.port}`));
    }
    return {
      url: pub.url,
      staffUrl: staff.listener.url,
      setupLink: staff.setupLink,
      warnings,
      close: async () => {
        await Promise.all(listeners.map((l) => l.close()));
      },
    };
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }
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
  sendText(res, answer.status, answer.body);
  return true;
}
