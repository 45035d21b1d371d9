/**
 * Serves the built site (`var/site`, through its symlink, resolved on every
 * request so a deploy or rollback is picked up at once) and the preview under
 * `/preview-site/`. Static-file care: content types, ETag/304, Cache-Control,
 * gzip/brotli, no path traversal, the site's 404 page. The large-text switch
 * works without JavaScript: `/mode/large/` sets a cookie and HTML pages are
 * served with `<html class="large">` while it is set.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { loadChannelConfig, siteConfig } from '../../../config/channels.js';
import { basePathOf } from '../chrome.js';
import { siteLayout } from './deploy.js';
import { PREVIEW_PATH } from './sites.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};
const NAMED: Record<string, string> = {
  'feed.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
};
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json)|image\/svg)/;
const MODE_COOKIE = 'mode';
const YEAR = 365 * 24 * 3600;
/** The site's HTML pages may load only its own files: no inline script, no framing (a page with a button cannot be clickjacked). */
export const SITE_HTML_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Whether the reader chose large text (the `mode` cookie /mode/large/ sets). */
export function wantsLargeText(req: IncomingMessage): boolean {
  return cookie(req, MODE_COOKIE) === 'large';
}

/** A page in large-text mode: `<html class="large">`, as the server marks built pages. */
export function markLargeText(html: string): string {
  return html.replace(/<html lang="zh-CN">/, '<html lang="zh-CN" class="large">');
}

export interface SiteHandlerOptions {
  root: string;
  varDir: string;
  /** Which built sites to serve (default both): the daemon's public listener serves `public`, its staff listener `preview` (embargoed campaigns). */
  sites?: ReadonlyArray<'public' | 'preview'>;
}

export function createSiteHandler(opts: SiteHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const publicBase = basePathOf(siteConfig(loadChannelConfig(opts.root, 'website')));
  const sites = [
    { prefix: PREVIEW_PATH, dir: siteLayout(opts.varDir, 'preview').link, preview: true },
    { prefix: publicBase, dir: siteLayout(opts.varDir, 'public').link, preview: false },
  ].filter((s) => (opts.sites ?? ['public', 'preview']).includes(s.preview ? 'preview' : 'public'));
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const raw = (req.url ?? '/').split('?')[0];
    const url = new URL(req.url ?? '/', 'http://localhost');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
      // refuse, rather than quietly normalise, a request that tries to climb out
      if (unsafe(decodeURIComponent(raw))) return send(res, 400, 'text/plain; charset=utf-8', 'Bad path');
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
    }
    const site = sites.find((s) => pathname === s.prefix || pathname.startsWith(`${s.prefix}/`));
    if (!site) return false;
    const rel = pathname.slice(site.prefix.length) || '/';
    if (unsafe(rel)) return send(res, 400, 'text/plain; charset=utf-8', 'Bad path');
    const mode = /^\/mode\/(large|normal)\/?$/.exec(rel);
    if (mode) return switchMode(res, url, mode[1] as 'large' | 'normal', site.prefix);

    const large = wantsLargeText(req);
    const file = await resolveFile(site.dir, rel);
    if (!file) {
      if (rel.endsWith('/') || !extname(rel)) {
        const dirFile = rel.endsWith('/') ? null : await resolveFile(site.dir, `${rel}/`);
        if (dirFile) {
          res.writeHead(301, { Location: `${site.prefix}${rel}/${url.search}` });
          res.end();
          return true;
        }
      }
      const notFound = await resolveFile(site.dir, '/404.html');
      if (!notFound) return false;
      return serveFile(req, res, notFound, 404, large);
    }
    return serveFile(req, res, file, 200, large);
  };
}

/** A file to serve: its path, and its identity (inode, mtime, size) for the response cache. */
interface SiteFile {
  path: string;
  id: string;
}

async function resolveFile(dir: string, rel: string): Promise<SiteFile | null> {
  const path = join(dir, ...rel.split('/').filter(Boolean), rel.endsWith('/') ? 'index.html' : '');
  if (!path.startsWith(dir + sep) && path !== dir) return null;
  try {
    const s = await stat(path);
    return s.isFile() ? { path, id: `${s.ino}:${s.mtimeMs}:${s.size}` } : null;
  } catch {
    return null;
  }
}

