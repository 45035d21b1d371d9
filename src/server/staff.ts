/**
 * The staff listener (default 127.0.0.1:4322): the staff console. Every page
 * but sign-in needs a session (staff-auth.ts): / (what is next, what waits),
 * /calendar (firings by holiday, each channel's state), /approvals and
 * /preview/ (every campaign, embargoed ones included; `?campaign=ID` one, with
 * what changed since its last approval and a form approving exactly the hash
 * shown), POST /approve (refused when the content changed since the page
 * showed its hash), /failures and POST /retry, /subscribers (counts, CSV
 * import, /subscribers.csv export), /preview-site/, /status and /status.json,
 * /lang (the reader's language). No page needs script.
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
import { esc, LANG_COOKIE, langOf, messagePage, PARTS_STYLE, staffNav, type PageOptions } from './staff-pages.js';
import { approvalBlock, approvalsPage, calendarPage, errorPage, failuresPage, homePage, subscribersPage } from './console-pages.js';
import type { ConsoleService } from '../app/console.js';
import { consoleMessages } from '../i18n/messages-console.js';
import { parseLang, type Lang } from '../i18n/index.js';
import { safeNext } from './cookies.js';
import { readMultipart } from './multipart.js';
import { BodyTooLarge } from './page-response.js';
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
  /** What the console shows and does (app/console.ts). */
  console: ConsoleService;
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
    {
      name: 'staff', port: at.port, host: at.host, names: namesOf(at.url), headers: STAFF_HEADERS, log: deps.log, portOption: '--staff-port',
      // A mistyped address, a stale link, a reloaded form: a console page in the reader's language, with the way back.
      errorPage: (req, status) => errorPage(status, undefined, langOf(req)),
    },
    staffRoutes(deps, auth),
  );
  const token = await auth.setupToken();
  // The link is for a browser on this machine, straight to the listener (a proxy's requests are refused by it).
  const direct = /^(0\.0\.0\.0|::)$/.test(at.host) ? `http://127.0.0.1:${listener.port}` : listener.url;
  return { listener, setupLink: token ? `${direct}/setup?token=${token}` : undefined };
}

type SignedIn = (req: IncomingMessage, res: ServerResponse, who: Session) => Promise<boolean>;

/** A CSV upload larger than this is refused (the CLI imports any size). */
const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

