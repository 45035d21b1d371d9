/**
 * The render core's Handlebars helpers, registered once on the renderer's own
 * environment (STYLE.md). Channels add their own (a channel's
 * `helpers.ts`, gathered in channels/template-helpers.ts), e.g.
 * `{{weiboLength text}}`: the core knows no channel.
 *
 *   {{cnDate "2014-09-29T09:00:00+08:00"}}   → 2014年9月29日
 *   {{#if (eq a b)}}                          → strict equality
 *   {{json value}}                            → JSON safe inside <script type="application/ld+json">
 *   {{advisoryUrl advisory}} / {{advisoryUrl site campaign advisory}}
 *   {{campaignUrl}} / {{campaignUrl site campaign}}
 */
import type { HelperOptions } from 'handlebars';
import type HandlebarsNS from 'handlebars';
import { advisoryUrl, campaignUrl, type HasBaseUrl } from './urls.js';

type Env = typeof HandlebarsNS;

/** `2014年9月29日` from `YYYY-MM-DD…` (the date as written, i.e. in the campaign's zone) or a Date (Asia/Shanghai). */
export function chineseDate(value: unknown): string {
  if (value instanceof Date) {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(value)
      .split('-');
    return `${Number(parts[0])}年${Number(parts[1])}月${Number(parts[2])}日`;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value ?? ''));
  if (!m) return String(value ?? '');
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** JSON that cannot close a <script> element or break out of an HTML attribute. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function registerHelpers(hb: Env): void {
  hb.registerHelper('cnDate', (value: unknown) => chineseDate(value));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('json', (value: unknown) => new hb.SafeString(safeJson(value)));
  hb.registerHelper('telLinks', (value: unknown) => new hb.SafeString(telLinks(String(value ?? ''), hb.escapeExpression)));
  hb.registerHelper('advisoryUrl', (...args: unknown[]) => {
    const options = args.pop() as HelperOptions;
    const root = (options.data?.root ?? {}) as { site?: HasBaseUrl; campaign?: { id: string } };
    const [site, campaign, advisory] =
      args.length >= 3 ? (args as [HasBaseUrl, { id: string }, { id: string }]) : [root.site, root.campaign, args[0] as { id: string }];
    if (!site || !campaign || !advisory) throw new Error('advisoryUrl needs (advisory) with site and campaign in the data, or (site campaign advisory)');
    return advisoryUrl(site, campaign, advisory);
  });
  hb.registerHelper('campaignUrl', (...args: unknown[]) => {
    const options = args.pop() as HelperOptions;
    const root = (options.data?.root ?? {}) as { site?: HasBaseUrl; campaign?: { id: string } };
    const [site, campaign] = args.length >= 2 ? (args as [HasBaseUrl, { id: string }]) : [root.site, (args[0] as { id: string }) ?? root.campaign];
    if (!site || !campaign) throw new Error('campaignUrl needs site and campaign in the data, or (site campaign)');
    return campaignUrl(site, campaign);
  });
}

/**
 * Plain text with its phone numbers as `tel:` links a finger can press: the emergency numbers (110, 119, 120,
 * 122) standing alone, and numbers of 7 or more digits (with dashes or spaces between groups). Text escaped.
 */
export function telLinks(text: string, escape: (s: string) => string): string {
  const PHONE = /(?<![\d-])(?:110|119|120|122|\d{3,4}[- ]?\d{7,8}|\d{7,11})(?![\d-])/g;
  let out = '';
  let at = 0;
  for (const m of text.matchAll(PHONE)) {
    out += escape(text.slice(at, m.index));
    const digits = m[0].replace(/\D/g, '');
    out += `<a class="tel" href="tel:${digits}">${escape(m[0])}</a>`;
    at = m.index! + m[0].length;
  }
  return out + escape(text.slice(at));
}