/**
 * Built files never change in place (a deploy writes new files and swaps a
 * symlink, so a changed page has a new inode), so the bytes, ETag and
 * compressed forms of a file are computed once per file identity and mode,
 * not on every request. Bounded: the least recently used entry goes first.
 */
interface Prepared {
  body: Buffer;
  etag: string;
  encoded: Map<string, Buffer>;
}
const PREPARED_MAX = 512;
const prepared = new Map<string, Prepared>();

async function prepare(file: SiteFile, html: boolean, large: boolean): Promise<Prepared> {
  const key = `${file.id}\0${file.path}\0${large && html}`;
  const hit = prepared.get(key);
  if (hit) {
    prepared.delete(key);
    prepared.set(key, hit);
    return hit;
  }
  let body = await readFile(file.path);
  if (html && large) body = Buffer.from(markLargeText(body.toString('utf8')));
  const entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, encoded: new Map<string, Buffer>() };
  prepared.set(key, entry);
  if (prepared.size > PREPARED_MAX) prepared.delete(prepared.keys().next().value!);
  return entry;
}

function encode(entry: Prepared, encoding: 'br' | 'gzip'): Buffer {
  let out = entry.encoded.get(encoding);
  if (!out) {
    out = encoding === 'br' ? brotliCompressSync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }) : gzipSync(entry.body);
    entry.encoded.set(encoding, out);
  }
  return out;
}

async function serveFile(req: IncomingMessage, res: ServerResponse, file: SiteFile, status: number, large: boolean): Promise<boolean> {
  const name = file.path.slice(file.path.lastIndexOf(sep) + 1);
  const type = NAMED[name] ?? TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
  const html = type.startsWith('text/html');
  const entry = await prepare(file, html, large);
  const etag = entry.etag;
  const headers: Record<string, string> = {
    'Content-Type': type,
    ETag: etag,
    'Cache-Control': html || status !== 200 ? 'no-cache' : name.endsWith('.css') || name.endsWith('.js') ? 'public, max-age=3600' : 'public, max-age=300',
    'X-Content-Type-Options': 'nosniff',
    Vary: html ? 'Accept-Encoding, Cookie' : 'Accept-Encoding',
  };
  if (html) headers['Content-Security-Policy'] = SITE_HTML_CSP;
  if (status === 200 && ifNoneMatch(req, etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const encoding = COMPRESSIBLE.test(type) && entry.body.length > 512 ? pickEncoding(req.headers['accept-encoding']) : null;
  const body = encoding ? encode(entry, encoding) : entry.body;
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function switchMode(res: ServerResponse, url: URL, mode: 'large' | 'normal', prefix: string): boolean {
  const back = url.searchParams.get('back') ?? '';
  // only a path on this site (no `//host`), and percent-encoded: a header cannot carry 入室盗窃 raw
  const location = /^\/(?![/\\])[^\s]*$/.test(back) ? encodeURI(back) : `${prefix}/`;
  res.writeHead(303, {
    Location: location,
    'Set-Cookie': `${MODE_COOKIE}=${mode}; Path=/; Max-Age=${mode === 'large' ? YEAR : 0}; SameSite=Lax`,
    'Cache-Control': 'no-store',
  });
  res.end();
  return true;
}

/** `..`, hidden files (the build manifest), NUL or backslashes anywhere in the path. */
function unsafe(path: string): boolean {
  return path.includes('\0') || path.includes('\\') || path.split('/').some((seg) => seg.startsWith('.'));
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function ifNoneMatch(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  return !!header && header.split(',').some((t) => t.trim() === etag || t.trim() === '*');
}

function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const accepted = String(header ?? '')
    .split(',')
    .map((p) => p.trim().split(';'))
    .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, '')) > 0)
    .map(([e]) => e.trim().toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return null;
}

function send(res: ServerResponse, status: number, type: string, text: string): boolean {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(text);
  return true;
}
