/** Reading the request's cookies (the staff listener's session, sign-in and language cookies). */
import type { IncomingMessage } from 'node:http';

export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** A path on this listener to go back to (never another site: no `//host`, no `/\host`). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}
