/**
 * The command line in Simplified Chinese (issue 14): with no language in the environment the help, the
 * commands' summaries, an unknown command, a usage error and `status` are said in Chinese; `--lang en`, an
 * English locale, or `--lang en` over a Chinese locale say them in English; `--lang xx` is a one-line usage
 * error. Commands, options, paths and codes stay as they are inside the Chinese.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { runCli } from '../cli/in-process.js';
import { MAIN } from '../delivery/daemon-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HAN = /\p{Script=Han}/u;
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** This process's environment without anything that names a language (as a shell with no locale set). */
const noLang: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !['ADVISORY_LANG', 'LANG', 'LC_ALL', 'LC_MESSAGES'].includes(k)),
);
const env = (more: NodeJS.ProcessEnv = {}) => ({ ...noLang, LOG_LEVEL: 'silent', ...more });

/** A temp copy of the bundled project. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-zh-cli-'));
  temps.push(dir);
  for (const d of ['advisories', 'templates', 'channels']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

describe('no language in the environment: Simplified Chinese', () => {
  it('advisory --help: the frame and every command\'s summary', async () => {
    const r = await runCli(['--help'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.out).toContain('用法：advisory <命令> [选项]');
    expect(r.out).toContain('命令：');
    expect(r.out).toMatch(/^ {2}status +按状态列出推送/m);
    expect(r.out).toMatch(/^ {2}approve +记录谁批准了专题的当前内容/m);
    // every line after the heading says its command in Chinese
    const lines = r.out.split('\n').filter((l) => /^ {2}[a-z]+ {2,}/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(15);
    expect(lines.filter((l) => !HAN.test(l))).toEqual([]);
  });

  it('advisory status --help: its usage and the --root line', async () => {
    const r = await runCli(['status', '--help'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.out).toContain('用法：advisory status [--json] [--drill]');
    expect(r.out).toContain('--drill  查看演练账本（var/drill/');
    expect(r.out).toContain('--root DIR, -C DIR  项目文件夹');
    expect(r.out).not.toContain('Usage:');
  });

  it('an unknown command, with the closest one', async () => {
    const r = await runCli(['stauts'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('advisory：没有“stauts”这个命令。您是不是要输入“status”？运行 `advisory --help` 查看命令列表。');
  });

  it('usage errors: one line each, pointing to the command\'s --help', async () => {
    const dir = project();
    const noBy = await runCli(['approve', '2014-national-day', '--root', dir], { env: env() });
    expect(noBy.code).toBe(2);
    expect(noBy.err.trim()).toBe('advisory approve：请说明由谁批准：--by NAME。运行 `advisory approve --help` 可查看它的选项。');
    const option = await runCli(['status', '--bogus', '--root', dir], { env: env() });
    expect(option.code).toBe(2);
    expect(option.err.trim()).toBe('advisory status：没有 --bogus 这个选项。运行 `advisory status --help` 可查看它的选项。');
    const value = await runCli(['approve', '2014-national-day', '--root', dir, '--by'], { env: env() });
    expect(value.code).toBe(2);
    expect(value.err.trim()).toBe('advisory approve：选项 --by 后面要跟一个值。运行 `advisory approve --help` 可查看它的选项。');
    const campaign = await runCli(['publish', '2014-natonal-day', '--root', dir], { env: env() });
    expect(campaign.code).toBe(2);
    expect(campaign.err).toContain('没有“2014-natonal-day”这个专题。您是不是要输入“2014-national-day”？现有的专题：');
  });

  it('status on a copy of the bundled project', async () => {
    const r = await runCli(['status', '--root', project()], { env: env(), now: () => new Date('2014-09-20T00:00:00Z') });
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^推送：已发送 0，待发送 0，发送中 0，暂停 0，失败 0，错过 0$/m);
    expect(r.out).toMatch(/^发送调度：未运行$/m);
    expect(r.out).toMatch(/^电子邮件订阅者：有效 0$/m);
    expect(r.out).toMatch(/^渠道：website 生成网站（不需要凭据）；wechat 沙盒（未设置：/m);
    expect(r.out).toMatch(/^警告：\n {2}2014-national-day.* 安排了电子邮件推送，但目前没有有效订阅者/m);
    expect(r.out).toMatch(/^接下来要发的：\n {2}2014-09-2\d/m);
  });

  it('plan: the header, the table\'s heads and the total', async () => {
    const r = await runCli(['plan', '2014-national-day', '--from', '2014-09-01', '--to', '2014-10-31', '--root', project()], { env: env() });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^发布计划：2014-09-01 00:00 \+08:00 至 2014-11-01 00:00 \+08:00（Asia\/Shanghai；不含结束时刻）。不会发送任何内容。$/m);
    expect(r.out).toMatch(/^ {2}发布时间（当地） +UTC 时间 +计划 +渠道 +提示文章$/m);
    expect(r.out).toMatch(/^共 1 个专题，\d+ 次发布。$/m);
  });

  it('new: what it made, and the comment in the campaign.yaml it writes', async () => {
    const dir = project();
    const r = await runCli(['new', '2027-spring-festival', '--holiday', 'spring-festival', '--year', '2027', '--root', dir], { env: env() });
    expect(r.out.trim()).toBe('已创建 advisories/2027-spring-festival/campaign.yaml 和 advisories/2027-spring-festival/01-example.md\n请编辑这两个文件，然后运行：advisory check 2027-spring-festival');
    expect(readFileSync(join(dir, 'advisories/2027-spring-festival/campaign.yaml'), 'utf8')).toContain('# 放假第一天的前两天');
  });

  it('the real entry point, spawned: --help in Chinese', () => {
    const r = spawnSync(process.execPath, [MAIN, '--help'], { env: env(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('用法：advisory <命令> [选项]');
  });
});

describe('English when asked', () => {
  it('--lang en', async () => {
    const help = await runCli(['--help', '--lang', 'en'], { env: env() });
    expect(help.out).toContain('Usage: advisory <command> [options]');
    expect(HAN.test(help.out)).toBe(false);
    const status = await runCli(['status', '--lang', 'en', '--root', project()], { env: env() });
    expect(status.out).toMatch(/^deliveries: 0 sent, 0 pending, 0 sending, 0 held, 0 failed, 0 missed$/m);
    expect(status.out).toMatch(/^dispatcher: not running$/m);
    const unknown = await runCli(['--lang=en', 'stauts'], { env: env() });
    expect(unknown.err.trim()).toBe('advisory: unknown command "stauts". Did you mean "status"? Run `advisory --help` for the list.');
  });

  it('an English locale (LANG=en_US.UTF-8)', async () => {
    const r = await runCli(['status', '--help'], { env: env({ LANG: 'en_US.UTF-8' }) });
    expect(r.out).toMatch(/^Deliveries by state.*\n\nUsage: advisory status/);
    expect(r.out).toContain('--root DIR, -C DIR  the project folder');
    const err = await runCli(['approve', '2014-national-day', '--root', project()], { env: env({ LANG: 'en_US.UTF-8' }) });
    expect(err.err.trim()).toBe('advisory approve: say who approves: --by NAME. `advisory approve --help` lists its options.');
  });

  it('--lang en over a Chinese locale (LANG=zh_CN.UTF-8)', async () => {
    const zh = await runCli(['--help'], { env: env({ LANG: 'zh_CN.UTF-8' }) });
    expect(zh.out).toContain('用法：');
    const en = await runCli(['--help', '--lang', 'en'], { env: env({ LANG: 'zh_CN.UTF-8' }) });
    expect(en.out).toContain('Usage: advisory');
    expect(HAN.test(en.out)).toBe(false);
  });
});

describe('--lang with a language it does not know', () => {
  it('is a one-line usage error (exit 2), before anything else runs', async () => {
    for (const args of [['--lang', 'xx', 'status'], ['status', '--lang=xx'], ['--help', '--lang', 'fr']]) {
      const r = await runCli(args, { env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.err).toContain('--lang zh');
      expect(r.err).toContain('--lang en');
    }
  });
});
