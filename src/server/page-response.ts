/**
 * Answering with one of the site's public pages from the daemon (sign-up,
 * confirm, unsubscribe): the site's security headers, plus what pages with
 * a token in their address need (no Referer leaving with it, never cached,
 * no framing of their buttons), in the reader's text size. And reading the
 * urlencoded forms those pages post.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { markLargeText, SITE_HTML_CSP, wantsLargeText } from '../channels/website/index.js';

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': `${SITE_HTML_CSP}; form-action 'self'`,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  vary: 'Cookie',
};

export function sendPage(req: IncomingMessage, res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): true {
  const body = Buffer.from(wantsLargeText(req) ? markLargeText(html) : html);
  res.writeHead(status, { ...PAGE_HEADERS, ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

/** A form larger than this is not one of ours. */
export const FORM_MAX_BYTES = 8 * 1024;

export class BodyTooLarge extends Error {
  readonly code = 'EBODYTOOLARGE';
}

/** The posted form (`application/x-www-form-urlencoded`, the browsers' default); an empty one for other bodies. */
export async function readForm(req: IncomingMessage, max = FORM_MAX_BYTES): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLarge(`form body over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  const type = String(req.headers['content-type'] ?? 'application/x-www-form-urlencoded').split(';')[0].trim().toLowerCase();
  // A one-click unsubscribe may come with any type (or none): its token is in the URL; only urlencoded bodies are read.
  if (type !== 'application/x-www-form-urlencoded' && type !== 'text/plain') return new URLSearchParams();
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.writeHead(405, { allow, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('Method not allowed\n');
  return true;
}
