/**
 * `advisory check` in Simplified Chinese (issue 14): with no language in the environment, or --lang zh,
 * each problem is said in Chinese — the severity as 错误/警告 — at the same file:line:column and with
 * the same [rule] as in English; --lang en says it in English; a cached answer is not served in the
 * other language. And the catalogue itself: every Chinese entry is Chinese, and not the English one.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { runCli } from '../cli/in-process.js';
import { setLang, type Lang } from '../../src/i18n/index.js';
import { parseAdvisory, parseCampaign } from '../../src/content/parse.js';
import { yamlMessages } from '../../src/i18n/messages-yaml.js';
import { contentMessages } from '../../src/i18n/messages-content.js';
import { scheduleMessages } from '../../src/i18n/messages-schedule.js';
import { channelMessages } from '../../src/i18n/messages-channels.js';
import { checkMessages } from '../../src/i18n/messages-check.js';
import { calendarFileMessages } from '../../src/i18n/messages-calendar-file.js';
import { parseCalendarFile } from '../../src/content/calendar-file.js';
import { campaignCache } from '../../src/content/inputs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HAN = /\p{Script=Han}/u;
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
afterEach(() => setLang('en'));

const ADVICE = '## 案件特点\n\n节日期间家中无人，容易被盗。\n\n## 防范建议\n\n外出前关好门窗，贵重物品不要放在家中。\n';
const advisory = (title: string, body = ADVICE) => `---\ntitle: ${title}\nsummary: 节日外出前关好门窗。\n---\n${body}`;
const schedule = '  - name: bulletin\n    channels: [website, wechat]\n    at: 2030-09-29T09:00+08:00\n';

/** A project with one campaign per kind of slip (a campaign with a YAML error says nothing else). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-zh-'));
  temps.push(dir);
  for (const d of ['templates', 'channels']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  const campaign = (id: string, yaml: string, files: Record<string, string>) => {
    mkdirSync(join(dir, 'advisories', id), { recursive: true });
    writeFileSync(join(dir, 'advisories', id, 'campaign.yaml'), yaml);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'advisories', id, name), text);
  };
  // a YAML syntax error
  campaign('a-syntax', 'title: "国庆节安全提示\nissuer: 章丘市公安局\nsummary: 提示。\n', { '01-burglary.md': advisory('防范入室盗窃') });
  // an unknown key with a did-you-mean, a missing required field, a full-width colon in a time
  campaign('b-fields', `title: 国庆节安全提示\nisuer: 章丘市公安局\nsummary: 提示。\nholiday: national-day\nyear: 2030\nschedule:\n  - name: bulletin\n    channels: [website]\n    at: { holiday: -2d, time: "9：00" }\n`, {
    '01-burglary.md': advisory('防范入室盗窃'),
  });
  // title： typed with a Chinese input method
  campaign('c-colon', `title：国庆节安全提示\nissuer: 章丘市公安局\nsummary: 提示。\nschedule:\n${schedule}`, { '01-burglary.md': advisory('防范入室盗窃') });
  // a WeChat title too long, an advisory without its 防范建议 section
  campaign('d-channels', `title: 国庆节安全提示\nissuer: 章丘市公安局\nsummary: 提示。\ncover: images/cover.png\nschedule:\n${schedule}`, {
    '01-burglary.md': advisory('节日期间外出旅游探亲访友时务必关好门窗锁好防盗门以防入室盗窃案件发生'),
    '02-fraud.md': advisory('防范电信诈骗', '## 案件特点\n\n冒充客服打电话，以退款为名骗取验证码。\n'),
  });
  mkdirSync(join(dir, 'advisories/d-channels/images'));
  writeFileSync(join(dir, 'advisories/d-channels/images/cover.png'), Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
  return dir;
}

/** The problem lines of check's output: [place, severity word, message, rule]. */
function problems(out: string): Array<[string, string, string, string]> {
  return out.split('\n').flatMap((line) => {
    const m = /^(\S+:\d+:\d+): (\S+) (.*) \[([a-z0-9-]+)\]$/.exec(line);
    return m ? [[m[1], m[2], m[3], m[4]] as [string, string, string, string]] : [];
  });
}

/** The environment of a member of staff whose machine says nothing about the language. */
const noLocale = { PATH: process.env.PATH, NO_COLOR: '1' };