function staffRoutes(deps: StaffDeps, auth: StaffAuth): Route[] {
  /** A page for staff only: without a session, to sign-in (and back here after); JSON gets a 401. */
  const signedIn = (handler: SignedIn): Handler => async (req, res) => {
    const who = await auth.who(req);
    if (who) return handler(req, res, who);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.endsWith('.json')) return auth.page(res, 401, JSON.stringify({ error: 'sign in first: /login' }), { 'content-type': 'application/json; charset=utf-8' });
    if (req.method === 'POST') {
      const lang = langOf(req);
      const m = consoleMessages(lang);
      return auth.page(res, 403, messagePage(m.signInFirst, m.sessionEnded, { lang }, [['/login', m.signIn]]));
    }
    return auth.page(res, 303, '', { location: `/login?next=${encodeURIComponent(req.url ?? '/')}` });
  };
  const preview = createPreviewHandler({ root: deps.root, renderer: deps.renderer, now: deps.now });
  const previewSite = createSiteHandler({ root: deps.root, varDir: deps.varDir, sites: ['preview'] });
  const c = deps.console;
  const GET = ['GET'];
  const POST = ['POST'];
  const page = (req: IncomingMessage, res: ServerResponse, html: (lang: Lang) => string | Promise<string>) =>
    Promise.resolve(html(langOf(req))).then((h) => auth.page(res, 200, h));
  return [
    { path: /^\/login$/, methods: GET, handler: (req, res) => auth.loginForm(req, res) },
    { path: /^\/login$/, methods: POST, handler: (req, res) => auth.login(req, res) },
    { path: /^\/logout$/, methods: POST, handler: (req, res) => auth.logout(req, res) },
    { path: /^\/setup$/, methods: GET, handler: (req, res) => auth.setupForm(req, res) },
    { path: /^\/setup$/, methods: POST, handler: (req, res) => auth.createFirst(req, res) },
    { path: /^\/lang$/, methods: GET, handler: async (req, res) => chooseLang(req, res, auth) },
    {
      path: /^\/done$/, methods: GET,
      handler: signedIn(async (req, res, who) => {
        const flash = who.flash?.(langOf(req));
        who.flash = undefined;
        if (!flash) return auth.page(res, 303, '', { location: '/' });
        return auth.page(res, 200, messagePage(flash.title, flash.text, { who, lang: langOf(req) }, flash.links));
      }),
    },
    {
      path: /^\/$/, methods: GET,
      handler: signedIn((req, res, who) => page(req, res, async (lang) => {
        const now = deps.now();
        // Deliveries by state from the ledger's counts: the failures page's groups are for reading, not counting.
        const [groups, approvals, deliveries, counts] = await Promise.all([c.calendar(now), c.approvals(now), c.deliveryCounts(), c.subscriberCounts()]);
        const waiting = approvals.filter((a) => a.held > 0 || (a.approval.state !== 'approved' && a.liveChannels.length > 0)).length;
        return homePage({ next: groups.find((g) => g.firings.some((f) => !f.past)), waiting, failed: deliveries.failed, held: deliveries.held, active: counts.active }, who, lang);
      })),
    },
    { path: /^\/calendar\/?$/, methods: GET, handler: signedIn(async (req, res, who) => page(req, res, async (lang) => calendarPage(await c.calendar(deps.now()), who, lang))) },
    { path: /^\/approvals\/?$/, methods: GET, handler: signedIn(async (req, res, who) => page(req, res, async (lang) => approvalsPage(await c.approvals(deps.now()), who, lang))) },
    { path: /^\/failures\/?$/, methods: GET, handler: signedIn(async (req, res, who) => page(req, res, async (lang) => failuresPage(await c.failures(), who, lang))) },
    { path: /^\/retry$/, methods: POST, handler: signedIn((req, res, who) => retry(deps, auth, req, res, who)) },
    { path: /^\/subscribers\/?$/, methods: GET, handler: signedIn(async (req, res, who) => page(req, res, async (lang) => subscribersPage(await c.subscriberCounts(), who, lang))) },
    { path: /^\/subscribers\/import$/, methods: POST, handler: signedIn((req, res, who) => importList(deps, auth, req, res, who)) },
    {
      path: /^\/subscribers\.csv$/, methods: GET,
      handler: signedIn(async (_req, res, who) => {
        deps.log.info({ by: who.name }, 'subscriber list exported from the staff console');
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="subscribers.csv"', 'cache-control': 'no-store' });
        for await (const piece of c.exportSubscribers()) {
          if (res.destroyed) break; // the browser went away
          if (!res.write(piece)) await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
        }
        res.end();
        return true;
      }),
    },
    {
      path: /^\/status\.json$/, methods: GET,
      handler: signedIn(async (_req, res) => auth.page(res, 200, JSON.stringify(await deps.status(), null, 2), { 'content-type': 'application/json; charset=utf-8' })),
    },
    { path: /^\/status\/?$/, methods: GET, handler: signedIn(async (req, res, who) => page(req, res, async (lang) => statusHtml(await deps.status(), who, lang))) },
    { path: /^\/preview(\/|$)/, methods: GET, handler: signedIn((req, res, who) => preview(req, res, (html, campaigns) => decoratePreview(deps, html, campaigns, who, langOf(req), req.url ?? '/preview/'), langOf(req))) },
    { path: /^\/preview-site(\/|$)/, methods: GET, handler: signedIn((req, res) => previewSite(req, res)) },
    { path: /^\/approve$/, methods: POST, handler: signedIn((req, res, who) => approve(deps, auth, req, res, who)) },
  ];
}

