/**
 * Composes a Weibo post `【title】summary URL` within the target length
 * (count.ts). When it does not fit, the summary is cut at the last sentence or
 * clause boundary (。！？；，、) that fits and ends with `…`; failing that, at
 * the last whole character that fits. The URL is never cut, nor a surrogate
 * pair (the text is handled by code points). `#` is removed: Weibo reads
 * `#…#` as a topic, which statuses/share does not allow.
 */
import { weightOf, weiboLength, type WeiboCountRule } from './count.js';

const BOUNDARY = /[。！？；，、!?;,]/u;
const ELLIPSIS = '…';

export function stripTopics(text: string): string {
  return text.replace(/[#＃]/g, '');
}

export function composeStatus(title: string, summary: string, url: string, rule: WeiboCountRule): string {
  const head = `【${stripTopics(title).trim()}】`;
  const tail = ` ${url}`;
  const body = stripTopics(summary).trim();
  const full = `${head}${body}${tail}`;
  if (weiboLength(full, rule) <= rule.targetChars) return full;
  const budget = rule.targetChars - weiboLength(`${head}${tail}`, rule);
  return `${head}${shortenTo(body, budget, rule)}${tail}`;
}

/** The longest boundary-cut prefix of `text` whose weight plus `…` fits `budget`. */
export function shortenTo(text: string, budget: number, rule: WeiboCountRule): string {
  const chars = [...text];
  const room = budget - weightOf(ELLIPSIS, rule);
  if (room <= 0) return '';
  let weight = 0;
  let fitEnd = 0; // code points that fit
  let boundaryEnd = -1; // code points before the last boundary that fits
  for (let i = 0; i < chars.length; i++) {
    const w = weightOf(chars[i], rule);
    if (BOUNDARY.test(chars[i]) && weight <= room) boundaryEnd = i;
    if (weight + w > room) break;
    weight += w;
    fitEnd = i + 1;
  }
  const end = boundaryEnd > 0 ? boundaryEnd : fitEnd;
  return `${chars.slice(0, end).join('').replace(/[\s。！？；，、!?;,]+$/u, '')}${ELLIPSIS}`;
}