describe('advisory check in Chinese', () => {
  it('says every problem in Chinese at the same place and rule as in English; --lang en says it in English', async () => {
    const dir = project();
    const zh = await runCli(['check', '--root', dir], { env: noLocale });
    const en = await runCli(['check', '--root', dir, '--lang', 'en'], { env: noLocale });
    expect(zh.code).toBe(1);
    expect(en.code).toBe(1);
    const [zhLines, enLines] = [problems(zh.out), problems(en.out)];
    // the place and the rule of every line, as English has them
    expect(zhLines.map(([place, , , rule]) => `${place} ${rule}`)).toEqual(enLines.map(([place, , , rule]) => `${place} ${rule}`));
    const rules = enLines.map(([, , , rule]) => rule);
    for (const rule of ['yaml-syntax', 'unknown-key', 'missing-field', 'full-width-punctuation', 'invalid-value', 'wechat-title-length', 'website-no-advice']) expect(rules).toContain(rule);
    zhLines.forEach(([, severity, message], i) => {
      expect(severity).toMatch(/^(错误|警告)$/);
      expect(enLines[i][1]).toMatch(/^(error|warning)$/);
      expect(severity).toBe(enLines[i][1] === 'error' ? '错误' : '警告');
      expect(message).toMatch(HAN);
      expect(message).not.toBe(enLines[i][2]);
    });
    const said = (rule: string, lines = zhLines) => lines.filter(([, , , r]) => r === rule).map(([place, , message]) => `${place} ${message}`);
    expect(said('yaml-syntax')).toEqual([expect.stringMatching(/^advisories\/a-syntax\/campaign\.yaml:\d+:\d+ YAML 格式有误.*（解析器原文：/)]);
    expect(said('unknown-key')).toEqual([expect.stringMatching(/^advisories\/b-fields\/campaign\.yaml:2:1 没有“isuer”这个字段。您是不是要输入“issuer”？这里可以用的字段有：title, issuer, author, .*schedule/)]);
    expect(said('missing-field')).toEqual(['advisories/b-fields/campaign.yaml:1:1 缺少必填字段“issuer”：请补上，例如 issuer: 章丘市公安局']);
    expect(said('invalid-value')).toEqual(['advisories/b-fields/campaign.yaml:9:31 “schedule[0].at.time”的值有误：时间里用了全角冒号“：”（中文输入法）：请改成英文冒号，例如 "09:00"（现在是文字“9：00”）']);
    expect(said('full-width-punctuation')).toEqual(['advisories/c-colon/campaign.yaml:1:6 “title”后面是全角冒号“：”（中文输入法）：YAML 需要普通冒号加一个空格。请写成 title: …']);
    expect(said('wechat-title-length')).toEqual([expect.stringMatching(/^advisories\/d-channels\/01-burglary\.md:2:\d+ wechat 渠道：第 1 篇文章（共 2 篇，01-burglary\.md）：标题有 3\d 个字，微信最多允许 32 个。/)]);
    expect(said('website-no-advice')).toEqual(['advisories/d-channels/02-fraud.md:5:1 website 渠道：没有“## 防范建议”这一节：CAP 预警信息将没有 <instruction>。请在建议内容前加一个标题“## 防范建议”。']);
    // and in English, as before
    expect(said('unknown-key', enLines)).toEqual([expect.stringMatching(/^advisories\/b-fields\/campaign\.yaml:2:1 unknown field "isuer"\. Did you mean "issuer"\? Known fields here: title, issuer, author, .*schedule/)]);
    expect(said('website-no-advice', enLines)).toEqual(['advisories/d-channels/02-fraud.md:5:1 website: No "## 防范建议" section: the CAP alert will have no <instruction>. Add a heading "## 防范建议" before the advice.']);
  });

  it('the installed command (dist/, `npm run build` first) with no LANG and no ADVISORY_LANG: Chinese', () => {
    const dir = project();
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'check', 'c-colon', '--root', dir, ...args], { encoding: 'utf8', env: noLocale });
    expect(run().stdout).toContain('advisories/c-colon/campaign.yaml:1:6: 错误 “title”后面是全角冒号“：”（中文输入法）：YAML 需要普通冒号加一个空格。请写成 title: … [full-width-punctuation]');
    expect(run('--lang', 'en').stdout).toContain('advisories/c-colon/campaign.yaml:1:6: error "title" is followed by a full-width colon "：" (Chinese input mode): YAML needs an ordinary colon and a space. Write title: … [full-width-punctuation]');
  });

  it('--lang zh and LANG=zh_CN.UTF-8 say it in Chinese too; LANG=en_US.UTF-8 in English', async () => {
    const dir = project();
    const first = (r: { out: string }) => problems(r.out)[0];
    expect(first(await runCli(['check', 'c-colon', '--root', dir, '--lang', 'zh'], { env: { ...noLocale, LANG: 'en_US.UTF-8' } }))[1]).toBe('错误');
    expect(first(await runCli(['check', 'c-colon', '--root', dir], { env: { ...noLocale, LANG: 'zh_CN.UTF-8' } }))[1]).toBe('错误');
    expect(first(await runCli(['check', 'c-colon', '--root', dir], { env: { ...noLocale, LANG: 'en_US.UTF-8' } }))[1]).toBe('error');
  });

  it('a campaign checked in one language is not answered from the cache in the other', async () => {
    const dir = project();
    const runs = [];
    for (const lang of ['zh', 'en', 'zh'] as const) runs.push(problems((await runCli(['check', 'd-channels', '--root', dir, '--lang', lang], { env: noLocale })).out));
    expect(runs[0].map((l) => l[1])).toContain('警告');
    expect(runs[1].map((l) => l[1])).toContain('warning');
    expect(runs[1].every(([, , message]) => !/[\p{Script=Han}]{2}/u.test(message.replace(/“[^”]*”|"[^"]*"|\([^)]*\)|（[^）]*）/g, '')))).toBe(true);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('the per-campaign cache (check\'s and the preview build\'s) keeps a record per language', () => {
    const dir = project();
    const cache = () => campaignCache<{ said: string }>(dir, join(dir, 'var/cache/test'), 'common');
    setLang('zh-CN');
    cache().set('c-colon', { said: '错误' });
    expect(cache().get('c-colon')).toEqual({ said: '错误' });
    setLang('en');
    expect(cache().get('c-colon')).toBeUndefined();
  });
});

describe('the parsers in Chinese (the language set in this process)', () => {
  const at = (ps: Array<{ line: number; column: number; rule: string }>) => ps.map((p) => `${p.line}:${p.column} ${p.rule}`);
  const both = <T>(f: () => T): Record<Lang, T> => {
    setLang('en');
    const en = f();
    setLang('zh-CN');
    return { en, 'zh-CN': f() };
  };

  it('campaign.yaml: a duplicate key, a wrong type, a bad date, a cron with four fields', () => {
    const text = 'title: 演示\ntitle: 演示\nissuer: 章丘市公安局\nsummary: 演示。\n';
    const dup = both(() => parseCampaign(text, 'c.yaml').problems);
    expect(at(dup['zh-CN'])).toEqual(at(dup.en));
    expect(dup['zh-CN'][0].message).toMatch(/^YAML 格式有误：同一层里这个键出现了两次，请只保留一个（解析器原文：/);
    const bad = both(() => parseCampaign('title: 演示\nissuer: 章丘市公安局\nsummary: 演示。\nyear: "2014"\nexpires: 2014-02-30\n', 'c.yaml').problems);
    expect(at(bad['zh-CN'])).toEqual(at(bad.en));
    expect(bad['zh-CN'].map((p) => p.message)).toEqual(['字段“year”应该是数字，但现在是文字“2014”：请去掉引号。示例：year: 2014']);
    const cron = both(() => parseCampaign('title: 演示\nissuer: 章丘市公安局\nsummary: 演示。\nexpires: 2014-02-30\nschedule:\n  - name: b\n    channels: [weibo]\n    cron: "0 8 * *"\n', 'c.yaml').problems);
    expect(at(cron['zh-CN'])).toEqual(at(cron.en));
    expect(cron['zh-CN'].map((p) => p.message)).toEqual([
      '日期“2014-02-30”无效：2014-02 只有 28 天，不存在 30 日',
      'cron 表达式“0 8 * *”无效：应有 5 个字段（分 时 日 月 星期），现在有 4 个。示例："0 8 * * *"（每天 08:00）',
    ]);
  });

  it('calendar/2027.yaml: a date typed the Chinese way, a range with a tilde, a gap in a break', () => {
    const text = 'spring-festival:\n  off: 2027年2月5日\nlabour-day:\n  off: 2027-05-01～2027-05-05\nnational-day:\n  off: [2027-10-01..2027-10-03, 2027-10-05..2027-10-07]\n';
    const ps = both(() => parseCalendarFile(text, 'calendar/2027.yaml', 2027).problems);
    expect(at(ps['zh-CN'])).toEqual(at(ps.en));
    expect(ps['zh-CN'].map((p) => p.message)).toEqual([
      '应为日期，例如 2027-02-05，或日期范围，例如 2027-02-05..2027-02-13：请用数字和短横线写日期（2月5日 → 2027-02-05）；现在是“2027年2月5日”，请写成 2027-02-05',
      '应为日期，例如 2027-02-05，或日期范围，例如 2027-02-05..2027-02-13：里面有全角字符（中文输入法），请切换到英文输入法重新输入；现在是“2027-05-01～2027-05-05”，请写成 2027-05-01..2027-05-05',
      'national-day（国庆节）的放假日期不连续：缺少 2027-10-04（星期一）。请列出每一个放假日，例如 off: 2027-10-01..2027-10-07（紧挨着假期的周末会自动并入）',
    ]);
  });

  it('an advisory: no front matter, a control character, an expired date', () => {
    const none = both(() => parseAdvisory('# 标题\n', 'a.md').problems);
    expect(at(none['zh-CN'])).toEqual(at(none.en));
    expect(none['zh-CN'][0].message).toMatch(/^缺少开头设置：/);
    const ctl = both(() => parseAdvisory('---\ntitle: "防范\\t盗窃"\nsummary: 关好门窗。\nexpires: 2014-10-08\n---\n正文。\n', 'a.md', { now: new Date('2015-01-01T00:00:00Z') }).problems);
    expect(at(ctl['zh-CN'])).toEqual(at(ctl.en));
    expect(ctl['zh-CN'].map((p) => p.message)).toEqual([
      '“title”里有控制字符 U+0009 制表符（第 3 个字符），终端、邮件标题和各渠道的接口可能会把它当作指令：请删掉它（多半是和文字一起粘贴进来的）；单行字段里也不能有制表符或换行',
      '这篇提示已于 2014-10-08 过期：新的发布不会包含它。要发布它，请删除或修改“expires”',
    ]);
  });
});

describe('the catalogue of check\'s messages', () => {
  /** Arguments for the entries that need more than a few strings to say something. */
  const SAMPLES: Record<string, unknown[]> = {
    markdownLimit: ['tableColumns', 200, 12],
    kindName: ['fifo'],
    charName: [0x09],
    frequency: ['apart', 1_800],
    valueOther: ['number', '5'],
    interval: [3_600],
    pairTooClose: ['bulletin', 'reminder', 'weibo', 1_800, '2014-09-29 08:00', '2014-09-29 08:30', 3_600, 'channels/weibo.yaml'],
    cronTooFrequent: ['* * * * *', 'weibo', 1_440, 'every minute', 3_600, 'channels/weibo.yaml'],
    wrongSettingType: ['max_chars', 'number', '140', '"140"'],
    malformed: ['rangeSign', '2027-02-05~2027-02-13'],
    workOnWeekday: ['2027-02-10', 3],
    gap: ['national-day', 'national', [['2027-10-04', 1]]],
    farFromFestival: ['spring-festival', 'spring', 2027, ['2027-02-05', '2027-02-11'], ['2027-03-01', '2027-03-07']],
    notText: ['5', true],
  };
  const tables = { yamlMessages, contentMessages, scheduleMessages, channelMessages, checkMessages, calendarFileMessages };

  for (const [name, table] of Object.entries(tables)) {
    it(`${name}: every Chinese entry has Chinese characters and differs from its English`, () => {
      const [en, zh] = [table('en') as Record<string, unknown>, table('zh-CN') as Record<string, unknown>];
      expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
      const wrong: string[] = [];
      for (const key of Object.keys(en)) {
        const say = (entry: unknown): string => {
          if (typeof entry === 'string') return entry;
          const fn = entry as (...args: unknown[]) => string;
          return fn(...(SAMPLES[key] ?? Array.from({ length: fn.length }, (_, i) => `x${i}`)));
        };
        const [e, z] = [say(en[key]), say(zh[key])];
        if (!HAN.test(z) || z === e) wrong.push(`${key}: ${z}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
