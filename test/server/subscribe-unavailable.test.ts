/**
 * When the confirmation mail cannot go (the SMTP server refuses, is down),
 * the form says so (503, try again in a few minutes) instead of "check your
 * mailbox"; the sign-up stays pending and a later try mails the link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { silent, tmpProject, withStore } from '../delivery/helpers.js';

let root: string;
let daemon: Daemon;
let down = true;
const sent: string[] = [];
beforeAll(async () => {
  root = tmpProject();
  const email = {
    async send(key: string) {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:587'), { code: 'ECONNECTION' });
      sent.push(key);
      return { messageId: `<${sent.length}@test>`, at: new Date().toISOString(), details: {} };
    },
    async find() {
      return null;
    },
  };
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined), transports: { email },
  });
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

const signUp = () => fetch(`${daemon.url}/subscribe/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'address=later%40example.org' });

describe('sign-up while mail cannot be sent', () => {
  it('answers 503 "cannot send now", keeps the sign-up pending, and mails the link on a later try', async () => {
    const r = await signUp();
    expect(r.status).toBe(503);
    expect(await r.text()).toContain('现在暂时无法发送确认邮件');
    expect(await withStore(join(root, 'var'), async (s) => (await s.subscriberByAddress('later@example.org'))?.status)).toBe('pending');
    down = false;
    expect((await signUp()).status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^subscribe\/s-[0-9a-f]{16}\/\d+$/);
  });
});
