/**
 * A site served under a path (base_url https://…/advisories): the sign-up,
 * confirm and unsubscribe pages live under it, their forms post under it, the
 * mails link under it; unsubscribe links of mails from before the path still
 * work at the root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { silent, tmpProject, withStore } from '../delivery/helpers.js';

let root: string;
let daemon: Daemon;
beforeAll(async () => {
  root = tmpProject();
  const yaml = join(root, 'channels/website.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^base_url:.*$/m, 'base_url: http://127.0.0.1:4321/advisories'));
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined),
  });
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** As Handlebars writes a value into an attribute. */
const attr = (s: string) => s.replace(/=/g, '&#x3D;');
const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('subscription under the site\'s base path', () => {
  it('serves, posts and links every page under /advisories', async () => {
    const page = await (await fetch(`${daemon.url}/advisories/subscribe/`)).text();
    expect(page).toContain('action="/advisories/subscribe/"');
    expect(page).toContain('href="/advisories/assets/style.css"');
    expect((await fetch(`${daemon.url}/subscribe/`)).status).toBe(404);

    expect((await fetch(`${daemon.url}/advisories/subscribe/`, form({ address: 'based@example.org' }))).status).toBe(200);
    const dir = join(root, 'var/outbox/email');
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    const mail = await simpleParser(readFileSync(join(dir, file)));
    const link = /http:\/\/127\.0\.0\.1:4321\/advisories\/subscribe\/confirm\?token=\S+/.exec(mail.text!)?.[0];
    expect(link).toBeDefined();
    const path = new URL(link!).pathname + new URL(link!).search;
    const confirm = await (await fetch(`${daemon.url}${path}`)).text();
    expect(confirm).toContain(`action="${attr(path)}"`);
    expect((await fetch(`${daemon.url}${path}`, form({}))).status).toBe(200);

    const token = await withStore(join(root, 'var'), async (s) => (await s.subscriberByAddress('based@example.org'))!.unsubscribeToken);
    const unsubscribe = `/advisories/unsubscribe?token=${encodeURIComponent(token)}`;
    expect((mail.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url).toBe(`http://127.0.0.1:4321${unsubscribe}`);
    expect(await (await fetch(`${daemon.url}${unsubscribe}`)).text()).toContain(`action="${attr(unsubscribe)}"`);
    // An old link at the root still works.
    expect((await fetch(`${daemon.url}/unsubscribe?token=${encodeURIComponent(token)}`, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(200);
    expect(await withStore(join(root, 'var'), async (s) => (await s.subscriberByAddress('based@example.org'))!.status)).toBe('unsubscribed');
  });
});
