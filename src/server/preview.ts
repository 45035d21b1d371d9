/**
 * /preview/: every channel's rendition of every campaign, built in memory by
 * preview/build.ts from the content as it is on disk (rebuilt when a request
 * comes more than a few seconds after the last build, so edits show up).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { buildPreview, type PreviewBuild } from '../preview/build.js';
import { loadProject } from '../content/load.js';
import type { Renderer } from '../render/renderer.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};
const FRESH_MS = 3_000;

export function createPreviewHandler(opts: { root: string; renderer: Renderer; now: () => Date }) {
  let cached: { at: number; build: PreviewBuild } | undefined;
  const current = () => {
    const t = Date.now();
    if (!cached || t - cached.at > FRESH_MS) {
      const { campaigns } = loadProject(opts.root, { now: opts.now() });
      cached = { at: t, build: buildPreview(opts.root, campaigns, opts.renderer) };
    }
    return cached.build;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path === '/preview') {
      res.writeHead(301, { location: '/preview/' }).end();
      return true;
    }
    const rel = path.slice('/preview/'.length);
    const build = current();
    if (rel === 'preview.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }).end(JSON.stringify(build.json, null, 2));
      return true;
    }
    const body = build.files.get(rel === '' ? 'index.html' : rel);
    if (body === undefined) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(rel || 'index.html')] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // The preview shows untrusted content: no scripts may run in it.
      'content-security-policy': "script-src 'none'; object-src 'none'; base-uri 'none'",
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
