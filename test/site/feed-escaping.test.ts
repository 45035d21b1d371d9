/**
 * Regressions in the feeds: a summary holding the literal text "&lt;script&gt;" went into RSS <description>
 * and Atom <summary type="html"> unescaped, so a feed reader, reading them as HTML, saw "<script>" (a reader
 * that decodes once more, a real tag); a tag that was only markup (`<svg onload=…>`) was published as an empty
 * <category>; cap/index.atom had no xml:lang. Each is checked by parsing the XML, as a reader does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { feeds } from '../../src/channels/website/site/feeds.js';
import { loadChannelConfig, siteConfig } from '../../src/config/channels.js';
import type { DatedEntry } from '../../src/channels/website/site/order.js';
import { campaignById, fixtureProject, publish, renderWebsite, ROOT, tempVar } from './helpers.js';

const LITERAL = '写作 &lt;script&gt; 的文字 & “引号”';
// The parser leaves character references as written; `decode` undoes them once: for an XML text element that
// is the text; for HTML carried in CDATA (RSS description, Atom type="html") it is what a reader shows.
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: false });
const decode = (s: string) => s.replace(/&#(\d+);|&(lt|gt|amp|quot|apos);/g, (_, n, name) =>
  n ? String.fromCodePoint(Number(n)) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name]);
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

let site = '';
const read = (p: string) => readFileSync(join(site, p), 'utf8');

beforeAll(async () => {
  const root = fixtureProject();
  const advisory = join(root, 'advisories/beta-2015/01-fire.md');
  writeFileSync(advisory, readFileSync(advisory, 'utf8')
    .replace(/^summary:.*$/m, `summary: "${LITERAL}"`)
    .replace(/^tags:.*$/m, 'tags: [消防, "<svg onload=alert(1)>"]'));
  const campaign = join(root, 'advisories/beta-2015/campaign.yaml');
  writeFileSync(campaign, readFileSync(campaign, 'utf8').replace(/^summary:.*$/m, `summary: "${LITERAL}"`));
  const varDir = tempVar();
  await publish(renderWebsite(campaignById(root, 'beta-2015'), root), varDir, '2015-02-16T01:00:00Z', 'beta/1', root);
  site = join(varDir, 'site');
});

describe('a summary holding the literal text "&lt;script&gt;" is escaped exactly once', () => {
  it('RSS <description>: the reader shows the characters the author wrote', () => {
    const item = asList(xml.parse(read('feed.xml')).rss.channel.item)[0];
    expect(decode(String(item.description))).toBe(LITERAL);
    expect(read('feed.xml')).not.toContain('&lt;script&gt;');
  });

  it('Atom <summary type="html">: the same', () => {
    const entry = asList(xml.parse(read('atom.xml')).feed.entry)[0];
    expect(entry.summary['@type']).toBe('html');
    expect(decode(String(entry.summary['#text']))).toBe(LITERAL);
  });

  it('JSON Feed: summary is plain text, as written', () => {
    expect(JSON.parse(read('feed.json')).items[0].summary).toBe(LITERAL);
  });

  it('CAP: <summary> of the index and <description> of the alert are text, escaped once', () => {
    const entry = asList(xml.parse(read('cap/index.atom')).feed.entry)[0];
    expect(decode(String(entry.summary))).toBe(`公共安全防范提示，不是官方预警信息。${LITERAL}`);
    expect(decode(String(xml.parse(read('beta-2015/cap.xml')).alert.info.description))).toContain(LITERAL);
  });
});

describe('a tag that was only markup', () => {
  it('is no <category> in RSS or Atom, and no tag in JSON Feed', () => {
    const item = asList(xml.parse(read('feed.xml')).rss.channel.item)[0];
    expect(asList(item.category)).toEqual(['消防']);
    const entry = asList(xml.parse(read('atom.xml')).feed.entry)[0];
    expect(asList(entry.category).map((c: Record<string, string>) => c['@label'])).toEqual(['消防']);
    expect(JSON.parse(read('feed.json')).items[0].tags).toEqual(['消防']);
  });

  it('feeds() drops an empty tag of a body published before tags were cleaned', () => {
    const s = siteConfig(loadChannelConfig(ROOT, 'website', {}));
    const advisory = { id: 'a', title: '标题', summary: '摘要', tags: ['消防', '', ' '], url: `${s.baseUrl}/c/a/`, path: 'c/a/' };
    const campaign = { id: 'c', title: 'T', summary: 'S', issuer: '章丘市公安局', contact: null, tags: [], holiday: null, year: null, date: null, url: `${s.baseUrl}/c/`, path: 'c/' };
    const entry = { entry: { id: 'c', hash: 'h', deliveryKey: null, publishedAt: '2015-02-16T01:00:00Z', campaign, advisories: [advisory] }, date: '2015-02-16', year: 2015, holidayName: '', period: null } as unknown as DatedEntry;
    const out = feeds(s, [entry], () => []);
    expect(out.rss.match(/<category>[^<]*<\/category>/g)).toEqual(['<category>消防</category>']);
    expect(out.atom.match(/<category [^>]*\/>/g)).toEqual(['<category label="消防"/>']);
  });
});

it('cap/index.atom says its language, as atom.xml does', () => {
  expect(xml.parse(read('cap/index.atom')).feed['@xml:lang']).toBe('zh-CN');
  expect(xml.parse(read('atom.xml')).feed['@xml:lang']).toBe('zh-CN');
});
