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

/** The request's body as bytes; a body over `max` bytes is refused whole (BodyTooLarge). */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLarge(`form body over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The posted form (`application/x-www-form-urlencoded`, the browsers' default).
 * A multipart body (RFC 8058 allows it for the one-click POST) gives its plain
 * text fields; other bodies give none.
 */
export async function readForm(req: IncomingMessage, max = FORM_MAX_BYTES): Promise<URLSearchParams> {
  const body = (await readBody(req, max)).toString('utf8');
  const [type, ...params] = String(req.headers['content-type'] ?? 'application/x-www-form-urlencoded').split(';').map((p) => p.trim());
  switch (type.toLowerCase()) {
    case 'application/x-www-form-urlencoded':
      return new URLSearchParams(body);
    case 'multipart/form-data': {
      const boundary = params.map((p) => /^boundary="?([^";]+)"?$/i.exec(p)?.[1]).find(Boolean);
      const fields = new URLSearchParams();
      for (const part of boundary ? body.split(`--${boundary}`) : []) {
        const m = /^\r\nContent-Disposition: form-data; name="([^"]+)"\r\n\r\n([\s\S]*)\r\n$/i.exec(part);
        if (m) fields.append(m[1], m[2]);
      }
      return fields;
    }
    default:
      return new URLSearchParams();
  }
}

export function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.writeHead(405, { allow, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('Method not allowed\n');
  return true;
}
