import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPreview } from '../../src/preview/build.js';
import { writePreview } from '../../src/preview/write.js';
import { createRenderer } from '../../src/render/create.js';
import { loadAllChannelConfigs } from '../../src/config/channels.js';
import * as wechat from '../../src/channels/wechat/rendition.js';
import { loadCampaigns, readCampaign, ROOT } from '../render/load-fixture.js';
import { contextFor, renditionEnv, scratchProject, writeCampaign } from '../render/setup.js';

const campaigns = await loadCampaigns();
const renderer = createRenderer(ROOT);
const configs = loadAllChannelConfigs(ROOT, {});

describe('buildPreview', () => {
  const { files, json } = buildPreview(ROOT, campaigns, renderer, configs, { lang: 'zh-CN' });

  it('has every channel for every campaign, payloads as delivery renders them', () => {
    expect(json.map((c) => c.campaign)).toEqual(['2014-national-day', 'national-day']);
    const [c] = json;
    expect(c.channels.wechat).toHaveLength(1);
    expect(c.channels.weibo).toHaveLength(4); // rotate: one per advisory
    expect(c.channels.email).toHaveLength(1);
    expect(c.channels.website).toHaveLength(1);
    expect(c.problems).toEqual([]);
    const direct = wechat.render(contextFor(renditionEnv(), 'wechat', campaigns[0]))[0];
    expect(c.channels.wechat[0].body).toEqual(direct.body);
    expect(c.channels.wechat[0]).toMatchObject({ schedule: 'bulletin' });
    expect(c.channels.wechat[0]).not.toHaveProperty('preview');
  });

  it('writes an index with phone frames, mail frames, the site and the problems', () => {
    const index = String(files.get('index.html'));
    expect(index).toContain('class="phone"');
    expect(index).toContain('2014-national-day/wechat-1-1.html');
    expect(index).toContain('2014-national-day/email-1.html');
    expect(index).toContain('2014-national-day/website-1.html');
    expect(index).toContain('【防范入室盗窃案件】');
    expect(index).toMatch(/sandbox/);
    // The mail frame shows what a subscriber sees (placeholders filled with a sample); the payload keeps them.
    const mail = String(files.get('2014-national-day/email-1.html'));
    expect(mail).toContain('市民朋友，您好');
    expect(mail).not.toContain('%%');
    expect(String(files.get('payloads.json'))).toContain('%%UNSUBSCRIBE_URL%%');
    expect(index).toContain('称呼与退订链接按订阅者填写');
    // Each frame says which channel it is; counts against every limit are shown.
    expect(index).toMatch(/微信 · 公众号文章 1\/4/);
    expect(index).toMatch(/<span class="count">标题 6\/32<\/span>/);
    expect(index).toMatch(/class="wb-count wb-ok">\d+\/140 字/);
    expect(index).toMatch(/badge-ok">无问题</);
    expect(files.get('2014-national-day/assets/advisories_2014-national-day_images_cover.png')).toBeInstanceOf(Buffer);
    expect(JSON.parse(String(files.get('payloads.json')))).toHaveLength(2);
  });

  it('shows limit problems visibly', () => {
    const root = scratchProject();
    writeCampaign(root, 'long', 'title: 测试\nissuer: 测试局\nsummary: 摘要。\nschedule:\n  - name: b\n    channels: [wechat]\n    at: 2014-09-29T09:00+08:00\n', {
      '01-a.md': `---\ntitle: ${'长'.repeat(40)}\nsummary: 摘要。\n---\n正文。\n`,
    });
    const out = buildPreview(root, [readCampaign(root, 'long')], createRenderer(root), loadAllChannelConfigs(root, {}), { lang: 'zh-CN' });
    expect(out.json[0].problems.map((p) => p.rule)).toContain('wechat-title-length');
    const index = String(out.files.get('index.html'));
    expect(index).toMatch(/class="problem problem-error"[^]*article 1 of 1 \(01-a\.md\): the title is 40 characters/);
    expect(index).toMatch(/<div class="problems has-errors" role="alert">\s*<h3><span class="mark" aria-hidden="true">✖<\/span> 1 个错误：发送前必须修改/);
    expect(index).toMatch(/<span class="sev">错误<\/span>/);
    expect(index).toMatch(/<span class="count over">标题 40\/32<\/span>/);
    expect(index).toMatch(/badge-error">1 个错误/);
  });

  it('warnings alone look like warnings: amber, "个警告" (as check says), nothing that says sending is blocked', () => {
    const root = scratchProject();
    writeCampaign(root, 'warn', 'title: 测试\nissuer: 测试局\nsummary: 摘要。\nschedule:\n  - name: b\n    channels: [wechat]\n    at: 2014-09-29T09:00+08:00\n', {
      '01-a.md': '---\ntitle: 防范\nsummary: 摘要。\n---\n正文。\n',
    });
    const out = buildPreview(root, [readCampaign(root, 'warn')], createRenderer(root), loadAllChannelConfigs(root, {}), { lang: 'zh-CN' });
    const problems = out.json[0].problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.severity === 'warning')).toBe(true);
    const index = String(out.files.get('index.html'));
    expect(index).toContain(`<div class="problems only-warnings">`);
    expect(index).toContain(`<h3><span class="mark" aria-hidden="true">⚠</span> ${problems.length} 个警告：请核对，不影响发送`);
    expect(index).toContain('<span class="sev">警告</span>');
    expect(index).not.toContain('发送前必须修改');
    expect(index).not.toContain('role="alert"');
  });

  it('lists content errors at the top, so a campaign that could not be previewed is not silently missing', () => {
    const problems = [{ file: 'advisories/broken/campaign.yaml', line: 5, column: 1, severity: 'error' as const, message: 'invalid YAML', rule: 'yaml-syntax' }];
    const out = buildPreview(ROOT, campaigns, renderer, configs, { contentProblems: problems, lang: 'zh-CN' });
    const index = String(out.files.get('index.html'));
    expect(index).toContain('未能预览');
    expect(index).toContain('advisories/broken/campaign.yaml:5:1: error invalid YAML [yaml-syntax]');
    expect(String(files.get('index.html'))).not.toContain('未能预览');
  });
});