/** GET /lang?to=en&next=/calendar: the reader's language, kept in a cookie (a preference: no form, no script needed). */
function chooseLang(req: IncomingMessage, res: ServerResponse, auth: StaffAuth): true {
  const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const to = parseLang(q.get('to') ?? undefined);
  const cookie = to ? [`${LANG_COOKIE}=${to}; Path=/; SameSite=Lax; Max-Age=31536000`] : [];
  return auth.page(res, 303, '', { location: safeNext(q.get('next')), ...(cookie.length ? { 'set-cookie': cookie } : {}) });
}

/** The preview as the console wraps it: its top bar and parts' styles added (the page stays in its content's language). */
const withNav = (html: string, who: Session, lang: Lang, section: PageOptions['section'], here: string) =>
  html.replace(/<body>/, `<body>${staffNav(who, lang, section, here)}`).replace(/<\/head>/, `<style>${PARTS_STYLE}</style></head>`);

/** The preview as staff see it: the navigation, and under each campaign's title what changed since its last approval and a form approving exactly the content shown. */
async function decoratePreview(deps: StaffDeps, html: string, campaigns: readonly PreviewCampaign[], who: Session, lang: Lang, here: string): Promise<string> {
  let out = withNav(html, who, lang, 'preview', here);
  for (const c of campaigns) {
    const detail = await deps.console.approval(c.id, deps.now());
    if (!detail) continue;
    // The hash approved is the one this build showed (the page and the form agree even if a file changed since).
    const form = approvalBlock({ ...detail, hash: c.hash }, who, lang);
    const open = `<section class="campaign" id="c-${esc(c.id)}">`;
    const at = out.indexOf(open);
    const title = at < 0 ? -1 : out.indexOf('</h2>', at);
    out = title >= 0 ? `${out.slice(0, title + 5)}\n${form}${out.slice(title + 5)}` : out.replace(/<\/body>/, `<section id="approve-${esc(c.id)}"><h2>${esc(c.id)}</h2>${form}</section></body>`);
  }
  return out;
}


/** A CSRF-checked POST of a signed-in page: the form, or undefined after answering 403. */
async function checkedForm(deps: StaffDeps, auth: StaffAuth, req: IncomingMessage, res: ServerResponse, who: Session, what: string, back: [string, string]) {
  const form = await readForm(req);
  if (auth.csrfOk(req, form, who)) return form;
  const lang = langOf(req);
  const m = consoleMessages(lang);
  deps.log.warn({ name: who.name }, `${what} form without a valid CSRF token: refused`);
  auth.page(res, 403, messagePage(m.refused, m.csrfText, { who, lang }, [back]));
  return undefined;
}

async function approve(deps: StaffDeps, auth: StaffAuth, req: IncomingMessage, res: ServerResponse, who: Session): Promise<true> {
  const lang = langOf(req);
  const m = consoleMessages(lang);
  const form = await checkedForm(deps, auth, req, res, who, 'approve', ['/preview/', m.backToPreview]);
  if (!form) return true;
  const campaign = form.get('campaign') ?? '';
  const hash = form.get('hash') ?? '';
  const back: Array<[string, string]> = [[`/preview/?campaign=${encodeURIComponent(campaign)}`, m.backToPreview], ['/calendar', m.calendar]];
  try {
    const r = await deps.approve(campaign, who.name, hash);
    deps.log.info({ campaign, hash: shortHash(r.hash), by: who.name, released: r.released }, 'approved from the staff listener');
    return done(auth, res, who, (t) => ({
      title: t.approvedTitle,
      text: [
        t.approvedText(campaign, shortHash(r.hash), who.name, r.released),
        r.superseded > 0 ? t.supersededText(r.superseded) : '',
        r.missed > 0 ? t.missedText(r.missed) : '',
        ...r.errors.map((e) => t.rerenderFailed(e.key, e.message)),
      ].filter(Boolean).join(' '),
      links: [[`/preview/?campaign=${encodeURIComponent(campaign)}`, t.backToPreview], ['/calendar', t.calendar]],
    }));
  } catch (err) {
    if (!(err instanceof AdvisoryError)) throw err;
    const changed = err.code === 'ECONTENT_CHANGED';
    return auth.page(res, changed ? 409 : 422, messagePage(changed ? m.contentChangedTitle : m.cannotApprove, m.nothingApproved(err.message), { who, lang, section: 'approvals' }, back));
  }
}

