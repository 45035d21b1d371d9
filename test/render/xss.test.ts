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
import { buildPreview } from '../../src/preview/build.js';

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
  // Entity and case tricks, spaces, autolinks, references, images.
  '<a href="jav&#x61;script:alert(1)">e</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">e2</a>',
  '[x](JAVASCRIPT:alert(1))',
  '[x](  javascript:alert(1))',
  '[x](jav&#x61;script:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](java\\0script:alert(1))',
  '[x](<javascript:alert(1)>)',
  '<javascript:alert(1)>',
  '<vbscript:msgbox(1)>',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '[ref][r1] and ![img][r2]',
  '[r1]: javascript:alert(1)',
  '[r2]: data:text/html,<script>alert(1)</script>',
  '<svg><script>alert(1)</script></svg>',
  '<math><maction actiontype="statusline#http://x" xlink:href="javascript:alert(1)">m</maction></math>',
  '<p style="background:url(javascript:alert(1))" onclick="alert(1)">s</p>',
  '[s](https://ok.example/" style="x:expression(alert(1))" onmouseover="alert(1))',
  '<img src="https://ok.example/a.png" style="x:expression(alert(1))">',
  '<form action="javascript:alert(1)"><button>b</button></form>',
  '<base href="javascript:alert(1)//">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<!--<script>alert(1)</script>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<details open ontoggle=alert(1)>d</details>',
  '<a href="https://ok.example/" target="_blank" rel="opener">tab</a>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '{{constructor.constructor(\'alert(1)\')()}}',
  '{{{advisory.html}}} {{> wechat/footnotes}}',
];

/** Handlebars-looking text: must arrive as literal text, never be evaluated. */
const HANDLEBARS = "{{constructor.constructor('alert(1)')()}}";

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
      if (name === 'style' && /javascript:|expression\(|url\(|behavior:|-moz-binding/i.test(String(value))) found.push(`${el.tagName}[style=${String(value)}]`);
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

/** Pictures by script or data: URL: the content loader refuses them (issue 12: no channel can show them), so its copy goes without. */
const SCHEME_IMAGE = /^!\[[^\]]*\]\((javascript|data):|^\[r2\]: data:/i;

function evilProject(payloads: readonly string[] = PAYLOADS): string {
  const root = scratchProject();
  const q = (s: string) => JSON.stringify(s);
  writeCampaign(
    root,
    'evil',
    [
      `title: ${q('<script>alert(1)</script>国庆安全')}`,
      'issuer: 测试公安局',
      `summary: ${q(`<img src=x onerror=alert(1)>摘要<svg onload=alert(1)>${HANDLEBARS}`)}`,
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
        `title: ${q(`防范${HANDLEBARS}`)}`,
        'tags: ["<script>alert(1)</script>"]',
        `summary: ${q(`<iframe src=javascript:alert(1)></iframe>提示${HANDLEBARS}<a href="jav&#x61;script:alert(1)">x</a>`)}`,
        '---',
        '## 案件特点',
        '',
        ...payloads.flatMap((p) => [p, '']),
        '## 防范建议',
        '',
        ...payloads.map((p) => `- ${p}`),
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
  // The same content through the real loader (it accepts markup in titles: they are plain text to it),
  // but for the pictures it refuses.
  const refused = loadProject(root).problems.filter((p) => p.severity === 'error');
  const loaded = loadProject(evilProject(PAYLOADS.filter((p) => !SCHEME_IMAGE.test(p)))).campaigns.find((c) => c.id === 'evil');

  it('the content loader accepts the campaign, so rendering is what must make it safe', () => {
    expect(loaded?.advisories).toHaveLength(2);
  });

  it('the content loader refuses pictures by javascript: or data: URL, each at its place', () => {
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((p) => p.rule))).toEqual(new Set(['image-outside']));
    expect(refused.map((p) => p.message)).toContainEqual(expect.stringContaining('"javascript:alert(1)" is neither a file in the campaign folder nor a web address'));
  });

  it('the detector itself finds each payload when not sanitised', () => {
    for (const p of ['<p style="x:expression(alert(1))">s</p>', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">a</a>', '<iframe></iframe>', '<svg onload=alert(1)>', '<a href="data:text/html;base64,PHA+">x</a>']) {
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

  it('Handlebars-looking content is literal text in every channel, never evaluated', () => {
    for (const channel of CHANNEL_NAMES) {
      for (const payload of RENDITIONS[channel].render(contextFor(env, channel, loaded!))) {
        const all = strings({ body: payload.body, preview: payload.preview }).map(([, s]) => s.replace(/&#x27;|&#39;/g, "'")).join('\n');
        expect(all, channel).toContain(channel === 'weibo' ? '{{constructor.constructor(' : HANDLEBARS);
      }
    }
  });

  it('the preview page and every framed document are clean too (frames sandboxed, without scripts)', () => {
    const { files } = buildPreview(root, [loaded!], env.renderer, env.configs, {
      contentProblems: [{ file: 'advisories/evil/x.md', line: 1, column: 1, severity: 'error', message: '<script>alert(1)</script>', rule: 'x' }],
    });
    for (const [name, content] of files) {
      if (typeof content !== 'string' || !name.endsWith('.html')) continue;
      const found = findExecutable(content).filter((f) => !(name === 'index.html' && f === '<iframe>'));
      expect(found, name).toEqual([]);
    }
    const index = String(files.get('index.html'));
    const frames = [...index.matchAll(/<iframe\b[^>]*>/g)].map((m) => m[0]);
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).toMatch(/\ssandbox(\s|>)/);
  });
});
