/** `advisory channels verify`: each misconfiguration of a live channel said in plain words, nothing published. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './in-process.js';
import { tmpProject } from '../delivery/helpers.js';
import { liveEnv, makeLive, useFakes } from '../channels/live.js';

const fakes = useFakes();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(live = true): string {
  const root = tmpProject();
  dirs.push(root);
  if (live) makeLive(root);
  return root;
}

const verify = (root: string, env: Record<string, string>, extra: string[] = []) =>
  runCli(['channels', 'verify', '--root', root, ...extra], { env: { ...process.env, NO_COLOR: '1', ...env } });

const lineOf = (out: string, channel: string) => out.split('\n').find((l) => l.startsWith(`${channel} `)) ?? '';

describe('advisory channels verify', () => {
  it('both live channels work: ok lines, exit 0, and nothing was drafted, published or posted', async () => {
    const r = await verify(project(), liveEnv(fakes));
    expect(r.code, r.out + r.err).toBe(0);
    expect(lineOf(r.out, 'wechat')).toMatch(/^wechat\s+ok\s+live: WeChat issued an access token/);
    expect(lineOf(r.out, 'weibo')).toMatch(/^weibo\s+ok\s+live: the access token works .*\d+ days left/);
    expect(lineOf(r.out, 'email')).toMatch(/^email\s+sandbox\s+.*not set: SMTP_URL, SMTP_USER/);
    expect(fakes.wechat.calls('stable_token')).toHaveLength(1);
    expect(fakes.wechat.calls('draft/add').length + fakes.wechat.calls('freepublish/submit').length).toBe(0);
    expect(fakes.weibo.calls('statuses/share.json')).toHaveLength(0);
    expect(fakes.weibo.posts).toHaveLength(0);
  });

  it('without credentials every channel is sandbox and says which variables are missing; exit 0', async () => {
    const r = await verify(project(), {});
    expect(r.code).toBe(0);
    expect(lineOf(r.out, 'wechat')).toMatch(/sandbox.*not set: WECHAT_APPID, WECHAT_SECRET/);
    expect(lineOf(r.out, 'weibo')).toMatch(/sandbox.*not set: WEIBO_ACCESS_TOKEN/);
  });

  it('a wrong AppSecret: said so, naming the variable; exit 1', async () => {
    const r = await verify(project(), { ...liveEnv(fakes), WECHAT_SECRET: 'not-the-secret' }, ['--channel', 'wechat']);
    expect(r.code).toBe(1);
    expect(lineOf(r.out, 'wechat')).toMatch(/FAILED\s+the AppSecret is wrong: check WECHAT_SECRET/);
    expect(r.out).not.toContain('not-the-secret');
  });

  it('a wrong AppID: said so', async () => {
    const r = await verify(project(), { ...liveEnv(fakes), WECHAT_APPID: 'wx-wrong' }, ['--channel', 'wechat']);
    expect(r.code).toBe(1);
    expect(lineOf(r.out, 'wechat')).toMatch(/FAILED\s+the AppID is wrong/);
  });

  it("this machine's IP not on the whitelist: said so, with the IP WeChat saw and where to add it", async () => {
    fakes.wechat.whitelist = false;
    const r = await verify(project(), liveEnv(fakes), ['--channel', 'wechat']);
    expect(r.code).toBe(1);
    expect(lineOf(r.out, 'wechat')).toMatch(/FAILED\s+this server's IP address is not on the account's IP whitelist: add it under .*IP白名单.*\(WeChat saw the IP 203\.0\.113\.9\)/);
    expect(lineOf(r.out, 'wechat')).toMatch(/40164.*rid [\w-]+/);
  });

  it('an expired Weibo token: a person must authorize again', async () => {
    fakes.weibo.expireToken();
    const r = await verify(project(), liveEnv(fakes), ['--channel', 'weibo']);
    expect(r.code).toBe(1);
    expect(lineOf(r.out, 'weibo')).toMatch(/FAILED\s+the access token is expired or revoked: a person must authorize the app again .*WEIBO_ACCESS_TOKEN.*21327/);
  });

  it('a Weibo token with 10 days left: a warning with the date, exit 0', async () => {
    fakes.weibo.setTokenExpiresIn(10 * 86_400);
    const r = await verify(project(), liveEnv(fakes), ['--channel', 'weibo']);
    expect(r.code).toBe(0);
    expect(lineOf(r.out, 'weibo')).toMatch(/warning\s+weibo: the access token expires in (9|10) day\(s\) \(\d{4}-\d\d-\d\d\): authorize the app again/);
  });

  it('the API cannot be reached: said so, pointing at the network and the api_base setting', async () => {
    const r = await verify(project(), { ...liveEnv(fakes), WEIBO_API_BASE: 'http://127.0.0.1:9' }, ['--channel', 'weibo']);
    expect(r.code).toBe(1);
    expect(lineOf(r.out, 'weibo')).toMatch(/FAILED\s+\/oauth2\/get_token_info: could not reach the server .*WEIBO_API_BASE/);
  });

  it("live credentials with the default loopback base_url: the credentials are still checked, and base_url is reported as the problem", async () => {
    const root = project(false);
    const r = await verify(root, liveEnv(fakes));
    expect(r.code).toBe(1);
    expect(lineOf(r.out, 'wechat')).toMatch(/ok/);
    expect(lineOf(r.out, 'base_url')).toMatch(/FAILED\s+base_url is http:\/\/127\.0\.0\.1:4321, an address only this machine can open/);
  });

  it('an unknown channel or subcommand is a usage error', async () => {
    const root = project();
    expect((await verify(root, {}, ['--channel', 'wechta'])).code).toBe(2);
    const r = await runCli(['channels', 'check', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('advisory channels verify');
  });
});

describe('live publishing with a loopback base_url', () => {
  it('`advisory publish` refuses to start (exit 3), naming base_url and channels/website.yaml; nothing reaches the APIs', async () => {
    const root = project(false);
    const env = { ...process.env, NO_COLOR: '1', ...liveEnv(fakes) };
    await runCli(['approve', '2014-national-day', '--by', '张三', '--root', root], { env });
    const r = await runCli(['publish', '2014-national-day', '--now', '--root', root], { env });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/base_url is still http:\/\/127\.0\.0\.1:4321.*Set base_url to the bureau's public site/);
    expect(fakes.wechat.requests).toHaveLength(0);
    expect(fakes.weibo.requests).toHaveLength(0);
  });

  it('`advisory check` warns about it in any mode, at its line in channels/website.yaml', async () => {
    const root = project(false);
    const r = await runCli(['check', '--root', root]);
    const line = readFileSync(join(root, 'channels/website.yaml'), 'utf8').split('\n').findIndex((l) => l.startsWith('base_url:')) + 1;
    expect(r.code).toBe(0);
    expect(r.out).toContain(`channels/website.yaml:${line}:1: warning base_url is http://127.0.0.1:4321`);
    writeFileSync(join(root, 'channels/website.yaml'), readFileSync(join(root, 'channels/website.yaml'), 'utf8').replace(/^base_url:.*$/m, 'base_url: https://www.example.gov.cn/a'));
    expect((await runCli(['check', '--root', root])).out).not.toContain('base-url-loopback');
  });
});
