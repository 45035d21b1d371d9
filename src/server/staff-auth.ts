/**
 * Signing in to the staff listener.
 *
 * Sessions are kept in memory (a restart signs everyone out): a random id in
 * an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS), ending after 12 h
 * without a request, 24 h after sign-in, at sign-out, or when the account is
 * removed or its password changed. Every form carries a CSRF token checked on
 * every POST: the session's own, or before sign-in one bound to a random
 * cookie by an HMAC (double submit that a planted cookie cannot forge); a POST
 * whose Origin names another host is refused as well. Failed sign-ins are
 * limited per client and per account name (429 with the wait); the answer
 * never says whether the name exists, and an unknown name costs the same
 * scrypt time. While no account exists, a one-time link printed at start-up
 * (15 minutes, loopback clients only) creates the first one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { StaffStore } from '../delivery/store/index.js';
import { hashPassword, PASSWORD_MIN, passwordProblem, staffNameProblem, verifyPassword } from '../delivery/staff.js';
import { clientAddress, fromLoopback, RateLimiter, type Limit } from './rate-limit.js';
import { readForm } from './page-response.js';
import { langOf, loginPage, messagePage, setupPage } from './staff-pages.js';
import { staffMessages } from '../i18n/messages-people.js';
import { consoleMessages } from '../i18n/messages-console.js';
import type { Lang } from '../i18n/index.js';
import { cookieOf, safeNext } from './cookies.js';

export interface LoginLimits {
  perClient: Limit;
  perAccount: Limit;
}

/** 5 failed sign-ins per client, and per account name, in 15 minutes. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perClient: { max: 5, windowMs: 15 * 60_000 },
  perAccount: { max: 5, windowMs: 15 * 60_000 },
};
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 24 * 3600_000;
export const SETUP_LINK_MS = 15 * 60_000;
export const SESSION_COOKIE = 'advisory_staff';
const PRE_COOKIE = 'advisory_pre';
const MAX_SESSIONS = 10_000;

export interface Session {
  id: string;
  name: string;
  csrf: string;
  /** The account's updatedAt at sign-in: a new password ends the session. */
  stamp: string;
  started: number;
  seen: number;
  /** What a form just did, shown once by the page it redirects to (POST, then redirect, then GET: a reload sends nothing again). */
  flash?: (lang: Lang) => { title: string; text: string; links: Array<[string, string]> };
}

export interface StaffAuthOptions {
  store: StaffStore;
  log: Logger;
  now(): number;
  /** The address staff use (--staff-url): https makes cookies Secure. */
  url?: string;
  limits: LoginLimits;
  /** Whether a host (from Origin) is this listener. */
  answersFor(host: string): boolean;
}

const random = () => randomBytes(32).toString('base64url');
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export { cookieOf, safeNext };

/** A client on this machine, not one a proxy on this machine forwards. */
function directLoopback(req: IncomingMessage): boolean {
  const h = req.headers;
  return fromLoopback(req) && !h['x-forwarded-for'] && !h.forwarded && !h['x-real-ip'] && !h['x-forwarded-host'];
}

export class StaffAuth {
  private readonly sessions = new Map<string, Session>();
  private readonly secret = randomBytes(32);
  private readonly perClient: RateLimiter;
  private readonly perAccount: RateLimiter;
  private setup: { token: string; until: number; used: boolean } | undefined;

  constructor(private readonly o: StaffAuthOptions) {
    this.perClient = new RateLimiter(o.limits.perClient);
    this.perAccount = new RateLimiter(o.limits.perAccount);
  }

  /** A one-time token for the first account, when there is no account (else undefined). */
  async setupToken(): Promise<string | undefined> {
    if ((await this.o.store.staffAccounts()).length > 0) return undefined;
    this.setup = { token: random(), until: this.o.now() + SETUP_LINK_MS, used: false };
    return this.setup.token;
  }

  /** Secure cookies: the staff URL is https, or the request came through a proxy on this machine that says https. */
  private secure(req: IncomingMessage): boolean {
    if (this.o.url?.startsWith('https:')) return true;
    return fromLoopback(req) && String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim().toLowerCase() === 'https';
  }

