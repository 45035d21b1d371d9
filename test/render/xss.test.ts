/**
 * Untrusted Markdown and front matter must not get anything executable into
 * any channel's output: every string of every payload (HTML and text parts,
 * titles, statuses, pages) is parsed as HTML and searched for scripts, event
 * handlers, dangerous URLs and embedding elements.
 */
import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element } from 'hast';
import { toText } from 'hast-util-to-text';
import { CHANNEL_NAMES } from '../../src/content/schema.js';
import { RENDITIONS } from '../../src/channels/renditions.js';
import { readCampaign } from './load-fixture.js';
import { loadProject } from '../../src/content/load.js';
import { contextFor, renditionEnv, scratchProject, writeCampaign } from './setup.js';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '[y](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![z](javascript:alert(1))',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">a</a>',
  '[<script>alert(1)</script>](https://ok.example/)',
  '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
  '<style>body{background:url(javascript:alert(1))}</style>',
];

/** Script URLs, and data: URLs but the inert ones (an empty favicon, raster images). */
const DANGEROUS_URL = /^\s*(javascript:|vbscript:|data:(?!,$|image\/(png|gif|jpeg|webp)[;,]))/i;
const EMBEDDING = new Set(['iframe', 'svg', 'object', 'embed', 'math', 'frame', 'frameset', 'base', 'form']);

function findExecutable(s: string): string[] {
  const found: string[] = [];
  visit(fromHtml(s, { fragment: true }), 'element', (el: Element) => {
    if (EMBEDDING.has(el.tagName)) found.push(`<${el.tagName}>`);
    if (el.tagName === 'script' && !isOwnScript(el)) found.push('<script>');
    if (el.tagName === 'style' && /javascript:|expression\(/i.test(toText(el))) found.push('<style> with script');
    for (const [name, value] of Object.entries(el.properties ?? {})) {
      if (/^on/i.test(name)) found.push(`${el.tagName}[${name}]`);
      if (['href', 'src', 'action', 'formAction', 'xLinkHref', 'srcSet', 'poster'].includes(name) && DANGEROUS_URL.test(String(value))) {
        found.push(`${el.tagName}[${name}=${String(value)}]`);
      }
    }
  });
  return found;
}

/** The site's own scripts: JSON-LD data, or an external file of its own (`/assets/…`) with no inline code. */
function isOwnScript(el: Element): boolean {
  const text = toText(el);
  if (el.properties.type === 'application/ld+json') return !/alert/.test(text);
  return typeof el.properties.src === 'string' && /^\/assets\/[\w.-]+\.js$/.test(el.properties.src) && text.trim() === '';
}

function strings(value: unknown, path = '$'): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

function evilProject(): string {
  const root = scratchProject();
  const q = (s: string) => JSON.stringify(s);
  writeCampaign(
    root,
    'evil',
    [
      `title: ${q('<script>alert(1)</script>国庆安全')}`,
      'issuer: 测试公安局',
      `summary: ${q('<img src=x onerror=alert(1)>摘要<svg onload=alert(1)>')}`,
      `contact: ${q('<a href="javascript:alert(1)">110</a>')}`,
      'tags: ["<script>alert(1)</script>"]',
      'schedule:',
      '  - name: bulletin',
      '    channels: [website, wechat, email, weibo]',
      '    at: 2014-09-29T09:00+08:00',
    ].join('\n'),
    {
      '01-evil.md': [
        '---',
        `title: ${q('<script>alert(1)</script>防范')}`,
        `summary: ${q('<iframe src=javascript:alert(1)></iframe>提示')}`,
        '---',
        '## 案件特点',
        '',
        ...PAYLOADS.flatMap((p) => [p, '']),
        '## 防范建议',
        '',
        ...PAYLOADS.map((p) => `- ${p}`),
      ].join('\n'),
      '02-plain.md': '---\ntitle: 普通\nsummary: 普通摘要。\n---\n正文 [链接](https://example.gov.cn/)。\n',
    },
  );
  return root;
}

describe('no script reaches any output', () => {
  const root = evilProject();
  const env = renditionEnv(root);
  const campaign = readCampaign(root, 'evil');
  // The same content through the real loader (it accepts markup in titles: they are plain text to it).
  const loaded = loadProject(root).campaigns.find((c) => c.id === 'evil');

  it('the content loader accepts the campaign, so rendering is what must make it safe', () => {
    expect(loaded?.advisories).toHaveLength(2);
  });

  it('the detector itself finds each payload when not sanitised', () => {
    for (const p of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">a</a>', '<iframe></iframe>', '<svg onload=alert(1)>', '<a href="data:text/html;base64,PHA+">x</a>']) {
      expect(findExecutable(p).length, p).toBeGreaterThan(0);
    }
  });

  for (const channel of CHANNEL_NAMES) {
    it(`${channel}: html and text parts are clean`, () => {
      const groups = [campaign, loaded!].flatMap((c) => [[c, c.advisories], [c, [c.advisories[0]]]] as const);
      for (const [c, advisories] of groups) {
        const ctx = contextFor(env, channel, c, [...advisories]);
        const payloads = RENDITIONS[channel].render(ctx);
        expect(payloads.length).toBeGreaterThan(0);
        for (const payload of payloads) {
          for (const [path, s] of strings({ body: payload.body, preview: payload.preview, label: payload.label })) {
            expect(findExecutable(s), `${channel} ${path}`).toEqual([]);
          }
        }
      }
    });
  }

  it('escapes rather than drops: the campaign title reaches HTML as text', () => {
    const [msg] = RENDITIONS.email.render(contextFor(env, 'email', campaign));
    expect(String(msg.body.html)).toContain('国庆安全');
    expect(String(msg.body.html)).not.toContain('<script>alert(1)');
  });
});
