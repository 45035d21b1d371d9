/**
 * Slips of a Chinese input method (issue 14), recognised and named as `title：` already is: a full-width or
 * enumeration comma inside a [ ] list, a full-width colon in a time, a full-width ＠ or comma in an address,
 * and a campaign named by the path a shell completed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/in-process.js';
import { validAddress } from '../../src/delivery/subscriber-list.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const ADVISORY = (fm = 'title: 防范入室盗窃\nsummary: 关好门窗。\n') => `---\n${fm}---\n## 防范建议\n关好门窗。\n`;

function project(campaignYaml: string, advisory = ADVISORY()): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-ime-'));
  temps.push(dir);
  cpSync(join(ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(ROOT, 'channels'), join(dir, 'channels'), { recursive: true });
  mkdirSync(join(dir, 'advisories/demo'), { recursive: true });
  writeFileSync(join(dir, 'advisories/demo/campaign.yaml'), campaignYaml);
  writeFileSync(join(dir, 'advisories/demo/01-burglary.md'), advisory);
  return dir;
}

const campaign = (schedule: string, extra = '') => `title: 演示\nissuer: 章丘市公安局\nsummary: 演示。\n${extra}schedule:\n${schedule}`;

describe('Chinese input method slips', () => {
  it('a list typed with full-width commas does not hide the file\'s other problems: they show in the same run, and the campaign stays invalid', async () => {
    const dir = project(campaign('  - name: bulletin\n    channels: [website，wechat]\n    at: 2030-09-29T09:00+08:00\n  - name: daily\n    channels: [微博]\n    cron: "0 8 * * *"\n', 'holiday: 春节\n'));
    const r = await runCli(['check', '--root', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[full-width-punctuation]');
    expect(r.out).toMatch(/campaign\.yaml:4:10: error .*"春节".*spring-festival.* \[unknown-holiday\]/);
    expect(r.out).toMatch(/campaign\.yaml:\d+:\d+: error .*"微博".*weibo.* \[unknown-channel\]/);
    const publish = await runCli(['publish', 'demo', '--now', '--root', dir]);
    expect(publish.code).not.toBe(0);
  });

  it('channels: [website，wechat，email] — the full-width comma named at its place, nothing else said about the list', async () => {
    const dir = project(campaign('  - name: bulletin\n    channels: [website，wechat，email]\n    at: 2030-09-29T09:00+08:00\n'));
    const r = await runCli(['check', '--root', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('advisories/demo/campaign.yaml:6:23: error "website，wechat，email" is one list item: "，" is a Chinese full-width comma (Chinese input mode), which YAML does not read as a separator. Retype it as an ordinary comma: [website, wechat, email] [full-width-punctuation]');
    expect(r.out).not.toContain('unknown channel');
  });

  it('tags: [入室盗窃、防盗] in front matter — an error (it was silently one tag), at the line of the .md file', async () => {
    const dir = project(campaign('  - name: bulletin\n    channels: [website]\n    at: 2030-09-29T09:00+08:00\n'), ADVISORY('title: 防范入室盗窃\nsummary: 关好门窗。\ntags: [入室盗窃、防盗]\n'));
    const r = await runCli(['check', '--root', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/advisories\/demo\/01-burglary\.md:4:\d+: error "入室盗窃、防盗" is one list item: "、" is a Chinese enumeration comma .* \[入室盗窃, 防盗\] \[full-width-punctuation\]/);
  });

  it('time: "9：00" — names the full-width colon', async () => {
    const dir = project(campaign('  - name: bulletin\n    channels: [website]\n    at: { holiday: -2d, time: "9：00" }\n', 'holiday: national-day\nyear: 2030\n'));
    const r = await runCli(['check', '--root', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/campaign\.yaml:\d+:\d+: error .*full-width colon "：" \(Chinese input mode\): retype it as an ordinary colon/);
    expect(r.out).not.toContain('expected a 24-hour time');
  });

  it('addresses: wang＠example.org and a list line zhao@example.com，赵六', async () => {
    expect(validAddress('wang＠example.org')).toBe('contains a full-width "＠" (U+FF20, typed in Chinese input mode): retype it as "@" (wang@example.org)');
    expect(validAddress('wang@example。org')).toContain('a Chinese full stop "。"');
    expect(validAddress('zhao@example.com，赵六')).toBe('"zhao@example.com" is followed by a full-width "，" (U+FF0C, typed in Chinese input mode) and "赵六": in a list, separate the address and the name with an ordinary comma: zhao@example.com,赵六');
    const dir = project(campaign('  - name: bulletin\n    channels: [email]\n    at: 2030-09-29T09:00+08:00\n'));
    const add = await runCli(['subscribers', 'add', 'wang＠example.org', '--root', dir]);
    expect(add.code).toBe(1);
    expect(add.err + add.out).toContain('retype it as "@" (wang@example.org)');
    writeFileSync(join(dir, 'list.csv'), 'email,name\nli@example.com,李四\nzhao@example.com，赵六\n');
    const imp = await runCli(['subscribers', 'import', join(dir, 'list.csv'), '--root', dir]);
    expect(imp.err + imp.out).toMatch(/list\.csv:3.*separate the address and the name with an ordinary comma: zhao@example\.com,赵六/);
  });

  it('check advisories/2014-national-day/ (a path completed with Tab) is the campaign 2014-national-day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-ime-'));
    temps.push(dir);
    for (const d of ['advisories', 'templates', 'channels']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
    const byName = await runCli(['check', '2014-national-day', '--root', dir]);
    for (const typed of ['advisories/2014-national-day/', './advisories/2014-national-day', 'advisories\\2014-national-day']) {
      expect(await runCli(['check', typed, '--root', dir])).toEqual(byName);
    }
    expect(readFileSync(join(dir, 'advisories/2014-national-day/campaign.yaml'), 'utf8')).toContain('title');
  });
});

describe('Chinese file names', () => {
  it('01-入室盗窃.md gets the id ru-shi-dao-qie, shown by check with its web address; an id: in the front matter wins', async () => {
    const dir = project(campaign('  - name: bulletin\n    channels: [website]\n    at: 2030-09-29T09:00+08:00\n'));
    rmSync(join(dir, 'advisories/demo/01-burglary.md'));
    writeFileSync(join(dir, 'advisories/demo/01-入室盗窃.md'), ADVISORY());
    writeFileSync(join(dir, 'advisories/demo/02-防范诈骗.md'), ADVISORY('id: fraud\ntitle: 防范诈骗\nsummary: 不转账。\n'));
    const r = await runCli(['check', '--root', dir]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^advisories\/demo\/01-入室盗窃\.md: id "ru-shi-dao-qie" \(the file name in pinyin\); its page: \S+\/demo\/ru-shi-dao-qie\/\. To choose another, set id: in its front matter$/m);
    expect(r.out).not.toContain('02-防范诈骗.md: id');
    expect(r.out).toMatch(/1 campaign, 2 advisories: 0 errors/);
    const out = join(dir, 'site');
    expect((await runCli(['build', '--preview', '--out', out, '--root', dir])).code).toBe(0);
    expect(readFileSync(join(out, 'demo/ru-shi-dao-qie/index.html'), 'utf8')).toContain('防范入室盗窃');
    expect(readFileSync(join(out, 'demo/fraud/index.html'), 'utf8')).toContain('防范诈骗');
  });

  it('two names that read the same in pinyin: the second is a duplicate id, named', async () => {
    const dir = project(campaign('  - name: bulletin\n    channels: [website]\n    at: 2030-09-29T09:00+08:00\n'));
    writeFileSync(join(dir, 'advisories/demo/02-诈骗.md'), ADVISORY());
    writeFileSync(join(dir, 'advisories/demo/03-炸骗.md'), ADVISORY());
    const r = await runCli(['check', '--root', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/03-炸骗\.md:1:1: error the advisory id "zha-pian" is already used by advisories\/demo\/02-诈骗\.md/);
  });
});
