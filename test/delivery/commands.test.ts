/** publish, status, retry, approve through the CLI entry (in process), over a temp project. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Store } from '../../src/delivery/store/index.js';
import { tmpProject, withStore } from './helpers.js';
import { assertBuilt, startProcess, until } from './daemon-process.js';

let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, now = '2014-09-28T02:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en', ...env }, now: () => new Date(now) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ledger = <T>(f: (s: Store) => T | Promise<T>): Promise<T> => withStore(join(root, 'var'), f);

describe('advisory publish', () => {
  it('without --now only lists what would be sent', async () => {
    const r = await cli(['publish', '2014-national-day']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2014-national-day/manual/wechat/2014-09-28T02:00:00Z');
    expect(r.out).toContain('Nothing sent');
    expect(await ledger((s) => s.list())).toHaveLength(0);
  });

  it('--now sends every channel in the foreground and exits 0; again in the same second is a no-op', async () => {
    await ledger(async (s) => {
      for (const a of ['a@example.org', 'b@example.org']) await s.addSubscriber({ address: a }, new Date());
    });
    const r = await cli(['publish', '2014-national-day', '--now']);
    expect(r.err).toContain('5 deliveries for 2014-national-day/manual/2014-09-28T02:00:00Z');
    expect(r.out).toContain('2014-national-day: 5 sent, 0 failed, 0 held, 0 missed');
    expect(r.code).toBe(0);
    const again = await cli(['publish', '2014-national-day', '--now']);
    expect(again.code).toBe(0);
    expect(await ledger(async (s) => (await s.counts()).sent)).toBe(5);
    expect(await ledger((s) => s.lockHolder('dispatcher'))).toBeNull();
  });

  it('regression: re-running publish --now later does not post the same content twice; --again does', async () => {
    expect((await cli(['publish', '2014-national-day', '--now', '--channel', 'weibo'])).code).toBe(0);
    const later = await cli(['publish', '2014-national-day', '--now', '--channel', 'weibo'], {}, '2014-09-28T02:05:00Z');
    expect(later.code).toBe(0);
    expect(later.out).toContain('already published (weibo); nothing sent');
    expect(await ledger(async (s) => (await s.list()).length)).toBe(1);
    const forced = await cli(['publish', '2014-national-day', '--now', '--channel', 'weibo', '--again'], {}, '2014-09-28T02:06:00Z');
    expect(forced.out).toContain('1 sent');
    expect(await ledger(async (s) => (await s.counts()).sent)).toBe(2);
  });

  it('--channel restricts the channels; an unknown one is a usage error', async () => {
    const r = await cli(['publish', '2014-national-day', '--now', '--channel', 'weibo']);
    expect(r.code).toBe(0);
    expect(await ledger(async (s) => (await s.list()).map((d) => d.channel))).toEqual(['weibo']);
    expect((await cli(['publish', '2014-national-day', '--now', '--channel', 'twitter'])).code).toBe(2);
  });

  it('refuses at start-up when credentials would make a channel live while base_url is this machine', async () => {
    const r = await cli(['publish', '2014-national-day', '--now'], { SMTP_USER: 'mailer', SMTP_PASS: 's3cret' });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/email would run live \(its credentials are set\), but channels\/website\.yaml's base_url is still/);
    expect(r.err).not.toContain('s3cret');
  });

  it('hands the occurrence to a running daemon and waits for its outcome', async () => {
    assertBuilt();
    // Real time on both sides: the daemon sends what the publish command hands it when it falls due.
    const d = startProcess(['run', '--root', root, '--port', '0']);
    try {
      await until(() => d.stderr().includes('serving'), 20_000, 'the daemon to start');
      const r = await cli(['publish', '2014-national-day', '--now', '--channel', 'wechat', '--channel', 'weibo'], {}, new Date().toISOString());
      expect(r.err).toMatch(/handed to the running dispatcher \(pid \d+\)/);
      expect(r.out).toMatch(/2 sent, 0 failed/);
      expect(r.code).toBe(0);
    } finally {
      d.child.kill('SIGTERM');
      expect((await d.exited).code).toBe(0);
    }
  });
});

describe('advisory status, retry, approve', () => {
  it('status lists failures with the channel message and exits 1; retry --failed requeues them', async () => {
    await cli(['publish', '2014-national-day', '--now', '--channel', 'weibo']);
    // A Weibo delivery of the same payload (an hour earlier) that the channel refused for good.
    const key = await ledger(async (s) => {
      const [d] = await s.list();
      const due = '2014-09-28T01:00:00Z';
      const failing = {
        key: d.key.replace(d.dueUtc, due), campaign: d.campaign, schedule: d.schedule, channel: d.channel, recipient: null,
        dueUtc: due, windowEndsUtc: d.windowEndsUtc, payload: d.payload, contentHash: d.contentHash, state: 'pending' as const,
      };
      await s.createDeliveries(failing.key, [failing], new Date());
      const { attempt } = (await s.markSending(failing.key, new Date())) as { attempt: number };
      await s.markFinal(failing.key, attempt, 'failed', 'appkey not bind domain', { failure: 'permanent', message: 'appkey not bind domain', channelCode: '10017' }, new Date());
      return failing.key;
    });
    const st = await cli(['status']);
    expect(st.code).toBe(1);
    expect(st.out).toContain(`${key}: appkey not bind domain`);
    const json = JSON.parse((await cli(['status', '--json'])).out);
    expect(json.counts.failed).toBe(1);
    expect(json.next[0].key).toBe('2014-national-day/bulletin/2014-09-29T01:00:00Z');
    const r = await cli(['retry', '--failed']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`requeued ${key}`);
    expect(await ledger(async (s) => (await s.get(key))!.state)).toBe('pending');
    expect((await cli(['retry', 'no/such/key'])).code).toBe(3);
  });

  it('approve records who approved which hash in the audit log', async () => {
    expect((await cli(['approve', '2014-national-day'])).code).toBe(2);
    const r = await cli(['approve', '2014-national-day', '--by', '王警官']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^approved 2014-national-day content [0-9a-f]{12} by 王警官; released 0 held deliveries\./);
    const audit = await ledger((s) => s.auditLog({ event: 'approval' }));
    expect(audit[0].detail).toMatchObject({ campaign: '2014-national-day', by: '王警官' });
    // That the log is append-only is the store's to prove (test/delivery/store/).
  });
});
