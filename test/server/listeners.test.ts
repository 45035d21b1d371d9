/**
 * The daemon's two listeners (issue 12), against the real daemon in process:
 * what is on which port, Host checks (DNS rebinding), methods (405 + Allow),
 * malformed addresses (400, not 500), path traversal, the security headers on
 * every kind of response, and the warning for a non-loopback address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { silent, tmpProject, withStore } from '../delivery/helpers.js';
import { addStaff, signIn, type StaffClient } from './staff-session.js';
import { raw, type RawResponse } from './http-raw.js';

const start = (root: string, o: Partial<Parameters<typeof startDaemon>[0]> = {}) => startDaemon({
  root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
  ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined), ...o,
});

let root: string;
let daemon: Daemon;
let staff: StaffClient;
let token: string;
beforeAll(async () => {
  root = tmpProject();
  // The public address readers use: its host is answered for, besides the listener's own.
  const yaml = join(root, 'channels/website.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^base_url: .*$/m, 'base_url: https://www.zqga.example'));
  await addStaff(root);
  token = await withStore(join(root, 'var'), async (s) => (await s.addSubscriber({ address: 'reader@example.org' }, new Date('2014-09-01T00:00:00Z'))).unsubscribeToken);
  daemon = await start(root, { staffUrl: 'https://advisory.intranet.example/' });
  staff = await signIn(daemon.staffUrl);
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

const PRIVATE = ['/preview', '/preview/', '/preview/index.html', '/preview/preview.json', '/status', '/status/', '/status.json', '/preview-site/', '/login', '/approve'];

describe('two listeners: the public one has no staff pages', () => {
  it('the public port answers the site, /healthz and the subscription pages; /preview, /status, /login are 404 there', async () => {
    expect(daemon.url).not.toBe(daemon.staffUrl);
    expect((await raw(daemon.url, '/healthz')).status).toBe(200);
    expect((await raw(daemon.url, '/subscribe/')).status).toBe(200);
    for (const path of PRIVATE) {
      const r = await raw(daemon.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('2014年国庆节期间安全防范常识');
      expect(r.body, path).not.toContain('dispatcher');
    }
  });

  it('the staff port without a session: pages redirect to sign-in (and back after it), JSON is 401, nothing is shown', async () => {
    for (const path of ['/', '/status', '/preview/', '/preview/index.html', '/preview-site/']) {
      const r = await raw(daemon.staffUrl, path);
      expect(r.status, path).toBe(303);
      expect(r.headers.location, path).toBe(`/login?next=${encodeURIComponent(path)}`);
      expect(r.body, path).toBe('');
    }
    const json = await raw(daemon.staffUrl, '/status.json');
    expect(json.status).toBe(401);
    expect(json.body).not.toContain('2014-national-day');
    // The public pages are not on the staff port.
    expect((await raw(daemon.staffUrl, '/subscribe/')).status).toBe(404);
  });

  it('signed in, the staff port shows status and the preview', async () => {
    expect((await staff.get('/status')).status).toBe(200);
    expect(await (await staff.get('/status.json')).json()).toMatchObject({ next: expect.any(Array) });
    expect(await (await staff.get('/preview/')).text()).toContain('2014年国庆节期间安全防范常识');
  });
});

describe('methods: each route answers its own (405 with Allow otherwise)', () => {
  it('/status answers POST, PUT, DELETE, TRACE, OPTIONS with 405, signed in or not', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'PATCH']) {
      for (const cookie of [undefined, staff.cookie]) {
        const r = await raw(daemon.staffUrl, '/status', { method, headers: cookie ? { cookie } : {} });
        expect(r.status, method).toBe(405);
        expect(r.headers.allow, method).toBe('GET, HEAD');
      }
    }
    expect((await raw(daemon.staffUrl, '/status.json', { method: 'DELETE', headers: { cookie: staff.cookie } })).headers.allow).toBe('GET, HEAD');
    expect((await raw(daemon.staffUrl, '/status', { method: 'HEAD', headers: { cookie: staff.cookie } })).status).toBe(200);
  });

  it('the public routes too: /healthz, the site, the subscription pages', async () => {
    const cases: Array<[string, string, string]> = [
      ['/healthz', 'POST', 'GET, HEAD'], ['/', 'DELETE', 'GET, HEAD'], ['/', 'TRACE', 'GET, HEAD'], ['/index.html', 'PUT', 'GET, HEAD'],
      ['/subscribe/', 'PUT', 'GET, HEAD, POST'], ['/unsubscribe', 'DELETE', 'GET, HEAD, POST'], ['/wechat/events', 'PUT', 'GET, HEAD, POST'],
    ];
    for (const [path, method, allow] of cases) {
      const r = await raw(daemon.url, path, { method });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers.allow, `${method} ${path}`).toBe(allow);
    }
  });

  it('staff forms are POST only: GET /logout, GET /approve, PUT /login are 405', async () => {
    expect((await raw(daemon.staffUrl, '/logout')).headers.allow).toBe('POST');
    expect((await raw(daemon.staffUrl, '/approve')).status).toBe(405);
    expect((await raw(daemon.staffUrl, '/login', { method: 'PUT' })).headers.allow).toBe('GET, HEAD, POST');
  });
});

describe('malformed addresses and traversal', () => {
  it('a malformed percent-encoding is a 400 on both listeners, the site included (never a 500)', async () => {
    for (const [base, path, cookie] of [
      [daemon.staffUrl, '/preview/%E0%A4%A', staff.cookie], [daemon.staffUrl, '/preview/%E0%A4%A', undefined], [daemon.staffUrl, '/status%ZZ', staff.cookie],
      [daemon.url, '/preview/%E0%A4%A', undefined], [daemon.url, '/%E0%A4%A', undefined], [daemon.url, '/tags/%FF/', undefined],
      [daemon.url, '/subscribe/%', undefined], [daemon.url, '/unsubscribe%C0?token=x', undefined],
    ] as Array<[string, string, string | undefined]>) {
      const r = await raw(base, path, { headers: cookie ? { cookie } : {} });
      expect(r.status, `${base} ${path}`).toBe(400);
    }
  });

  it('targets that are not a path (`//host/…`, `*`, an absolute URL) are 400', async () => {
    expect((await raw(daemon.url, '//evil.example/index.html')).status).toBe(400);
    expect((await raw(daemon.url, '*', { method: 'OPTIONS' })).status).toBe(400);
    expect((await raw(daemon.staffUrl, 'http://evil.example/status', { headers: { cookie: staff.cookie } })).status).toBe(400);
  });

  it('no file outside the served folders, however the path is written', async () => {
    const attempts = ['/../package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e%5c%2e%2e%5cpackage.json',
      '/.manifest.json', '/%00/etc/passwd', '/..%252f..%252fpackage.json', '/../../../../etc/passwd'];
    for (const path of attempts) {
      for (const [base, prefix, cookie] of [[daemon.url, '', undefined], [daemon.staffUrl, '/preview', staff.cookie], [daemon.staffUrl, '/preview-site', staff.cookie]] as Array<[string, string, string | undefined]>) {
        const r = await raw(base, `${prefix}${path}`, { headers: cookie ? { cookie } : {} });
        expect([400, 404, 303], `${prefix}${path}`).toContain(r.status);
        expect(r.body, `${prefix}${path}`).not.toMatch(/"name": "advisory"|root:x:0:0/);
      }
    }
  });
});

describe('Host checks (DNS rebinding)', () => {
  it('the public listener answers for its own address, localhost forms and base_url\'s host; 421 for any other', async () => {
    const port = new URL(daemon.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, 'www.zqga.example', 'www.zqga.example:443']) {
      expect((await raw(daemon.url, '/healthz', { headers: { host } })).status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${port}`, 'advisory.intranet.example', `127.0.0.1:${Number(port) + 1}`, 'www.zqga.example.evil.example', 'localhost']) {
      const r = await raw(daemon.url, '/healthz', { headers: { host } });
      expect(r.status, host).toBe(421);
      expect(r.body).not.toContain('"ok"');
    }
    expect((await raw(daemon.url, '/healthz', { noHost: true })).status).toBe(400);
  });

  it('the staff listener answers for its own address, localhost forms and --staff-url\'s host; not for base_url\'s', async () => {
    const port = new URL(daemon.staffUrl).port;
    const cookie = staff.cookie;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'advisory.intranet.example', 'advisory.intranet.example:443']) {
      expect((await raw(daemon.staffUrl, '/status.json', { headers: { host, cookie } })).status, host).toBe(200);
    }
    for (const host of ['evil.example', 'www.zqga.example', `127.0.0.1:${new URL(daemon.url).port}`, `rebind.evil.example:${port}`]) {
      const r = await raw(daemon.staffUrl, '/status.json', { headers: { host, cookie } });
      expect(r.status, host).toBe(421);
      expect(r.body).not.toContain('dispatcher');
    }
  });
});

/** What every response of a listener must carry. */
function expectSecurityHeaders(r: RawResponse, what: string, framing: 'none' | 'self' = 'none'): void {
  const csp = String(r.headers['content-security-policy'] ?? '');
  expect(csp, `${what}: CSP`).not.toBe('');
  expect(csp, `${what}: CSP frame-ancestors`).toContain(`frame-ancestors '${framing}'`);
  expect(csp, `${what}: no inline script`).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp, `${what}: scripts limited`).toMatch(/script-src 'none'|default-src 'none'|default-src 'self'/);
  expect(r.headers['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
  expect(['strict-origin-when-cross-origin', 'no-referrer', 'same-origin'], `${what}: Referrer-Policy`).toContain(r.headers['referrer-policy']);
  expect(r.headers['x-frame-options'], `${what}: X-Frame-Options`).toBe(framing === 'none' ? 'DENY' : 'SAMEORIGIN');
}

describe('security headers on every response of both listeners', () => {
  it('public: site page, its 404, assets, sign-up, unsubscribe, /healthz, 404, 405, 400, 421', async () => {
    const cases: Array<[string, Record<string, string>?, string?]> = [
      ['/'], ['/no-such-page/'], ['/assets/style.css'], ['/subscribe/'], [`/unsubscribe?token=${token}`], ['/unsubscribe?token=nope'],
      ['/healthz'], ['/wechat/events'], ['/preview/'], ['/%E0%A4%A'], ['/healthz', { host: 'evil.example' }], ['/healthz', {}, 'POST'],
    ];
    for (const [path, headers, method] of cases) {
      const r = await raw(daemon.url, path, { headers, method });
      expectSecurityHeaders(r, `public ${method ?? 'GET'} ${path} (${r.status})`);
    }
    // The subscription pages keep their stricter policy: no Referer at all (their address carries a token).
    expect((await raw(daemon.url, `/unsubscribe?token=${token}`)).headers['referrer-policy']).toBe('no-referrer');
    expect((await raw(daemon.url, '/subscribe/')).headers['referrer-policy']).toBe('no-referrer');
    expect((await raw(daemon.url, '/healthz')).headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('staff: sign-in, home, status, status.json, a redirect, 404, 405, 400, 421, the approve answer; the preview may be framed by itself only', async () => {
    const cookie = staff.cookie;
    const cases: Array<[string, Record<string, string>?, string?]> = [
      ['/login'], ['/', { cookie }], ['/status', { cookie }], ['/status.json', { cookie }], ['/status'], ['/no-such', { cookie }],
      ['/status', { cookie }, 'POST'], ['/preview/%E0%A4%A', { cookie }], ['/status', { host: 'evil.example', cookie }], ['/setup?token=nope'],
      ['/approve', { cookie }, 'POST'],
    ];
    for (const [path, headers, method] of cases) {
      const r = await raw(daemon.staffUrl, path, { headers, method });
      expectSecurityHeaders(r, `staff ${method ?? 'GET'} ${path} (${r.status})`);
    }
    const preview = await raw(daemon.staffUrl, '/preview/', { headers: { cookie } });
    expectSecurityHeaders(preview, 'preview', 'self');
    expect(preview.headers['content-security-policy']).toContain("script-src 'none'");
    const frame = /<iframe[^>]*\ssandbox[^>]*src="([^"]+)"/.exec(preview.body)?.[1];
    expect(frame).toBeDefined();
    const framed = await raw(daemon.staffUrl, `/preview/${frame}`, { headers: { cookie } });
    expect(framed.status).toBe(200);
    expectSecurityHeaders(framed, 'a framed preview document', 'self');
  });
});

describe('listening beyond loopback', () => {
  it('loopback addresses: no warning', () => {
    expect(daemon.warnings).toEqual([]);
  });

  it('a non-loopback address for either listener: a warning naming what becomes reachable', async () => {
    const other = tmpProject();
    const d = await start(other, { host: '0.0.0.0', staffHost: '0.0.0.0' });
    try {
      expect(d.warnings).toHaveLength(2);
      expect(d.warnings[0]).toMatch(/public listener is on 0\.0\.0\.0:\d+, not loopback: the site, the sign-up and unsubscribe pages and the WeChat callback are reachable from other machines/);
      expect(d.warnings[1]).toMatch(/staff listener is on 0\.0\.0\.0:\d+, not loopback: staff sign-in, the preview of every campaign \(embargoed ones included\), delivery status and approving are reachable/);
    } finally {
      await d.stop();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
