import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element } from 'hast';
import * as wechat from '../../../src/channels/wechat/rendition.js';
import type { WechatArticle } from '../../../src/channels/wechat/rendition.js';
import { ALLOWED_TAGS, wechatHtml } from '../../../src/channels/wechat/inline-styles.js';
import { footnoteLinks } from '../../../src/channels/wechat/footnotes.js';
import { loadCampaigns, readCampaign, ROOT } from '../../render/load-fixture.js';
import { contextFor, expectFixture, renditionEnv, scratchProject, writeCampaign } from '../../render/setup.js';

const env = renditionEnv();
const campaigns = await loadCampaigns();
const c2014 = campaigns[0];

function articles(payload: ReturnType<typeof wechat.render>[number]): WechatArticle[] {
  return payload.body.articles as WechatArticle[];
}

function assertWechatSafe(html: string): void {
  expect(html).not.toMatch(/<style|<script|<link|\sclass=|\sid=/i);
  visit(fromHtml(html, { fragment: true }), 'element', (el: Element) => {
    if (el.tagName === 'a') expect(String(el.properties.href)).toMatch(/^https?:\/\/mp\.weixin\.qq\.com\//);
    else expect(ALLOWED_TAGS.has(el.tagName), `<${el.tagName}> is not allowed`).toBe(true);
  });
}

describe('wechat rendition', () => {
  it('renders one draft with one article per advisory, matching the fixture', () => {
    const ctx = contextFor(env, 'wechat', c2014);
    const payloads = wechat.render(ctx);
    expect(payloads).toHaveLength(1);
    const [draft] = payloads;
    expect(draft.kind).toBe('draft');
    expect(articles(draft)).toHaveLength(4);
    const first = articles(draft)[0];
    expect(first).toMatchObject({
      article_type: 'news', title: '防范入室盗窃案件', author: '章丘公安', thumb_media_id: 'asset:cover',
      content_source_url: `${env.site.baseUrl}/2014-national-day/burglary/`, need_open_comment: 0, only_fans_can_comment: 0,
    });
    expect(first.digest).toBe(c2014.advisories[0].summary);
    expect(first.content).toContain('防范建议');
    expect(draft.assets).toEqual([expect.objectContaining({ path: 'advisories/2014-national-day/images/cover.png', role: 'cover' })]);
    expect(wechat.check(draft, ctx)).toEqual([]);
    expectFixture('wechat/expected.json', `${JSON.stringify(draft.body, null, 2)}\n`);
    expectFixture('wechat/expected-article-1.html', first.content);
  });

  it('article HTML has only inline styles and allowed tags', () => {
    for (const a of articles(wechat.render(contextFor(env, 'wechat', c2014))[0])) {
      assertWechatSafe(a.content);
      expect(a.content).toMatch(/style="[^"]*font-size: 17px/);
    }
  });

  it('turns external links into numbered notes with a 参考链接 list, keeps mp.weixin.qq.com links', () => {
    const md = env.renderer.markdown('见[公告](https://www.gov.cn/a)、[再看](https://www.gov.cn/a)和[文章](https://mp.weixin.qq.com/s/abc)及[邮件](mailto:a@b.cn)。');
    const { hast, notes } = footnoteLinks(md.hast);
    expect(notes).toEqual([
      { n: 1, text: '公告', url: 'https://www.gov.cn/a' },
      { n: 2, text: '邮件', url: 'a@b.cn' },
    ]);
    const c = readCampaign(ROOT, '2014-national-day');
    const adv = { ...c.advisories[0], body: '见[公告](https://www.gov.cn/a)和[文章](https://mp.weixin.qq.com/s/abc)。' };
    const html = articles(wechat.render(contextFor(env, 'wechat', c, [adv]))[0])[0].content;
    assertWechatSafe(html);
    expect(html).toMatch(/公告<span[^>]*>\[1\]<\/span>/);
    expect(html).toContain('参考链接');
    expect(html).toContain('https://www.gov.cn/a');
    expect(html).toMatch(/<a href="https:\/\/mp\.weixin\.qq\.com\/s\/abc"[^>]*>文章<\/a>/);
    expect(hast.children.length).toBeGreaterThan(0);
  });

  it('moves nested lists out of <li>', () => {
    const html = wechatHtml('<ul class="x"><li>甲<ul><li>乙</li></ul></li><li>丙</li></ul>', '.x{color:red}');
    expect(html).toBe('<ul style="color: red;"><li>甲</li><ul><li>乙</li></ul><li>丙</li></ul>');
  });

  it('unwraps disallowed tags, drops style/script/link, renames headings', () => {
    const html = wechatHtml('<style>p{color:red}</style><link rel="stylesheet" href="x"><h1 id="t">T</h1><div><table><tr><td>cell</td></tr></table></div><p class="a">x<script>bad()</script><code>c</code></p><h4>h</h4>', '');
    expect(html).toBe('<h2>T</h2><section><p>cell</p></section><p>x<span>c</span></p><h3>h</h3>');
  });

  it('keeps tables, code blocks, rules, task lists and GFM footnotes readable with only allowed tags', () => {
    const c = readCampaign(ROOT, '2014-national-day');
    const body = [
      '## 案件特点', '', '| 时间 | 地点 |', '|---|---|', '| 白天 | 超市 |', '| 夜间 | 小区 |', '',
      '```', '第一行', '第二行', '```', '', '---', '', '- [ ] 关好门窗', '- [x] 检查水电', '',
      '删除~~旧说法~~，见说明[^1]，详见 <https://www.gov.cn/a>。', '', '[^1]: 说明内容。', '',
      '## 防范建议', '', '- 建议',
    ].join('\n');
    const html = articles(wechat.render(contextFor(env, 'wechat', c, [{ ...c.advisories[0], body }]))[0])[0].content;
    assertWechatSafe(html);
    const text = html.replace(/<[^>]+>/g, '');
    expect(html).toMatch(/<p[^>]*><strong[^>]*>时间<\/strong> ｜ <strong[^>]*>地点<\/strong><\/p><p[^>]*>白天 ｜ 超市<\/p>/);
    expect(html).toMatch(/第一行<br>第二行/);
    expect(text).toContain('☐ 关好门窗');
    expect(text).toContain('☑ 检查水电');
    expect(html).toMatch(/<span style="[^"]*line-through[^"]*">旧说法<\/span>/);
    expect(html).toMatch(/<span style="[^"]*vertical-align: super[^"]*">1<\/span>/);
    expect(text).toContain('注释');
    expect(text).not.toMatch(/Footnotes|Back to|↩/);
    // An autolink's note shows the address once.
    expect(html).toMatch(/\[1\]<\/span> <em[^>]*>https:\/\/www\.gov\.cn\/a<\/em>/);
    // The footnotes are not part of the advice box.
    const adviceEnd = html.indexOf('</section>', html.indexOf('防范建议'));
    expect(html.indexOf('注释')).toBeGreaterThan(adviceEnd);
  });

  it('check: an over-long title names the field, the count, the limit, the file and line', () => {
    const adv = { ...c2014.advisories[0], title: '节'.repeat(35) };
    const ctx = contextFor(env, 'wechat', c2014, [adv]);
    const problems = wechat.check(wechat.render(ctx)[0], ctx);
    expect(problems).toEqual([
      expect.objectContaining({
        channel: 'wechat', severity: 'error', rule: 'wechat-title-length', field: 'articles[0].title',
        message: "article 1 of 1 (01-burglary.md): the title is 35 characters; WeChat allows at most 32. Shorten the advisory's title.",
        file: 'advisories/2014-national-day/01-burglary.md', line: 2,
      }),
    ]);
  });

  it('check: content of 20,000 characters or more (counted on the styled HTML WeChat receives) is an error', () => {
    const body = Array.from({ length: 400 }, () => `${'节日期间注意防范。'.repeat(5)}`).join('\n\n');
    const ctx = contextFor(env, 'wechat', c2014, [{ ...c2014.advisories[0], body }]);
    const [payload] = wechat.render(ctx);
    const content = articles(payload)[0].content;
    expect([...content].length).toBeGreaterThanOrEqual(20000);
    const problem = wechat.check(payload, ctx).find((p) => p.rule === 'wechat-content-length');
    expect(problem?.message).toMatch(/article 1 of \d+ \(.*\): the text is \d+ characters; WeChat allows fewer than 20000/);
    expect(problem?.file).toBe(c2014.advisories[0].file);
    const short = contextFor(env, 'wechat', c2014, [c2014.advisories[0]]);
    expect(wechat.check(wechat.render(short)[0], short).map((p) => p.rule)).not.toContain('wechat-content-length');
  });

  it('check: author, digest and article count limits', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ ...c2014.advisories[i % 4], id: `a${i}` }));
    const ctx = contextFor(env, 'wechat', { ...c2014, author: '章丘市公安局新闻宣传科网络发言人办公室' }, many.map((a, i) => (i === 0 ? { ...a, summary: '长'.repeat(129) } : a)));
    const rules = wechat.check(wechat.render(ctx)[0], ctx).map((p) => `${p.rule}:${p.field}`);
    expect(rules).toContain('wechat-article-count:articles');
    expect(rules).toContain('wechat-digest-length:articles[0].digest');
    expect(rules).toContain('wechat-author-length:articles[0].author');
  });

  it('author precedence: channel config < campaign < advisory', () => {
    const base = { ...c2014, author: undefined };
    const one = (campaign: typeof c2014, author?: string) =>
      articles(wechat.render(contextFor(env, 'wechat', campaign, [{ ...c2014.advisories[0], author }]))[0])[0].author;
    expect(one(base)).toBe('章丘公安'); // channels/wechat.yaml
    expect(one({ ...c2014, author: '活动作者' })).toBe('活动作者');
    expect(one({ ...c2014, author: '活动作者' }, '文章作者')).toBe('文章作者');
  });

  it('uses the default cover, with a warning, when the campaign has none', () => {
    const root = scratchProject();
    writeCampaign(root, 'nocover', 'title: 测试\nissuer: 测试局\nsummary: 摘要。\n', { '01-a.md': '---\ntitle: 标题\nsummary: 摘要。\n---\n正文。\n' });
    const c = readCampaign(root, 'nocover');
    const ctx = contextFor(env, 'wechat', c);
    const [draft] = wechat.render(ctx);
    expect(draft.assets).toEqual([expect.objectContaining({ path: 'templates/wechat/default-cover.png', role: 'cover' })]);
    expect(wechat.check(draft, ctx)).toEqual([expect.objectContaining({ rule: 'wechat-default-cover', severity: 'warning' })]);
  });
});

describe('wechat inline images', () => {
  it('warns that an image not uploaded to WeChat will be removed', () => {
    const adv = { ...c2014.advisories[0], body: '![现场](https://example.gov.cn/a.jpg)\n' };
    const ctx = contextFor(env, 'wechat', c2014, [adv]);
    const problems = wechat.check(wechat.render(ctx)[0], ctx);
    expect(problems).toEqual([expect.objectContaining({ rule: 'wechat-inline-image', severity: 'warning', field: 'articles[0].content' })]);
  });
});
