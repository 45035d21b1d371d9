/**
 * Crashes with the live WeChat and Weibo channels, against the local fakes of
 * their APIs: real CLI processes killed (SIGKILL) between two steps of a
 * publish, then recovered the two ways a user would (the same command again;
 * the daemon). Afterwards each API holds exactly one draft, one publish job
 * and one Weibo post; the ledger says sent.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tmpProject, withStore } from '../delivery/helpers.js';
import { assertBuilt, startProcess, until, type Proc } from '../delivery/daemon-process.js';
import { CALLBACK_TOKEN, leaks, liveEnv, makeLive, useFakes } from './live.js';

const CAMPAIGN = '2014-national-day';
const fakes = useFakes({ wechat: { publishDelayMs: 300 } });
const dirs: string[] = [];
beforeAll(() => assertBuilt());
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(o: Parameters<typeof makeLive>[1] = {}): string {
  const root = tmpProject();
  dirs.push(root);
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  makeLive(root, { poll: '0.3s 0.6s', publishWait: '20s', ...o });
  return root;
}

const env = (extra: Record<string, string> = {}) => ({ ...liveEnv(fakes), ...extra });
const outputs: string[] = [];

async function finished(p: Proc): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const r = await p.exited;
  outputs.push(p.stdout(), p.stderr());
  return r;
}

async function approve(root: string): Promise<void> {
  const r = await finished(startProcess(['approve', CAMPAIGN, '--by', '张三', '--root', root], env()));
  expect(r.code).toBe(0);
}

const publish = (root: string, extra: Record<string, string> = {}, channels = ['wechat', 'weibo']) =>
  startProcess(['publish', CAMPAIGN, '--now', '--root', root, ...channels.flatMap((c) => ['--channel', c])], env(extra));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startDaemon(root: string, port: number): Promise<Proc> {
  const d = startProcess(['run', '--root', root, '--port', String(port), '--staff-port', '0'], env());
  await until(() => d.stderr().includes('serving') || d.child.exitCode !== null, 20_000, 'the daemon to start');
  if (d.child.exitCode !== null) throw new Error(`daemon exited ${d.child.exitCode}\n${d.stderr()}`);
  return d;
}

async function states(root: string): Promise<Record<string, string>> {
  return withStore(join(root, 'var'), async (s) => Object.fromEntries((await s.list({ campaign: CAMPAIGN })).map((d) => [d.channel, d.state])));
}

function exactlyOnce(): void {
  expect(fakes.wechat.calls('draft/add').filter((r) => r.answer?.status === 200)).toHaveLength(1);
  expect(fakes.wechat.drafts.size).toBe(1);
  expect(fakes.wechat.jobs.size).toBe(1);
  expect(fakes.weibo.posts).toHaveLength(1);
}

describe('live channels through the CLI', () => {
  it('advisory run: a publish handed to the daemon goes out on both; WeChat tells the daemon at /wechat/events that the job finished', async () => {
    const root = project({ poll: '30s', publishWait: '20s' });
    await approve(root);
    const port = await freePort();
    fakes.wechat.callback = { url: `http://127.0.0.1:${port}/wechat/events`, token: CALLBACK_TOKEN };
    const d = await startDaemon(root, port);
    try {
      const p = publish(root);
      const r = await finished(p);
      expect(r.code, p.stderr()).toBe(0);
      expect(p.stdout()).toMatch(/2 sent, 0 failed/);
    } finally {
      d.child.kill('SIGTERM');
      expect((await finished(d)).code).toBe(0);
    }
    exactlyOnce();
    // The event came (signed) and was taken; no status poll was needed (the first poll is 30 s away).
    expect(fakes.wechat.pushes.map((x) => x.status)).toEqual([200]);
    expect(fakes.wechat.calls('freepublish/get')).toHaveLength(0);
    const receipt = await withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN })).find((x) => x.channel === 'wechat')!.receipt);
    expect(receipt).toMatchObject({ id: [...fakes.wechat.jobs.keys()][0], details: { via: 'event', publishStatus: 0 } });
    expect(await states(root)).toEqual({ wechat: 'sent', weibo: 'sent' });
  }, 60_000);

  it('a forged event (bad signature) is refused with 403 and changes nothing', async () => {
    const root = project();
    const port = await freePort();
    const d = await startDaemon(root, port);
    try {
      const xml = '<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>2247483999</publish_id><publish_status>0</publish_status></PublishEventInfo></xml>';
      const res = await fetch(`http://127.0.0.1:${port}/wechat/events?signature=${'0'.repeat(40)}&timestamp=1&nonce=2`, { method: 'POST', body: xml });
      expect(res.status).toBe(403);
      const none = await fetch(`http://127.0.0.1:${port}/wechat/events?timestamp=1&nonce=2`, { method: 'POST', body: xml });
      expect(none.status).toBe(403);
    } finally {
      d.child.kill('SIGTERM');
      await finished(d);
    }
    expect(d.stdout() + d.stderr()).toContain('bad signature');
    expect(await withStore(join(root, 'var'), (s) => s.getMeta('wechat:event:2247483999'))).toBeUndefined();
  }, 30_000);
});

describe('killed mid-publish, recovered', () => {
  it('SIGKILL between draft/add and freepublish/submit; the same command again: that draft is submitted, one job', async () => {
    const root = project();
    await approve(root);
    const killed = await finished(publish(root, { ADVISORY_FAILPOINT: 'after-checkpoint:1' }, ['wechat']));
    expect(killed.signal).toBe('SIGKILL');
    expect(fakes.wechat.drafts.size).toBe(1);
    expect(fakes.wechat.jobs.size).toBe(0);
    const again = publish(root, {}, ['wechat']);
    expect((await finished(again)).code, again.stderr()).toBe(0);
    expect(fakes.wechat.drafts.size).toBe(1);
    expect(fakes.wechat.jobs.size).toBe(1);
    expect(fakes.wechat.calls('freepublish/submit')[0].body).toEqual({ media_id: [...fakes.wechat.drafts.keys()][0] });
    expect(await states(root)).toEqual({ wechat: 'sent' });
  }, 60_000);

  it('SIGKILL between freepublish/submit and the event, the event lost while nothing listened; the daemon finds the job by its publish_id (polled), no second draft or job', async () => {
    const root = project();
    await approve(root);
    fakes.wechat.callback = { url: `http://127.0.0.1:${await freePort()}/wechat/events`, token: CALLBACK_TOKEN };
    const killed = await finished(publish(root, { ADVISORY_FAILPOINT: 'after-checkpoint:3' }, ['wechat']));
    expect(killed.signal).toBe('SIGKILL');
    expect(fakes.wechat.jobs.size).toBe(1);
    await until(() => fakes.wechat.pushes.length === 1, 5_000, 'the job to finish');
    expect(fakes.wechat.pushes[0].status).toBeUndefined(); // nobody listened: the event is lost
    const d = await startDaemon(root, 0);
    try {
      await until(async () => (await states(root)).wechat === 'sent', 30_000, 'the daemon to finish the publish');
    } finally {
      d.child.kill('SIGTERM');
      await finished(d);
    }
    expect(fakes.wechat.drafts.size).toBe(1);
    expect(fakes.wechat.jobs.size).toBe(1);
    expect(fakes.wechat.calls('freepublish/submit')).toHaveLength(1);
    expect(fakes.wechat.calls('freepublish/get').length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('SIGKILL during a Weibo post whose answer never came; the same command again: repeat content means it was posted, one post', async () => {
    const root = project({ weibo: 'timeout: 30s' });
    await approve(root);
    fakes.weibo.fault('statuses/share.json', { kind: 'accept-then-hang' });
    const p = publish(root, {}, ['weibo']);
    await until(() => fakes.weibo.posts.length === 1, 20_000, 'the post to be accepted');
    p.child.kill('SIGKILL');
    expect((await finished(p)).signal).toBe('SIGKILL');
    const again = publish(root, {}, ['weibo']);
    expect((await finished(again)).code, again.stderr()).toBe(0);
    expect(fakes.weibo.posts).toHaveLength(1);
    expect(fakes.weibo.calls('statuses/share.json').map((r) => r.answer?.status)).toEqual([undefined, 400]);
    const d = await withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN }))[0]);
    expect(d).toMatchObject({ state: 'sent', receipt: { details: { idUnknown: true } } });
  }, 60_000);

  it('SIGKILL with the submit about to go out: nobody can tell whether WeChat took it, so it is held for a person; after `advisory retry` the same draft is submitted once', async () => {
    const root = project();
    await approve(root);
    const killed = await finished(publish(root, { ADVISORY_FAILPOINT: 'after-checkpoint:2' }, ['wechat']));
    expect(killed.signal).toBe('SIGKILL');
    const rerun = publish(root, {}, ['wechat']);
    expect((await finished(rerun)).code).toBe(4);
    expect(await states(root)).toEqual({ wechat: 'held' });
    const key = await withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN }))[0].key);
    const status = startProcess(['status', '--root', root], env());
    await finished(status);
    expect(status.stdout()).toMatch(/held:\n.*freepublish\/submit of draft \S+ was sent at \d{4}-\d\d-\d\dT[\d:.]+Z but .*answer never arrived.*发表记录.*advisory retry/);
    const retry = startProcess(['retry', key, '--root', root], env());
    expect((await finished(retry)).code, retry.stderr()).toBe(0);
    const after = publish(root, {}, ['wechat']);
    expect((await finished(after)).code, after.stderr()).toBe(0);
    expect(fakes.wechat.drafts.size).toBe(1);
    expect(fakes.wechat.jobs.size).toBe(1);
    expect(await states(root)).toEqual({ wechat: 'sent' });
  }, 60_000);

  it('SIGKILL at each step of a publish to both channels, recovered by the daemon: one draft, one job, one post', async () => {
    for (const failpoint of ['after-sending:1', 'after-sending:2', 'after-publish:1', 'after-publish:2']) {
      fakes.wechat.reset();
      fakes.weibo.reset();
      const root = project();
      await approve(root);
      const killed = await finished(publish(root, { ADVISORY_FAILPOINT: failpoint }));
      expect(killed.signal, failpoint).toBe('SIGKILL');
      const d = await startDaemon(root, 0);
      try {
        await until(async () => {
          const s = await states(root);
          return s.wechat === 'sent' && s.weibo === 'sent';
        }, 30_000, `the daemon to finish after ${failpoint}`);
      } finally {
        d.child.kill('SIGTERM');
        await finished(d);
      }
      exactlyOnce();
    }
  }, 180_000);
});

describe('secrets', () => {
  it('never appear in any output of these runs', () => {
    const secrets = [fakes.wechat?.secret ?? 'test-secret', '2.00weibo-test-token'];
    expect(leaks(outputs, secrets)).toEqual([]);
  });
});
