/**
 * /preview/ (staff listener): every channel's rendition of every campaign,
 * built in memory by preview/build.ts from the content as it is on disk
 * (rebuilt when a request comes more than a few seconds after the last build,
 * so edits show up), with each campaign's approval hash as of that build.
 * Its index frames its own documents (sandboxed iframes): the one place
 * framing is allowed, by this listener only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { buildPreview, type PreviewBuild } from '../preview/build.js';
import { loadProject } from '../content/load.js';
import { approvalHash } from '../delivery/approval.js';
import type { Renderer } from '../render/renderer.js';
import type { Campaign } from '../content/model.js';
import { lang, type Lang } from '../i18n/index.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};
const FRESH_MS = 3_000;

/** The preview shows untrusted content: no scripts may run in it; only this listener's own pages may frame it. */
export const PREVIEW_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/** A campaign the preview shows, with the hash approving it would record (content and templates as built). */
export interface PreviewCampaign {
  id: string;
  hash: string;
}

/** Changes the index page per request (the staff listener adds its navigation and approve forms). */
export type DecorateIndex = (html: string, campaigns: readonly PreviewCampaign[]) => Promise<string>;

export function createPreviewHandler(opts: { root: string; renderer: Renderer; now: () => Date }) {
  interface Built { at: number; build: PreviewBuild; campaigns: PreviewCampaign[]; only: Map<string, string | Buffer | undefined>; loaded: Campaign[] }
  /** One build per reader's language (its labels), each rebuilt when older than FRESH_MS. */
  const cached = new Map<Lang, Built>();
  const current = (l: Lang): Built => {
    const t = Date.now();
    let c = cached.get(l);
    if (!c || t - c.at > FRESH_MS) {
      const loaded = loadProject(opts.root, { now: opts.now() }).campaigns;
      const hashes = loaded.map((x) => ({ id: x.id, hash: approvalHash(x.contentHash, opts.renderer.templatesHash) }));
      c = { at: t, build: buildPreview(opts.root, loaded, opts.renderer, undefined, { lang: l }), campaigns: hashes, only: new Map(), loaded };
      cached.set(l, c);
    }
    return c;
  };
  /** The index of one campaign (`?campaign=ID`: what the console's approve links open); its frames are the full build's. */
  const indexOf = (l: Lang, id: string) => {
    const c = current(l);
    if (!c.only.has(id)) {
      const campaign = c.loaded.find((x) => x.id === id);
      c.only.set(id, campaign ? buildPreview(opts.root, [campaign], opts.renderer, undefined, { lang: l }).files.get('index.html') : undefined);
    }
    return c.only.get(id);
  };
  return async (req: IncomingMessage, res: ServerResponse, decorate?: DecorateIndex, l: Lang = lang()): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path === '/preview') {
      res.writeHead(301, { location: '/preview/' }).end();
      return true;
    }
    const rel = path.slice('/preview/'.length);
    const { build, campaigns } = current(l);
    const only = rel === '' ? new URL(req.url ?? '/', 'http://localhost').searchParams.get('campaign') : null;
    if (rel === 'preview.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }).end(JSON.stringify(build.json, null, 2));
      return true;
    }
    const file = rel === '' ? 'index.html' : rel;
    let body = only !== null ? indexOf(l, only) : build.files.get(file);
    if (body === undefined) return false;
    if (file === 'index.html' && decorate) body = await decorate(String(body), only !== null ? campaigns.filter((c) => c.id === only) : campaigns);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': PREVIEW_CSP,
      'x-frame-options': 'SAMEORIGIN',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