describe('the preview page in one language (regression: Chinese and English side by side)', () => {
  const page = (lang: 'zh-CN' | 'en') => String(buildPreview(ROOT, campaigns, renderer, configs, { lang }).files.get('index.html'));

  it('Chinese: lang="zh-CN", no English label or sentence', () => {
    const zh = page('zh-CN');
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<h1>渠道预览</h1>');
    expect(zh).toContain('<th>专题</th><th>问题</th>');
    expect(zh).toContain('<h3 class="chan-title chan-email">电子邮件</h3>');
    for (const english of ['Channel preview', 'Byte for byte', '/ problems', '/ OK', '/ error', 'E-mail', 'Subject', 'Preheader', 'not scheduled', 'plain-text']) {
      expect(zh).not.toContain(english);
    }
  });

  it('English: lang="en", the labels in English', () => {
    const en = page('en');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<h1>Channel preview</h1>');
    expect(en).toContain("Byte for byte what delivery sends");
    expect(en).toContain('<th>Campaign</th><th>Problems</th><th>WeChat</th><th>Weibo</th><th>E-mail</th><th>Website</th>');
    expect(en).toContain('badge-ok">OK<');
    expect(en).toMatch(/<span class="count">title 6\/32<\/span>/);
    expect(en).toMatch(/class="wb-count wb-ok">\d+\/140 characters/);
    expect(en).toContain('<b>Subject: </b>');
    for (const chinese of ['渠道预览', '概览', '专题', '无问题', '排期', '封面', '主题', '预览文字', '纯文本部分', '未排期', '没有发现问题', '称呼与退订链接', '个错误', '个警告']) {
      expect(en).not.toContain(chinese);
    }
  });
});

describe('writePreview', () => {
  it('replaces an earlier preview but refuses a folder that is not one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-preview-'));
    writePreview(join(dir, 'p'), new Map([['index.html', 'a'], ['x/y.html', 'b']]));
    writePreview(join(dir, 'p'), new Map([['index.html', 'c']]));
    expect(readFileSync(join(dir, 'p/index.html'), 'utf8')).toBe('c');
    expect(existsSync(join(dir, 'p/x/y.html'))).toBe(false);
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine/notes.txt'), 'keep');
    expect(() => writePreview(join(dir, 'mine'), new Map())).toThrow(/not empty/);
    expect(readFileSync(join(dir, 'mine/notes.txt'), 'utf8')).toBe('keep');
  });
});

describe.runIf(existsSync(join(ROOT, 'dist/cli/main.js')))('advisory preview', () => {
  const cli = (args: string[]) => {
    try {
      return { status: 0, stdout: execFileSync('node', [join(ROOT, 'dist/cli/main.js'), 'preview', ...args], { encoding: 'utf8', stdio: 'pipe' }), stderr: '' };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return err;
    }
  };

  it('--json prints one object for one campaign, exactly the payloads', () => {
    const r = cli(['2014-national-day', '--json', '--root', ROOT]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.campaign).toBe('2014-national-day');
    expect(Object.keys(out.channels).sort()).toEqual(['email', 'website', 'wechat', 'weibo']);
    expect(out.problems).toEqual([]);
  });

  it('writes the files to --out', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'advisory-preview-')), 'out');
    const r = cli(['--out', dir, '--root', ROOT]);
    expect(r.status).toBe(0);
    // In the process's language (English here: vitest.config.ts), or the one --lang names.
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<h1>Channel preview</h1>');
    expect(cli(['--out', dir, '--root', ROOT, '--lang', 'zh']).status).toBe(0);
    const zh = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<h1>渠道预览</h1>');
  });

  it('an unknown campaign is a usage error (exit 2) with a did-you-mean', () => {
    const r = cli(['2014-national-dya', '--root', ROOT]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Did you mean "2014-national-day"?');
  });

  it('outside a project folder: says so, exit 2 (usage, as every command that needs a project), writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-preview-'));
    const r = cli(['--root', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no advisories/ folder');
    expect(existsSync(join(dir, 'var'))).toBe(false);
  });

  it('--out into a folder that is not empty and not a preview: exit 3, nothing deleted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-preview-'));
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const r = cli(['--out', dir, '--root', ROOT]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/not empty/);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('a campaign with content errors: exit 1, the error on stderr and at the top of the page; the others still previewed', () => {
    const root = scratchProject();
    writeCampaign(root, 'good', 'title: 好\nissuer: 测试局\nsummary: 摘要。\nschedule:\n  - name: b\n    channels: [wechat]\n    at: 2014-09-29T09:00+08:00\n', {
      '01-a.md': '---\ntitle: 标题\nsummary: 摘要。\n---\n正文。\n',
    });
    writeCampaign(root, 'broken', 'title: [unclosed\nissuer: 测试局\n', { '01-a.md': '---\ntitle: 标题\nsummary: 摘要。\n---\n正文。\n' });
    const r = cli(['--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('advisories/broken/campaign.yaml:');
    const index = readFileSync(join(root, 'var/preview/index.html'), 'utf8');
    expect(index).toContain('Content errors: not previewed, and will not be sent');
    expect(index).toContain('advisories/broken/campaign.yaml:');
    expect(index).toContain('id="c-good"');
  });
});
