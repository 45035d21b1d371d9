/**
 * The staff listener (default 127.0.0.1:4322): every page but sign-in needs a
 * session (staff-auth.ts). /preview/ (every campaign, embargoed ones
 * included, with an approve form per campaign), /preview-site/, /status and
 * /status.json, and POST /approve: approve this content as the signed-in
 * name, refused when the content changed since the page showed its hash.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ApprovalStore, StaffStore } from '../delivery/store/index.js';
import type { StatusReport } from '../delivery/status.js';
import { shortHash } from '../delivery/approval.js';
import type { Renderer } from '../render/renderer.js';
import type { ApproveResult } from '../app/approve.js';
import { createSiteHandler } from '../channels/website/index.js';
import { AdvisoryError } from '../errors.js';
import { namesOf, startListener, type Handler, type Listener, type Route } from './listener.js';
import { DEFAULT_LOGIN_LIMITS, StaffAuth, type LoginLimits, type Session } from './staff-auth.js';
import { esc, homePage, messagePage, staffNav } from './staff-pages.js';
import { statusHtml } from './status-page.js';
import { createPreviewHandler, type PreviewCampaign } from './preview.js';
import { readForm } from './page-response.js';

export type { LoginLimits } from './staff-auth.js';

export interface StaffDeps {
  root: string;
  varDir: string;
  store: StaffStore & ApprovalStore;
  status(): Promise<StatusReport>;
  renderer: Renderer;
  log: Logger;
  now(): Date;
  approve(campaign: string, by: string, expectHash: string): Promise<ApproveResult>;
  securityNow?(): number;
  loginLimits?: LoginLimits;
}

/** Every staff response: nothing but this listener's own styles and images, no script, never framed (the preview's frames say otherwise), no Referer to other sites. */
export const STAFF_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export async function startStaffListener(deps: StaffDeps, at: { port: number; host: string; url?: string }): Promise<{ listener: Listener; setupLink?: string }> {
  let listener: Listener | undefined;
  const auth = new StaffAuth({
    store: deps.store, log: deps.log, now: deps.securityNow ?? Date.now, url: at.url,
    limits: deps.loginLimits ?? DEFAULT_LOGIN_LIMITS, answersFor: (h) => listener?.answersFor(h) ?? false,
  });
  listener = await startListener(
    { name: 'staff', port: at.port, host: at.host, names: namesOf(at.url), headers: STAFF_HEADERS, log: deps.log, portOption: '--staff-port' },
    staffRoutes(deps, auth),
  );
  const token = await auth.setupToken();
  // The link is for a browser on this machine, straight to the listener (a proxy's requests are refused by it).
  const direct = /^(0\.0\.0\.0|::)$/.test(at.host) ? `http://127.0.0.1:${listener.port}` : listener.url;
  return { listener, setupLink: token ? `${direct}/setup?token=${token}` : undefined };
}

type SignedIn = (req: IncomingMessage, res: ServerResponse, who: Session) => Promise<boolean>;

function staffRoutes(deps: StaffDeps, auth: StaffAuth): Route[] {
  /** A page for staff only: without a session, to sign-in (and back here after); JSON gets a 401. */
  const signedIn = (handler: SignedIn): Handler => async (req, res) => {
    const who = await auth.who(req);
    if (who) return handler(req, res, who);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.endsWith('.json')) return auth.page(res, 401, JSON.stringify({ error: 'sign in first: /login' }), { 'content-type': 'application/json; charset=utf-8' });
    if (req.method === 'POST') return auth.page(res, 403, messagePage('请先登录 / Sign in first', 'Your session has ended: sign in and send the form again.', undefined, [['/login', 'Sign in']]));
    return auth.page(res, 303, '', { location: `/login?next=${encodeURIComponent(req.url ?? '/')}` });
  };
  const preview = createPreviewHandler({ root: deps.root, renderer: deps.renderer, now: deps.now });
  const previewSite = createSiteHandler({ root: deps.root, varDir: deps.varDir, sites: ['preview'] });
  const GET = ['GET'];
  const POST = ['POST'];
  return [
    { path: /^\/login$/, methods: GET, handler: (req, res) => auth.loginForm(req, res) },
    { path: /^\/login$/, methods: POST, handler: (req, res) => auth.login(req, res) },
    { path: /^\/logout$/, methods: POST, handler: (req, res) => auth.logout(req, res) },
    { path: /^\/setup$/, methods: GET, handler: (req, res) => auth.setupForm(req, res) },
    { path: /^\/setup$/, methods: POST, handler: (req, res) => auth.createFirst(req, res) },
    { path: /^\/$/, methods: GET, handler: signedIn(async (_req, res, who) => auth.page(res, 200, homePage(who))) },
    {
      path: /^\/status\.json$/, methods: GET,
      handler: signedIn(async (_req, res) => auth.page(res, 200, JSON.stringify(await deps.status(), null, 2), { 'content-type': 'application/json; charset=utf-8' })),
    },
    { path: /^\/status\/?$/, methods: GET, handler: signedIn(async (_req, res, who) => auth.page(res, 200, withNav(statusHtml(await deps.status()), who))) },
    { path: /^\/preview(\/|$)/, methods: GET, handler: signedIn((req, res, who) => preview(req, res, (html, campaigns) => decoratePreview(deps, html, campaigns, who))) },
    { path: /^\/preview-site(\/|$)/, methods: GET, handler: signedIn((req, res) => previewSite(req, res)) },
    { path: /^\/approve$/, methods: POST, handler: signedIn((req, res, who) => approve(deps, auth, req, res, who)) },
  ];
}

