/**
 * Regression: `advisory status` said the channel modes of the terminal's own environment ("weibo 沙盒（未设置：
 * WEIBO_ACCESS_TOKEN）") while the running daemon published to Weibo live. The daemon records the modes it
 * started with (meta daemon_channels, with its lock generation); status shows those while it runs, and says so.
 * And status called the website "沙盒" where `run` and `channels verify` say "生成网站（不需要凭据）".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './in-process.js';
import { tmpProject } from '../delivery/helpers.js';
import { assertBuilt, startProcess, until, type Proc } from '../delivery/daemon-process.js';

let root: string;
let daemon: Proc | null = null;
afterEach(async () => {
  if (daemon && daemon.child.exitCode === null) {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
  }
  daemon = null;
  rmSync(root, { recursive: true, force: true });
});

const here = { LOG_LEVEL: 'silent', NO_COLOR: '1', ADVISORY_LANG: 'zh-CN' };
const status = (lang = 'zh-CN') => runCli(['status', '--root', root], { env: { ...here, ADVISORY_LANG: lang } });

describe('status shows the channel modes of the running daemon', () => {
  it('the daemon has the Weibo token, this terminal not: weibo 正式, marked as the daemon\'s; after it stops, this environment\'s again', async () => {
    assertBuilt();
    root = tmpProject();
    const site = join(root, 'channels/website.yaml');
    writeFileSync(site, readFileSync(site, 'utf8').replace(/^base_url:.*$/m, 'base_url: https://www.example.gov.cn/advisories'));
    const before = await status();
    expect(before.out).toMatch(/^渠道：.*weibo 沙盒（未设置：WEIBO_ACCESS_TOKEN）/m);
    expect(before.out).not.toContain('运行中的 advisory run 的设置');
    expect(before.out).toMatch(/^渠道：.*website 生成网站（不需要凭据）/m);

    daemon = startProcess(['run', '--root', root, '--port', '0'], { WEIBO_ACCESS_TOKEN: 'token', LOG_LEVEL: 'info' });
    await until(() => daemon!.stderr().includes('serving') || daemon!.child.exitCode !== null, 20_000, 'the daemon to start');
    expect(daemon.child.exitCode, daemon.stderr()).toBeNull();

    const during = await status();
    expect(during.out).toMatch(/^渠道：.*weibo 正式[；（]/m);
    expect(during.out).not.toContain('WEIBO_ACCESS_TOKEN');
    expect(during.out).toMatch(/^渠道：.*（运行中的 advisory run 的设置）$/m);
    expect((await status('en')).out).toMatch(/^channels: .*weibo live.*\(as the running advisory run started with them\)$/m);
    const json = JSON.parse((await runCli(['status', '--json', '--root', root], { env: here })).out) as { channelsFrom: string; channels: Array<{ name: string; mode: string }> };
    expect(json.channelsFrom).toBe('daemon');
    expect(json.channels.find((c) => c.name === 'weibo')!.mode).toBe('live');

    daemon.child.kill('SIGTERM');
    await daemon.exited;
    const after = await status();
    expect(after.out).toMatch(/^渠道：.*weibo 沙盒（未设置：WEIBO_ACCESS_TOKEN）/m);
    expect(after.out).not.toContain('运行中的 advisory run 的设置');
  }, 60_000);
});