  private cookie(req: IncomingMessage, name: string, value: string, maxAge?: number): string {
    return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${this.secure(req) ? '; Secure' : ''}${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}`;
  }

  /** The signed-in session of this request, if any (its account still there with the same password). */
  async who(req: IncomingMessage): Promise<Session | undefined> {
    const id = cookieOf(req, SESSION_COOKIE);
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) return undefined;
    const now = this.o.now();
    const account = await this.o.store.staffAccount(s.name);
    if (now - s.seen > SESSION_IDLE_MS || now - s.started > SESSION_MAX_MS || !account || account.updatedAt !== s.stamp) {
      this.sessions.delete(s.id);
      return undefined;
    }
    s.seen = now;
    return s;
  }

  private async startSession(req: IncomingMessage, name: string): Promise<string> {
    const account = await this.o.store.staffAccount(name);
    const now = this.o.now();
    const s: Session = { id: random(), name, csrf: random(), stamp: account?.updatedAt ?? '', started: now, seen: now };
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(s.id, s);
    return this.cookie(req, SESSION_COOKIE, s.id);
  }

  /** The CSRF token of a form shown before sign-in, and the cookie it is bound to (set when new). */
  private preToken(req: IncomingMessage, res: ServerResponse): string {
    let value = cookieOf(req, PRE_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = random();
      res.setHeader('set-cookie', this.cookie(req, PRE_COOKIE, value));
    }
    return this.mac(value);
  }

  private mac(value: string): string {
    return createHmac('sha256', this.secret).update(`pre:${value}`).digest('base64url');
  }

  /** The posted token matches the session's (or, before sign-in, the pre-cookie's), and no other site's page sent it. */
  csrfOk(req: IncomingMessage, form: URLSearchParams, session: Session | undefined): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let host = '';
      try {
        host = new URL(origin).host;
      } catch { /* "null" and other non-URLs: refused below */ }
      if (!this.o.answersFor(host)) return false;
    }
    const sent = form.get('csrf') ?? '';
    if (session) return same(sent, session.csrf);
    const pre = cookieOf(req, PRE_COOKIE);
    return !!pre && same(sent, this.mac(pre));
  }

  private forbidden(req: IncomingMessage, res: ServerResponse): true {
    const lang = langOf(req);
    const m = consoleMessages(lang);
    return this.page(res, 403, messagePage(m.refused, m.csrfText, { lang }, [['/login', m.signIn]]));
  }

  page(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): true {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(html);
    return true;
  }

  /** GET /login */
  async loginForm(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const next = safeNext(new URL(req.url ?? '/', 'http://localhost').searchParams.get('next'));
    if (await this.who(req)) return this.page(res, 303, '', { location: next });
    return this.page(res, 200, loginPage({ csrf: this.preToken(req, res), next, lang: langOf(req) }));
  }

  /** POST /login */
  async login(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const form = await readForm(req);
    if (!this.csrfOk(req, form, undefined)) return this.forbidden(req, res);
    const name = (form.get('name') ?? '').trim().normalize('NFC');
    const password = form.get('password') ?? '';
    const next = safeNext(form.get('next'));
    const client = clientAddress(req);
    const now = this.o.now();
    const wait = Math.max(this.perClient.blocked(client, now) ?? 0, this.perAccount.blocked(name.toLowerCase(), now) ?? 0);
    if (wait > now) {
      const minutes = Math.ceil((wait - now) / 60_000);
      this.o.log.warn({ client, name }, 'staff sign-in refused: too many failures');
      return this.page(res, 429, loginPage({ csrf: this.preToken(req, res), next, name, error: consoleMessages(langOf(req)).tooMany(minutes), lang: langOf(req) }), { 'retry-after': String(Math.ceil((wait - now) / 1000)) });
    }
    const account = name ? await this.o.store.staffAccount(name) : undefined;
    if (!(await verifyPassword(password, account?.passwordHash))) {
      this.perClient.take(client, now);
      this.perAccount.take(name.toLowerCase(), now);
      this.o.log.warn({ client, name }, 'staff sign-in failed');
      return this.page(res, 401, loginPage({ csrf: this.preToken(req, res), next, name, error: consoleMessages(langOf(req)).wrongPassword, lang: langOf(req) }));
    }
    this.o.log.info({ client, name: account!.name }, 'staff signed in');
    return this.page(res, 303, '', { location: next, 'set-cookie': await this.startSession(req, account!.name) });
  }

  /** POST /logout */
  async logout(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const form = await readForm(req);
    const s = await this.who(req);
    if (!s || !this.csrfOk(req, form, s)) return this.forbidden(req, res);
    this.sessions.delete(s.id);
    this.o.log.info({ name: s.name }, 'staff signed out');
    return this.page(res, 303, '', { location: '/login', 'set-cookie': this.cookie(req, SESSION_COOKIE, '', 0) });
  }

  /** Whether a sign-in link for the first account is good for this request (nothing says which check failed). */
  private async setupValid(req: IncomingMessage, token: string): Promise<boolean> {
    const s = this.setup;
    if (!s || s.used || !directLoopback(req) || this.o.now() > s.until || !same(token, s.token)) return false;
    return (await this.o.store.staffAccounts()).length === 0;
  }

  private setupRefused(req: IncomingMessage, res: ServerResponse): true {
    const lang = langOf(req);
    const m = consoleMessages(lang);
    return this.page(res, 403, messagePage(m.linkInvalid, m.linkInvalidText, { lang }, [['/login', m.signIn]]));
  }

  /** GET /setup?token= */
  async setupForm(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? '';
    if (!(await this.setupValid(req, token))) return this.setupRefused(req, res);
    return this.page(res, 200, setupPage({ csrf: this.preToken(req, res), token, min: PASSWORD_MIN, lang: langOf(req) }));
  }

  /** POST /setup: creates the first account and signs it in. */
  async createFirst(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const form = await readForm(req);
    if (!this.csrfOk(req, form, undefined)) return this.forbidden(req, res);
    const token = form.get('token') ?? '';
    if (!(await this.setupValid(req, token))) return this.setupRefused(req, res);
    const name = (form.get('name') ?? '').trim().normalize('NFC');
    const password = form.get('password') ?? '';
    const lang = langOf(req);
    const problem = staffNameProblem(name, lang) ?? passwordProblem(password, lang) ?? (password === form.get('password2') ? null : staffMessages(lang).passwordsDiffer);
    if (problem) return this.page(res, 400, setupPage({ csrf: this.preToken(req, res), token, name, error: problem, min: PASSWORD_MIN, lang }));
    // Checked again with no await in between: of two forms sent at once, only one creates an account.
    if (this.setup!.used) return this.setupRefused(req, res);
    this.setup!.used = true;
    if (!(await this.o.store.addStaff(name, await hashPassword(password), new Date(this.o.now())))) return this.setupRefused(req, res);
    this.o.log.info({ name }, 'first staff account created from the start-up link');
    return this.page(res, 303, '', { location: '/', 'set-cookie': await this.startSession(req, name) });
  }
}
