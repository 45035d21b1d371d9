import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { Ajv } from 'ajv';
import { campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
let site = '';
const read = (p: string) => readFileSync(join(site, p), 'utf8');
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

beforeAll(async () => {
  const root = fixtureProject();
  const varDir = tempVar();
  await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
  await publish(renderWebsite(campaignById(root, 'beta-2015'), root), varDir, '2015-02-16T01:00:00Z', 'beta/1', root);
  site = join(varDir, 'site');
});

describe('feeds', () => {
  it('RSS 2.0 has the channel and one item per advisory, newest first', () => {
    const doc = xml.parse(read('feed.xml'));
    expect(doc.rss['@version']).toBe('2.0');
    const ch = doc.rss.channel;
    expect(ch.title).toBe('章丘公安 · 节日安全防范提示');
    expect(ch.language).toBe('zh-CN');
    const items = asList(ch.item);
    expect(items.map((i: { link: string }) => i.link)).toEqual([
      'http://127.0.0.1:4321/beta-2015/fire/',
      'http://127.0.0.1:4321/alpha-2014/burglary/',
      'http://127.0.0.1:4321/alpha-2014/robbery/',
    ]);
    for (const i of items) {
      expect(i.title).toBeTruthy();
      expect(i.guid['#text'] ?? i.guid).toBe(i.link);
      expect(new Date(i.pubDate).getTime()).not.toBeNaN();
      expect(i.description).toBeTruthy();
    }
  });

  it('Atom has id, title, updated and entries with links', () => {
    const feed = xml.parse(read('atom.xml')).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBeTruthy();
    expect(new Date(feed.updated).toISOString()).toBe('2015-02-16T01:00:00.000Z');
    const entries = asList(feed.entry);
    expect(entries).toHaveLength(3);
    for (const e of entries) {
      expect(e.id).toMatch(/^http:\/\/127\.0\.0\.1:4321\//);
      expect(e.updated).toBeTruthy();
      expect(asList(e.link)[0]['@href']).toBe(e.id);
    }
  });

  it('JSON Feed 1 validates against its required fields', () => {
    const schema = {
      type: 'object',
      required: ['version', 'title', 'items'],
      properties: {
        version: { const: 'https://jsonfeed.org/version/1' },
        title: { type: 'string', minLength: 1 },
        home_page_url: { type: 'string' },
        feed_url: { type: 'string' },
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['id'],
            anyOf: [{ required: ['content_html'] }, { required: ['content_text'] }],
            properties: { id: { type: 'string', minLength: 1 }, url: { type: 'string' }, date_published: { type: 'string', format: 'date-time' } },
          },
        },
      },
    };
    const ajv = new Ajv({ allErrors: true });
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    const feed = JSON.parse(read('feed.json'));
    expect(ajv.validate(schema, feed), JSON.stringify(ajv.errors)).toBe(true);
    expect(feed.items).toHaveLength(3);
  });

  it('sitemap lists every public page', () => {
    const urls = asList(xml.parse(read('sitemap.xml')).urlset.url).map((u: { loc: string }) => u.loc);
    expect(urls).toContain('http://127.0.0.1:4321/');
    expect(urls).toContain('http://127.0.0.1:4321/alpha-2014/');
    expect(urls).toContain('http://127.0.0.1:4321/beta-2015/fire/');
    expect(urls).toContain(`http://127.0.0.1:4321/tags/${encodeURIComponent('防火')}/`);
  });
});

describe('CAP 1.2', () => {
  it('has every required element with the right values', () => {
    const alert = xml.parse(read('alpha-2014/cap.xml')).alert;
    expect(alert['@xmlns']).toBe('urn:oasis:names:tc:emergency:cap:1.2');
    expect(alert.identifier).toMatch(/^127\.0\.0\.1\.alpha-2014\.\d{14}$/);
    expect(alert.sender).toBe('127.0.0.1');
    expect(alert.sent).toBe('2014-09-29T09:00:00+08:00');
    expect(alert.status).toBe('Actual');
    expect(alert.msgType).toBe('Alert');
    expect(alert.scope).toBe('Public');
    expect(alert.note).toContain('不是官方预警');
    const info = alert.info;
    expect(info).toMatchObject({
      language: 'zh-CN',
      category: 'Security',
      urgency: 'Future',
      severity: 'Minor',
      certainty: 'Likely',
      senderName: '章丘市公安局',
      headline: '2014年国庆节期间安全防范常识',
      web: 'http://127.0.0.1:4321/alpha-2014/',
    });
    expect(info.event).toBeTruthy();
    expect(info.description).toContain('防范入室盗窃案件');
    expect(info.instruction).toContain('外出前认真检查家中水电，关好门窗。');
    expect(info.instruction).not.toContain('为犯罪分子提供了可乘之机'); // 案件特点 is description, not instruction
    expect(info.area.areaDesc).toBe('山东省济南市章丘市');
  });

  it('the CAP index lists each campaign alert', () => {
    const feed = xml.parse(read('cap/index.atom')).feed;
    const links = asList(feed.entry).map((e: { link: { '@href': string } }) => e.link['@href']);
    expect(links).toEqual(['http://127.0.0.1:4321/beta-2015/cap.xml', 'http://127.0.0.1:4321/alpha-2014/cap.xml']);
  });
});
