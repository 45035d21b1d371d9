import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelRenderer } from '../../src/channels/template-helpers.js';
import { createRenderer } from '../../src/render/create.js';
import { TemplateError } from '../../src/errors.js';
import { advisoryUrl, campaignUrl } from '../../src/render/urls.js';
import { chineseDate, safeJson } from '../../src/render/helpers.js';
import { plainText } from '../../src/render/plain.js';
import { RENDITIONS } from '../../src/channels/renditions.js';
import { CHANNEL_NAMES } from '../../src/content/schema.js';
import { contextFor, renditionEnv, scratchProject } from './setup.js';
import { readCampaign, ROOT } from './load-fixture.js';

function project(files: Record<string, string>): string {
  const root = scratchProject();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

describe('markdown', () => {
  const r = createRenderer(ROOT);

  it('renders GFM to sanitised HTML and a readable text rendition', () => {
    const md = r.markdown('## 案件特点\n\n第一段 [官网](https://example.gov.cn/a) 与 **重点**。\n\n- 甲\n  - 乙\n- 丙\n\n1. 一\n2. 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(md.html).toContain('<h2>案件特点</h2>');
    expect(md.html).toContain('<a href="https://example.gov.cn/a">官网</a>');
    expect(md.html).toContain('<table>');
    expect(md.text).toBe(
      ['【案件特点】', '第一段 官网 (https://example.gov.cn/a) 与 重点。', '- 甲\n   - 乙\n- 丙', '1. 一\n2. 二', 'a | b\n1 | 2'].join('\n\n'),
    );
  });

  it('drops raw HTML, script, event handlers and javascript:/data: URLs', () => {
    const md = r.markdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) ![c](data:image/png;base64,AA) [d](tel:110) [e](mailto:a@b.cn)\n\n<iframe src="https://evil"></iframe><svg onload=alert(1)></svg>\n',
    );
    expect(md.html).not.toMatch(/<script|onerror|onload|javascript:|data:|<iframe|<svg/i);
    expect(md.html).toContain('href="tel:110"');
    expect(md.html).toContain('href="mailto:a@b.cn"');
    expect(md.text).not.toMatch(/javascript:|data:|alert/);
  });

  it('parses a source once, however many channels render it', () => {
    const source = '## 防范建议\n\n- 关好门窗。\n';
    const md = r.markdown(source);
    expect(r.markdown(source, 'other.md')).toBe(md);
    expect(r.markdown(`${source}\n- 锁好车。\n`)).not.toBe(md);
  });

  it('the shared tree is not changed by any channel rendering or checking it', () => {
    const env = renditionEnv();
    const shipped = readCampaign(ROOT, '2014-national-day');
    const body = '## 案件特点\n\n见[公告](https://www.gov.cn/a)与[文章](https://mp.weixin.qq.com/s/abc)[^1]。\n\n- 甲\n  - 乙\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## 防范建议\n\n关好门窗。\n\n[^1]: 注\n';
    const campaign = { ...shipped, advisories: [...shipped.advisories, { ...shipped.advisories[0], id: 'links', body }] };
    const trees = campaign.advisories.map((a) => env.renderer.markdown(a.body, a.file).hast);
    const before = structuredClone(trees);
    for (const channel of CHANNEL_NAMES) {
      const ctx = contextFor(env, channel, campaign);
      for (const payload of RENDITIONS[channel].render(ctx)) RENDITIONS[channel].check(payload, ctx);
    }
    expect(campaign.advisories.map((a) => env.renderer.markdown(a.body, a.file).hast)).toEqual(before);
  });

  it('drops id and name attributes (no clobbering)', () => {
    const md = r.markdown('a[^1]\n\n[^1]: note\n');
    expect(md.html).not.toMatch(/\sid=|\sname=/);
  });
});