/** A form's success, said in the language of the page that shows it: kept for the session, shown once by GET /done (a reload of it sends nothing again). */
function done(auth: StaffAuth, res: ServerResponse, who: Session, say: (m: ReturnType<typeof consoleMessages>) => { title: string; text: string; links: Array<[string, string]> }): true {
  who.flash = (lang) => say(consoleMessages(lang));
  return auth.page(res, 303, '', { location: '/done' });
}

async function retry(deps: StaffDeps, auth: StaffAuth, req: IncomingMessage, res: ServerResponse, who: Session): Promise<true> {
  const lang = langOf(req);
  const m = consoleMessages(lang);
  const back: [string, string] = ['/failures', m.backToFailures];
  const form = await checkedForm(deps, auth, req, res, who, 'retry', back);
  if (!form) return true;
  const group = form.get('group');
  if (group) {
    const n = await deps.console.retryGroup(group, deps.now());
    deps.log.info({ group, by: who.name, requeued: n }, 'retry from the staff console');
    return n > 0 ? done(auth, res, who, (t) => ({ title: t.requeuedTitle, text: t.requeuedMany(n), links: [['/failures', t.backToFailures]] })) : auth.page(res, 409, messagePage(m.retry, m.groupGone, { who, lang, section: 'failures' }, [back]));
  }
  const key = form.get('key') ?? '';
  const r = await deps.console.retry(key, deps.now());
  deps.log.info({ key, by: who.name, result: r }, 'retry from the staff console');
  const o = { who, lang, section: 'failures' as const };
  if (r === 'requeued') return done(auth, res, who, (t) => ({ title: t.requeuedTitle, text: t.requeuedText(key), links: [['/failures', t.backToFailures]] }));
  return auth.page(res, r === 'unknown' ? 404 : 409, messagePage(m.retry, r === 'unknown' ? m.unknownDeliveryText(key) : m.notRetryableText(key), o, [back]));
}

async function importList(deps: StaffDeps, auth: StaffAuth, req: IncomingMessage, res: ServerResponse, who: Session): Promise<true> {
  const lang = langOf(req);
  const m = consoleMessages(lang);
  const c = deps.console;
  let form;
  try {
    form = await readMultipart(req, IMPORT_MAX_BYTES);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    return auth.page(res, 413, subscribersPage(await c.subscriberCounts(), who, lang, { file: '', error: m.fileTooLarge(IMPORT_MAX_BYTES / 1024 / 1024) }));
  }
  if (!auth.csrfOk(req, form.fields, who)) {
    deps.log.warn({ name: who.name }, 'import form without a valid CSRF token: refused');
    return auth.page(res, 403, messagePage(m.refused, m.csrfText, { who, lang }, [['/subscribers', m.backToSubscribers]]));
  }
  const file = form.files.get('file');
  if (!file || file.bytes.length === 0) return auth.page(res, 400, subscribersPage(await c.subscriberCounts(), who, lang, { file: '', error: m.noFile }));
  const name = file.filename.replace(/^.*[\\/]/, '') || 'upload.csv';
  try {
    const summary = await c.importSubscribers(file.bytes, name, deps.now());
    deps.log.info({ by: who.name, file: name, added: summary.added, invalid: summary.invalid.length }, 'subscribers imported from the staff console');
    return auth.page(res, summary.invalid.length ? 422 : 200, subscribersPage(await c.subscriberCounts(), who, lang, { file: name, summary }));
  } catch (err) {
    if (!(err instanceof AdvisoryError)) throw err;
    return auth.page(res, 422, subscribersPage(await c.subscriberCounts(), who, lang, { file: name, error: err.message }));
  }
}
