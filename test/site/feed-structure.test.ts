/**
 * Feed entries carry the advisory's text as the page shows it (issue 14: a list became `<p>` lines and a table
 * `<p>骗术\t典型说法</p>`): lists, tables, emphasis, headings and links survive in RSS, Atom and JSON Feed, with
 * absolute addresses, and nothing a hostile text writes (script, event handlers, javascript: links, styles) does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';
import { campaignById, fixtureProject, publish, renderWebsite, ROOT, tempVar } from './helpers.js';

const BASE = 'http://127.0.0.1:4321';
const ADVISORY = `---
title: 防范电信诈骗
summary: 陌生来电谈钱款，先挂电话再核实。
tags: [诈骗]
---
节日期间诈骗高发，**请务必**提高警惕（*尤其是老人*）。详见[上一条提示](../../alpha-2014/burglary/)和[公安部网站](https://www.mps.gov.cn/)。

![骗子常用的短信](images/sms.png)

## 案件特点

| 骗术 | 典型说法 |
| --- | --- |
| 冒充客服 | “您的快递丢了，我们双倍赔偿” |
| 冒充公检法 | “你涉嫌洗钱，需要配合调查” |

### 小标题

谨防]]>两次]]>出现。

<script>alert("feed")</script>

<img src="x" onerror="alert(7)">

<div style="color:red" onclick="alert(8)">红字</div>

点[这里](javascript:alert(9))领奖。

## 防范建议

1. 先挂电话；
2. 再拨打 110 核实：
   - 不转账；
   - 不透露验证码。
`;

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', cdataPropName: '#cdata' });
let site = '';
const read = (p: string) => readFileSync(join(site, p), 'utf8');
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The one entry's HTML of each feed, as a feed reader gets it. */
function contents(): Record<'rss' | 'atom' | 'json', string> {
  const rssItem = asList(xml.parse(read('feed.xml')).rss.channel.item).find((i: { link: string }) => i.link.endsWith('/fraud/'));
  const atomEntry = asList(xml.parse(read('atom.xml')).feed.entry).find((e: { id: string }) => e.id.endsWith('/fraud/'));
  const jsonItem = JSON.parse(read('feed.json')).items.find((i: { id: string }) => i.id.endsWith('/fraud/'));
  const text = (v: string | Record<string, string>) => (typeof v === 'string' ? v : (v['#cdata'] ?? v['#text']));
  return { rss: text(rssItem['content:encoded']), atom: text(atomEntry.content), json: jsonItem.content_html };
}

function elements(html: string): Element[] {
  const out: Element[] = [];
  visit(fromHtml(html, { fragment: true }) as Root, 'element', (e: Element) => void out.push(e));
  return out;
}

beforeAll(async () => {
  const root = fixtureProject();
  const dir = join(root, 'advisories/struct-2016');
  mkdirSync(join(dir, 'images'), { recursive: true });
  copyFileSync(join(ROOT, 'advisories/2014-national-day/images/cover.png'), join(dir, 'images/sms.png'));
  writeFileSync(join(dir, 'campaign.yaml'), 'title: 2016年春节安全防范提示\nissuer: 章丘市公安局\nholiday: spring-festival\nyear: 2016\nsummary: 春节将至，谨防诈骗。\nschedule:\n  - name: bulletin\n    channels: [website]\n    at: 2016-02-05T09:00+08:00\n');
  writeFileSync(join(dir, '01-fraud.md'), ADVISORY);
  const varDir = tempVar();
  await publish(renderWebsite(campaignById(root, 'struct-2016'), root), varDir, '2016-02-05T01:00:00Z', 'struct/1', root);
  site = join(varDir, 'site');
});

describe('feed entries keep the text’s structure', () => {
  for (const feed of ['rss', 'atom', 'json'] as const) {
    it(`${feed}: lists, a table, emphasis, headings and links survive, addresses absolute`, () => {
      const html = contents()[feed];
      const tags = elements(html).map((e) => e.tagName);
      for (const tag of ['h2', 'h3', 'p', 'strong', 'em', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ol', 'ul', 'li', 'a', 'img']) expect(tags, tag).toContain(tag);
      expect(html).toContain('<th>骗术</th>');
      expect(html).toContain('<td>冒充公检法</td>');
      expect(html).not.toContain('骗术\t典型说法'); // the old flattened row
      expect(html).toMatch(/<ol>\s*<li>先挂电话；<\/li>\s*<li>再拨打 110 核实：\s*<ul>/);
      expect(html).toContain('<h2>案件特点</h2>');
      expect(html).toContain('<h2>防范建议</h2>');
      expect(html).toContain('节日期间诈骗高发'); // the text before the first heading is not lost
      const links = elements(html).flatMap((e) => (e.tagName === 'a' && e.properties.href ? [String(e.properties.href)] : []));
      expect(links).toEqual([`${BASE}/alpha-2014/burglary/`, 'https://www.mps.gov.cn/']);
      const pictures = elements(html).filter((e) => e.tagName === 'img').map((e) => String(e.properties.src));
      expect(pictures).toEqual([`${BASE}/struct-2016/images/sms.png`]);
      expect(readFileSync(join(site, 'struct-2016/images/sms.png')).length).toBeGreaterThan(0); // the picture is served there
    });

    it(`${feed}: nothing hostile reaches it`, () => {
      const html = contents()[feed];
      for (const e of elements(html)) {
        expect(['script', 'iframe', 'style', 'object', 'embed', 'svg'], e.tagName).not.toContain(e.tagName);
        for (const [name, value] of Object.entries(e.properties)) {
          expect(name, `${e.tagName} ${name}`).not.toMatch(/^on/i);
          expect(name, `${e.tagName} ${name}`).not.toBe('style');
          expect(String(value), `${e.tagName} ${name}`).not.toMatch(/^\s*javascript:/i);
        }
      }
      expect(html).not.toMatch(/alert\(\d\)|alert\("feed"\)/);
      expect(html).toContain('点<a>这里</a>领奖'); // the words of the javascript: link survive, its address does not
      expect(html).toContain('谨防]]&gt;两次]]&gt;出现'); // the RSS CDATA section is not ended early
    });
  }

  it('the RSS file is well-formed with the text inside (]]> twice in it)', () => {
    const doc = xml.parse(read('feed.xml'));
    expect(asList(doc.rss.channel.item)).toHaveLength(1);
    expect(read('feed.xml')).not.toMatch(/]]>两次/);
  });
});
