import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';
import { createSiteHandler } from '../../src/channels/website/site/serve.js';
import { buildPreviewSite } from '../../src/channels/website/site/sites.js';

let server: Server;
let port = 0;
let root = '';
let varDir = '';

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** A raw request (no URL normalisation by the client, so traversal attempts arrive as sent). */
function get(path: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  root = fixtureProject();
  varDir = tempVar();
  await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
  await buildPreviewSite({ root, varDir, now: new Date('2016-01-01T00:00:00Z') });
  const handle = createSiteHandler({ root, varDir });
  server = createServer((req, res) => {
    handle(req, res).then((done) => {
      if (!done) {
        res.writeHead(418);
        res.end('not mine');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('site handler', () => {
  it('serves each file type with its content type', async () => {
    const cases: Array<[string, string]> = [
      ['/', 'text/html; charset=utf-8'],
      ['/alpha-2014/burglary/', 'text/html; charset=utf-8'],
      ['/assets/style.css', 'text/css; charset=utf-8'],
      ['/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/feed.json', 'application/feed+json; charset=utf-8'],
      ['/alpha-2014/cap.xml', 'application/xml; charset=utf-8'],
      ['/cap/index.atom', 'application/atom+xml; charset=utf-8'],
      ['/sitemap.xml', 'application/xml; charset=utf-8'],
    ];
    for (const [path, type] of cases) {
      const r = await get(path);
      expect([path, r.status, r.headers['content-type']]).toEqual([path, 200, type]);
      expect(r.headers['cache-control']).toBeTruthy();
    }
  });

  it('answers If-None-Match with 304 and compresses by Accept-Encoding', async () => {
    const first = await get('/alpha-2014/');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    expect((await get('/alpha-2014/', { 'If-None-Match': etag })).status).toBe(304);
    expect((await get('/alpha-2014/', { 'If-None-Match': '"other"' })).status).toBe(200);
    const gz = await get('/alpha-2014/', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(first.body)).toBe(true);
    const br = await get('/alpha-2014/', { 'Accept-Encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(first.body)).toBe(true);
    expect(first.headers['content-encoding']).toBeUndefined();
  });

  it('refuses path traversal and hidden files', async () => {
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f.manifest.json', '/.manifest.json', '/a%00b']) {
      const r = await get(path);
      expect([path, r.status]).toEqual([path, 400]);
      expect(r.body.toString()).not.toContain('root:');
    }
  });

  it('serves the 404 page with status 404, and redirects a folder without its slash', async () => {
    const r = await get('/no-such-page/');
    expect(r.status).toBe(404);
    expect(r.body.toString()).toContain('没有找到这个页面');
    const moved = await get('/alpha-2014');
    expect([moved.status, moved.headers.location]).toEqual([301, '/alpha-2014/']);
  });

  it('serves the preview under /preview-site/', async () => {
    const r = await get('/preview-site/secret-2016/');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('预览版');
    expect((await get('/secret-2016/')).status).toBe(404);
  });

  it('switches to large text without JavaScript: a cookie, then <html class="large">', async () => {
    const sw = await get('/mode/large/?back=/alpha-2014/');
    expect(sw.status).toBe(303);
    expect(sw.headers.location).toBe('/alpha-2014/');
    const cookie = String(sw.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe('mode=large');
    const large = await get('/alpha-2014/', { Cookie: cookie });
    expect(large.body.toString()).toContain('<html lang="zh-CN" class="large">');
    const normal = await get('/alpha-2014/');
    expect(normal.body.toString()).not.toContain('class="large"');
    expect(large.headers.etag).not.toBe(normal.headers.etag);
    // a page whose address has Chinese in it
    const tag = await get(`/mode/large/?back=${encodeURIComponent('/tags/入室盗窃/')}`);
    expect([tag.status, tag.headers.location]).toEqual([303, `/tags/${encodeURIComponent('入室盗窃')}/`]);
    // an open redirect is refused
    expect((await get('/mode/large/?back=//evil.example/')).headers.location).toBe('/');
  });

  it('picks up a new deploy on the next request', async () => {
    const before = await get('/');
    await publish(renderWebsite(campaignById(root, 'beta-2015'), root), varDir, '2015-02-16T01:00:00Z', 'beta/1', root);
    const after = await get('/');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.toString()).toContain('2015年春节期间安全防范常识');
  });
});

describe('prepared responses (bytes, ETag, compression computed once per file)', () => {
  it('a file replaced on disk is served new, with a new ETag, in every encoding', async () => {
    const { realpathSync, renameSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const first = await get('/robots.txt', { 'Accept-Encoding': 'gzip' });
    const again = await get('/robots.txt', { 'Accept-Encoding': 'gzip' });
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.headers.etag).toBe(first.headers.etag);
    // Replace it the way a deploy does: a new file renamed over the old one (a new inode).
    const file = join(realpathSync(join(varDir, 'site')), 'robots.txt');
    writeFileSync(`${file}.new`, `User-agent: *\nDisallow: /changed/\n${'#'.repeat(600)}\n`);
    renameSync(`${file}.new`, file);
    const plain = await get('/robots.txt');
    expect(plain.body.toString()).toContain('Disallow: /changed/');
    expect(plain.headers.etag).not.toBe(first.headers.etag);
    const gz = await get('/robots.txt', { 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(gz.body).toString()).toContain('Disallow: /changed/');
  });
});
