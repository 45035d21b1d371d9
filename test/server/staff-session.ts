/** Staff sign-in for HTTP tests: an account in the ledger, and a signed-in client of the staff listener (its cookie and CSRF token). */
import { join } from 'node:path';
import { hashPassword } from '../../src/delivery/staff.js';
import { withStore } from '../delivery/helpers.js';

export const PASSWORD = 'correct horse battery';

export async function addStaff(root: string, name = 'wang', password = PASSWORD): Promise<void> {
  const hash = await hashPassword(password);
  await withStore(join(root, 'var'), (s) => s.addStaff(name, hash, new Date()));
}

/** The value of a hidden field in a page (`name="csrf" value="…"`). */
export function field(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no field ${name} in:\n${html.slice(0, 2000)}`);
  return m[1].replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)));
}

/** `name=value` of a Set-Cookie header's cookie `name`, or undefined. */
export function setCookie(r: Response, name: string): string | undefined {
  return r.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

const form = (o: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(o).toString() });

export interface StaffClient {
  cookie: string;
  csrf: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, fields: Record<string, string>, init?: RequestInit): Promise<Response>;
}

/** The sign-in form's pre-session cookie and token. */
export async function loginForm(staffUrl: string): Promise<{ pre: string; csrf: string }> {
  const r = await fetch(`${staffUrl}/login`);
  const pre = setCookie(r, 'advisory_pre')!.split(';')[0];
  return { pre, csrf: field(await r.text(), 'csrf') };
}

export async function postForm(url: string, fields: Record<string, string>, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  const f = form(fields);
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': f['content-type'], ...(cookie ? { cookie } : {}), ...headers }, body: f.body });
}

/** Signs in as `name` and returns a client carrying its session. */
export async function signIn(staffUrl: string, name = 'wang', password = PASSWORD): Promise<StaffClient> {
  const { pre, csrf } = await loginForm(staffUrl);
  const r = await postForm(`${staffUrl}/login`, { csrf, name, password, next: '/' }, pre);
  if (r.status !== 303) throw new Error(`sign-in as ${name} answered ${r.status}: ${await r.text()}`);
  const cookie = setCookie(r, 'advisory_staff')!.split(';')[0];
  const home = await fetch(`${staffUrl}/`, { headers: { cookie } });
  const client: StaffClient = {
    cookie,
    csrf: field(await home.text(), 'csrf'),
    get: (path, init = {}) => fetch(`${staffUrl}${path}`, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers as Record<string, string> | undefined) } }),
    post: (path, fields) => postForm(`${staffUrl}${path}`, { csrf: client.csrf, ...fields }, cookie),
  };
  return client;
}
