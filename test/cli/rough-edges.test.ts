/**
 * Regressions from an independent tester's run of the CLI, each as staff type it (a Chinese IME on Windows):
 * a missing list file said as ENOENT; a campaign folder dragged from Explorer (an absolute path) refused;
 * `advisory --root` alone called an unknown command; `--channel 网站` refused and `--channel webo` with no
 * did-you-mean; plan's empty window said in UTC instants; staff list and status times in ISO UTC.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './in-process.js';
import { tmpProject, withStore } from '../delivery/helpers.js';

const CAMPAIGN = '2014-national-day';
let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const env = { LOG_LEVEL: 'silent', NO_COLOR: '1', ADVISORY_LANG: 'zh-CN' };
const cli = (args: string[], cwd = root) => runCli(args, { env, cwd, now: () => new Date('2014-09-28T02:00:00Z') });

describe('the CLI as staff type it', () => {
  it('subscribers import of a file that is not there: said in words, where it was looked for and what to do', async () => {
    const r = await cli(['subscribers', 'import', 'nofile.csv']);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('ENOENT');
    expect(r.err).toContain(`找不到文件 nofile.csv：是相对于当前文件夹（${root}）查找的，即 ${join(root, 'nofile.csv')}`);
    expect(r.err).toContain('完整路径');
  });

  it('check with the absolute path of a campaign folder (dragged from Explorer) inside advisories/', async () => {
    const r = await cli(['check', join(root, 'advisories', CAMPAIGN)]);
    expect(r.code, r.out + r.err).toBe(0);
    expect((await cli(['check', `${join(root, 'advisories', CAMPAIGN)}/`])).code).toBe(0);
    // Outside advisories/ it is still no campaign.
    expect((await cli(['check', join(root, 'channels')])).code).toBe(2);
  });

  it('advisory --root with no folder says the option needs a folder', async () => {
    for (const args of [['--root'], ['-C'], ['status', '--root']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('后面要跟一个文件夹');
      expect(r.err).not.toContain('命令”');
    }
  });

  it('--channel takes the Chinese names, and a near miss gets a did-you-mean', async () => {
    const r = await cli(['publish', CAMPAIGN, '--channel', '网站', '--channel', '微博']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/发布到：website, weibo$/m);
    const typo = await cli(['publish', CAMPAIGN, '--channel', 'webo']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('没有“webo”这个渠道。您是不是要输入“weibo”？');
    const verify = await cli(['channels', 'verify', '--channel', '网页']);
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toMatch(/^website /m);
  });

  it("plan's empty window says the dates as typed, not UTC instants", async () => {
    const r = await cli(['plan', '--from', '2027-02-01', '--to', '2027-01-01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--from（2027-02-01）必须早于 --to（2027-01-01）');
    expect(r.err).not.toMatch(/T\d\d:\d\d:\d\dZ/);
  });

  it('staff list and status say times in local time (Asia/Shanghai), to the minute; --json keeps ISO', async () => {
    await withStore(join(root, 'var'), (s) => s.addStaff('wang', 'scrypt$x', new Date('2026-12-02T14:34:10.873Z')));
    const list = await cli(['staff', 'list']);
    expect(list.out).toContain('wang\t添加于 2026-12-02 22:34\t密码设置于 2026-12-02 22:34');
    expect(list.out).not.toContain('2026-12-02T14:34');

    await withStore(join(root, 'var'), async (s) => {
      await s.acquireLock('dispatcher', 'advisory run', 60_000);
      const status = await cli(['status']);
      expect(status.out).toMatch(/^发送调度：.*开始于 \d{4}-\d\d-\d\d \d\d:\d\d[；）]/m);
      // Delivery keys keep their UTC instant; the times said to a person are local.
      expect(status.out).toMatch(/^  2014-09-29 09:00  2014-national-day\/bulletin\/2014-09-29T01:00:00Z  → /m);
      expect(status.out.replace(/\S+\/\S+T\S+Z/g, '')).not.toMatch(/\d\dT\d\d:\d\d/);
      const json = JSON.parse((await cli(['status', '--json'])).out) as { dispatcher: { since: string } };
      expect(json.dispatcher.since).toMatch(/T\d\d:\d\d:\d\d/);
    });
  });
});