const withNav = (html: string, who: Session) => html.replace(/<body>/, `<body>${staffNav(who)}`);

/** The preview as staff see it: the navigation, and under each campaign's title a form approving exactly the content shown. */
async function decoratePreview(deps: StaffDeps, html: string, campaigns: readonly PreviewCampaign[], who: Session): Promise<string> {
  let out = withNav(html, who);
  for (const c of campaigns) {
    const approved = await deps.store.approval(c.id, c.hash);
    const latest = approved ? undefined : await deps.store.latestApproval(c.id);
    const state = approved
      ? `已批准 / approved by <b>${esc(approved.approvedBy)}</b> at ${esc(approved.approvedAt)}`
      : latest ? `未批准 / not approved: the latest approval (${esc(latest.approvedBy)}, ${esc(latest.approvedAt)}) was of other content <code>${esc(shortHash(latest.contentHash))}</code>` : '未批准 / never approved';
    const form = `<form method="post" action="/approve" class="approve-form" aria-label="approve ${esc(c.id)}">
<input type="hidden" name="csrf" value="${esc(who.csrf)}"><input type="hidden" name="campaign" value="${esc(c.id)}"><input type="hidden" name="hash" value="${esc(c.hash)}">
<p>内容哈希 / content hash <code class="approve-hash">${esc(shortHash(c.hash))}</code> · ${state}</p>
<button type="submit">以 ${esc(who.name)} 身份批准此内容 / Approve this content as ${esc(who.name)}</button></form>`;
    const open = `<section class="campaign" id="c-${esc(c.id)}">`;
    const at = out.indexOf(open);
    const title = at < 0 ? -1 : out.indexOf('</h2>', at);
    out = title >= 0 ? `${out.slice(0, title + 5)}\n${form}${out.slice(title + 5)}` : out.replace(/<\/body>/, `<section id="approve-${esc(c.id)}"><h2>${esc(c.id)}</h2>${form}</section></body>`);
  }
  return out;
}

async function approve(deps: StaffDeps, auth: StaffAuth, req: IncomingMessage, res: ServerResponse, who: Session): Promise<true> {
  const form = await readForm(req);
  if (!auth.csrfOk(req, form, who)) {
    deps.log.warn({ name: who.name }, 'approve form without a valid CSRF token: refused');
    return auth.page(res, 403, messagePage('请求被拒绝 / Refused', 'This form was not sent from a page of this server (CSRF check): nothing was approved.', who, [['/preview/', 'Back to the preview']]));
  }
  const campaign = form.get('campaign') ?? '';
  const hash = form.get('hash') ?? '';
  const back: Array<[string, string]> = [[`/preview/#c-${campaign}`, 'Back to the preview']];
  try {
    const r = await deps.approve(campaign, who.name, hash);
    deps.log.info({ campaign, hash: shortHash(r.hash), by: who.name, released: r.released }, 'approved from the staff listener');
    const more = [
      r.superseded > 0 ? `${r.superseded} not yet sent re-rendered from this version and released.` : '',
      r.missed > 0 ? `${r.missed} past their window: recorded as missed.` : '',
      ...r.errors.map((e) => `${e.key}: could not re-render (${e.message}); it stays held.`),
    ].filter(Boolean).join(' ');
    return auth.page(res, 200, messagePage('已批准 / Approved', `Approved ${campaign} content ${shortHash(r.hash)} as ${who.name}; released ${r.released} held deliver${r.released === 1 ? 'y' : 'ies'}. ${more}`.trim(), who, back));
  } catch (err) {
    if (!(err instanceof AdvisoryError)) throw err;
    const changed = err.code === 'ECONTENT_CHANGED';
    return auth.page(res, changed ? 409 : 422, messagePage(changed ? '内容已更改 / The content changed' : '无法批准 / Cannot approve', `${err.message}. Nothing was approved.`, who, back));
  }
}
