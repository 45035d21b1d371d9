/**
 * Composes a Weibo post (by default `【title】summary URL`, or as the
 * template `templates/weibo/status.txt.hbs` lays it out) within the target length
 * (count.ts). When it does not fit, the summary is cut at the last sentence or
 * clause boundary (。！？；，、) that fits and ends with `…`; failing that, at
 * the last whole character that fits. A title too long to leave room for any
 * summary is cut the same way (and the summary dropped), so a post always
 * fits. URLs, the page's and any in the summary, are never cut (a URL counts
 * `url_chars` as a whole, and is kept whole or left out), nor a surrogate pair
 * (the text is handled by code points). `#` is removed: Weibo reads `#…#` as a
 * topic, which statuses/share does not allow.
 */
import { URL_PATTERN, weightOf, weiboLength, type WeiboCountRule } from './count.js';

const BOUNDARY = /^[。！？；，、!?;,]$/u;
const TRAILING_PUNCTUATION = /[\s。！？；，、!?;,：:]+$/u;
const ELLIPSIS = '…';

/** Removes `#`/`＃` from text, but not from URLs in it (a `#fragment` is part of the address). */
export function stripTopics(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    out += text.slice(last, m.index).replace(/[#＃]/g, '') + m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  return out + text.slice(last).replace(/[#＃]/g, '');
}

/** Lays a post out from its parts; the default is `【title】summary URL`. `templates/weibo/status.txt.hbs` supplies another. */
export type StatusLayout = (parts: { title: string; summary: string; url: string }) => string;

export const DEFAULT_LAYOUT: StatusLayout = ({ title, summary, url }) => `【${title}】${summary} ${url}`;

export function composeStatus(title: string, summary: string, url: string, rule: WeiboCountRule, layout: StatusLayout = DEFAULT_LAYOUT): string {
  const t = stripTopics(title).trim();
  const body = stripTopics(summary).trim();
  const lay = (tt: string, ss: string) => layout({ title: tt, summary: ss, url }).trim();
  const full = lay(t, body);
  if (weiboLength(full, rule) <= rule.targetChars) return full;
  // What the layout costs without any summary: the room left is the summary's budget.
  const fixed = weiboLength(lay(t, ''), rule);
  if (fixed + weightOf(ELLIPSIS, rule) + 1 > rule.targetChars) {
    // Not even one character of summary fits: cut the title instead, and drop the summary.
    const bare = weiboLength(lay('', ''), rule);
    return lay(shortenTo(t, rule.targetChars - bare, rule), '');
  }
  return lay(t, shortenTo(body, rule.targetChars - fixed, rule));
}

/** Code points, with each URL as one unit weighing `url_chars`. */
function units(text: string, rule: WeiboCountRule): Array<{ text: string; weight: number }> {
  const out: Array<{ text: string; weight: number }> = [];
  let last = 0;
  const plain = (s: string): void => {
    for (const ch of s) out.push({ text: ch, weight: weightOf(ch, rule) });
  };
  for (const m of text.matchAll(URL_PATTERN)) {
    plain(text.slice(last, m.index));
    out.push({ text: m[0], weight: rule.urlChars });
    last = (m.index ?? 0) + m[0].length;
  }
  plain(text.slice(last));
  return out;
}

/** The longest boundary-cut prefix of `text` whose counted weight plus `…` fits `budget`. */
export function shortenTo(text: string, budget: number, rule: WeiboCountRule): string {
  const parts = units(text, rule);
  const room = budget - weightOf(ELLIPSIS, rule);
  if (room <= 0) return '';
  let weight = 0;
  let fitEnd = 0; // units that fit
  let boundaryEnd = -1; // units before the last boundary that fits
  for (let i = 0; i < parts.length; i++) {
    const { text: t, weight: w } = parts[i];
    if (BOUNDARY.test(t) && weight <= room) boundaryEnd = i;
    if (weight + w > room) break;
    weight += w;
    fitEnd = i + 1;
  }
  const end = boundaryEnd > 0 ? boundaryEnd : fitEnd;
  let kept = parts.slice(0, end).map((p) => p.text).join('');
  // A URL right before the `…` would swallow it (URLs run to the next space): keep a space between.
  kept = kept.replace(TRAILING_PUNCTUATION, '');
  if (/https?:\/\/[\x21-\x7e]+$/.test(kept)) kept += ' ';
  return `${kept}${ELLIPSIS}`;
}