describe('templates', () => {
  it('renders with helpers registered once', () => {
    const root = project({ 'templates/t/a.hbs': '{{cnDate when}} {{advisoryUrl advisory}} {{campaignUrl}} {{#if (eq a 1)}}one{{/if}} {{json obj}} {{weiboLength "中文ab"}}' });
    // The core's helpers plus the channels' ({{weiboLength}} is Weibo's, registered by the channels, not by render/).
    const out = channelRenderer(root).template('t', 'a', {
      when: '2014-09-29T09:00+08:00', advisory: { id: 'burglary' }, campaign: { id: '2014-national-day' }, site: { baseUrl: 'https://x.cn/adv' }, a: 1, obj: { s: '</script>' },
    });
    expect(out).toBe('2014年9月29日 https://x.cn/adv/2014-national-day/burglary/ https://x.cn/adv/2014-national-day/ one {"s":"\\u003c/script\\u003e"} 3');
  });

  it('a missing field throws TemplateError naming the file and line', () => {
    const root = project({ 'templates/t/a.hbs': 'line one\n\n<p>{{advisory.missing}}</p>\n' });
    const r = createRenderer(root);
    let err: unknown;
    try {
      r.template('t', 'a', { advisory: { title: 'x' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as TemplateError).file).toBe('templates/t/a.hbs');
    expect((err as TemplateError).line).toBe(3);
    expect((err as TemplateError).message).toContain('"missing"');
    expect((err as TemplateError).message).toContain('templates/t/a.hbs:3');
  });

  it('a missing field in a partial names the partial file', () => {
    const root = project({ 'templates/t/a.hbs': 'x\n{{> t/p}}', 'templates/t/partials/p.hbs': '\n\n{{nope}}' });
    expect(() => createRenderer(root).template('t', 'a', {})).toThrow(
      expect.objectContaining({ file: 'templates/t/partials/p.hbs', line: 3 }),
    );
  });

  it('a malformed template fails at start-up with file and line', () => {
    const root = project({ 'templates/t/bad.hbs': 'ok\n{{#if x}}\nnever closed\n' });
    expect(() => createRenderer(root)).toThrow(TemplateError);
    try {
      createRenderer(root);
    } catch (e) {
      expect((e as TemplateError).file).toBe('templates/t/bad.hbs');
      expect((e as TemplateError).line).toBeGreaterThanOrEqual(1);
    }
  });

  it('an unknown template names the file it expected', () => {
    expect(() => createRenderer(ROOT).template('wechat', 'nope', {})).toThrow(/templates\/wechat\/nope\.hbs/);
  });

  it('txt templates are not HTML-escaped; html ones are', () => {
    const root = project({ 'templates/t/m.txt.hbs': '{{s}}', 'templates/t/m.hbs': '{{s}}' });
    const r = createRenderer(root);
    expect(r.template('t', 'm.txt', { s: 'a & b' })).toBe('a & b');
    expect(r.template('t', 'm', { s: '<b>' })).toBe('&lt;b&gt;');
  });

  it('templatesHash covers every file under templates/', () => {
    const root = project({});
    const before = createRenderer(root).templatesHash;
    writeFileSync(join(root, 'templates/wechat/style.css'), '.x{}');
    expect(createRenderer(root).templatesHash).not.toBe(before);
    expect(createRenderer(root).templatesHash).toBe(createRenderer(root).templatesHash);
  });

  it('the renderer is frozen', () => {
    const r = createRenderer(ROOT);
    expect(Object.isFrozen(r)).toBe(true);
  });
});

describe('urls and helpers', () => {
  it('keeps the website URL shapes', () => {
    const site = { baseUrl: 'https://police.example.cn/advisories/' };
    expect(campaignUrl(site, { id: 'national-day' })).toBe('https://police.example.cn/advisories/national-day/');
    expect(advisoryUrl(site, { id: 'national-day' }, { id: 'robbery' })).toBe('https://police.example.cn/advisories/national-day/robbery/');
  });
  it('formats Chinese dates', () => {
    expect(chineseDate('2014-09-29T09:00:00+08:00')).toBe('2014年9月29日');
    expect(chineseDate(new Date('2014-09-30T17:00:00Z'))).toBe('2014年10月1日');
  });
  it('json cannot close a script element', () => {
    expect(safeJson({ a: '</script><!--' })).not.toMatch(/[<>]/);
  });
  it('plain text drops markup and the gaps YAML folding leaves between Chinese sentences', () => {
    expect(plainText('<script>alert(1)</script>标题')).toBe('alert(1)标题');
    expect(plainText('<scr<script>ipt>x')).not.toMatch(/</);
    expect(plainText('第一句。 第二句')).toBe('第一句。第二句');
  });
});
