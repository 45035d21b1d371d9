/**
 * Weibo's counted length (channel-apis.md §2, confidence L, so every weight is
 * a setting in channels/weibo.yaml): U+0000–U+00FF count `latin_weight` (½),
 * other BMP characters 1, characters outside the BMP `astral_weight` (2), each
 * URL `url_chars` (10) whatever its length; the total is rounded up.
 */

export interface WeiboCountRule {
  maxChars: number;
  targetChars: number;
  urlChars: number;
  latinWeight: number;
  astralWeight: number;
}

export const DEFAULT_COUNT_RULE: WeiboCountRule = Object.freeze({
  maxChars: 140,
  targetChars: 130,
  urlChars: 10,
  latinWeight: 0.5,
  astralWeight: 2,
});

/** A URL as Weibo's counter sees one: scheme, then printable ASCII up to a space or non-ASCII. */
export const URL_PATTERN = /https?:\/\/[\x21-\x7e]+/g;

/** The rule from channels/weibo.yaml settings, falling back to the defaults per key. */
export function countRuleFrom(settings: Record<string, unknown>): WeiboCountRule {
  const num = (key: string, fallback: number): number => {
    const v = Number(settings[key]);
    return Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  return {
    maxChars: num('max_chars', DEFAULT_COUNT_RULE.maxChars),
    targetChars: num('target_chars', DEFAULT_COUNT_RULE.targetChars),
    urlChars: num('url_chars', DEFAULT_COUNT_RULE.urlChars),
    latinWeight: num('latin_weight', DEFAULT_COUNT_RULE.latinWeight),
    astralWeight: num('astral_weight', DEFAULT_COUNT_RULE.astralWeight),
  };
}

/** Unrounded weight of text that holds no URL. */
export function weightOf(text: string, rule: WeiboCountRule = DEFAULT_COUNT_RULE): number {
  let total = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    total += cp <= 0xff ? rule.latinWeight : cp > 0xffff ? rule.astralWeight : 1;
  }
  return total;
}

/** The counted length of a post, rounded up. */
export function weiboLength(text: string, rule: WeiboCountRule = DEFAULT_COUNT_RULE): number {
  let total = 0;
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    total += weightOf(text.slice(last, m.index), rule) + rule.urlChars;
    last = (m.index ?? 0) + m[0].length;
  }
  total += weightOf(text.slice(last), rule);
  return Math.ceil(total - 1e-9);
}
