/** The daemon's HTTP side, in process: health, status and preview (staff listener, signed in), the site, one-click unsubscribe. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { silent, tmpProject, withStore } from '../delivery/helpers.js';
import { addStaff, signIn, type StaffClient } from './staff-session.js';

let root: string;
let daemon: Daemon;
let token: string;
let staff: StaffClient;
beforeAll(async () => {
  await addStaff(root = tmpProject());
  token = await withStore(join(root, 'var'), async (store) => (await store.addSubscriber({ address: 'reader@example.org' }, new Date('2014-09-01T00:00:00Z'))).unsubscribeToken);
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined),
  });
  staff = await signIn(daemon.staffUrl);
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('daemon HTTP server', () => {
  it('listens on 127.0.0.1 and answers /healthz', async () => {
    expect(daemon.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${daemon.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, at: expect.stringMatching(/^2014-09-20T/) });
  });

  it('reports status as JSON and as escaped HTML, with channel modes and what is next', async () => {
    const s = await (await staff.get('/status.json')).json();
    expect(s.channels).toContainEqual({ name: 'wechat', mode: 'sandbox', missingEnv: ['WECHAT_APPID', 'WECHAT_SECRET'], approval: false });
    expect(s.next[0]).toMatchObject({ dueUtc: '2014-09-29T01:00:00Z' });
    expect(s.dispatcher.pid).toBe(process.pid);
    const html = await (await staff.get('/status')).text();
    expect(html).toContain('<h1>Delivery status</h1>');
    expect(html).toContain('2014-national-day/bulletin/2014-09-29T01:00:00Z');
  });

  it('serves the preview of every channel under /preview/ (staff listener)', async () => {
    const r = await staff.get('/preview/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(await r.text()).toContain('2014年国庆节期间安全防范常识');
    expect((await staff.get('/preview/no-such-file.html')).status).toBe(404);
  });

  it('unsubscribes in one click (RFC 8058 POST) and stops further mail to that address', async () => {
    expect((await fetch(`${daemon.url}/unsubscribe?token=${token}`)).status).toBe(200);
    const r = await fetch(`${daemon.url}/unsubscribe?token=${token}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(200);
    await withStore(join(root, 'var'), async (store) => {
      expect(await store.subscribers('active')).toHaveLength(0);
    });
    expect((await fetch(`${daemon.url}/unsubscribe?token=nope`, { method: 'POST' })).status).toBe(400);
  });
});
