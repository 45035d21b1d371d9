/**
 * "Did you mean …?" for near misses (`shedule` → `schedule`), by Levenshtein
 * distance, counting a swap of two neighbours (`tiem` → `time`) as one edit,
 * and by the Chinese names writers use for channels and holidays (`微博` → `weibo`).
 */
import { commonMessages } from './i18n/messages-common.js';

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Chinese (and common English) names a writer may type for a channel or holiday key. */
export const ALIASES: Record<string, string> = {
  微博: 'weibo', 新浪微博: 'weibo', 微信: 'wechat', 公众号: 'wechat', 微信公众号: 'wechat', 网站: 'website', 官网: 'website', 网页: 'website', 邮件: 'email', 电子邮件: 'email', 邮箱: 'email', 'e-mail': 'email', mail: 'email', web: 'website', site: 'website',
  元旦: 'new-year', 春节: 'spring-festival', 清明: 'qingming', 清明节: 'qingming', 劳动节: 'labour-day', 五一: 'labour-day', 'labor-day': 'labour-day', 端午: 'dragon-boat', 端午节: 'dragon-boat', 中秋: 'mid-autumn', 中秋节: 'mid-autumn', 国庆: 'national-day', 国庆节: 'national-day',
};

/** The closest candidate within a distance that scales with the word (1 for short words, up to 3). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const alias = ALIASES[word.trim()];
  if (alias !== undefined && candidates.includes(alias)) return alias;
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(norm(word), norm(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` Did you mean "x"?` (`您是不是要输入“x”？`) or an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c ? commonMessages().didYouMean(c) : '';
}
