import { describe, expect, it } from 'vitest';
import { countRuleFrom, DEFAULT_COUNT_RULE, weiboLength } from '../../../src/channels/weibo/count.js';
import { composeStatus, shortenTo, stripTopics } from '../../../src/channels/weibo/shorten.js';

const rule = DEFAULT_COUNT_RULE;

describe('weibo counting rule', () => {
  it('counts U+0000–U+00FF as ½ and rounds up', () => {
    expect(weiboLength('ab', rule)).toBe(1);
    expect(weiboLength('abc', rule)).toBe(2);
    expect(weiboLength('é', rule)).toBe(1); // U+00E9: ½, rounded up
  });
  it('counts other BMP characters as 1', () => {
    expect(weiboLength('安全防范', rule)).toBe(4);
    expect(weiboLength('【】…', rule)).toBe(3);
  });
  it('counts characters outside the BMP as 2', () => {
    expect(weiboLength('😀', rule)).toBe(2);
    expect(weiboLength('𠀀安', rule)).toBe(3);
  });
  it('counts each URL as url_chars whatever its length', () => {
    expect(weiboLength('http://a.cn/', rule)).toBe(10);
    expect(weiboLength('看 https://www.example.gov.cn/advisories/2014-national-day/street-theft-fraud/', rule)).toBe(12); // 1 + ½ + 10 → 11.5 → 12
    expect(weiboLength('https://a.cn/x，https://b.cn/y', rule)).toBe(21);
  });
  it('takes its weights from channels/weibo.yaml settings', () => {
    const r = countRuleFrom({ max_chars: 2000, url_chars: 23, latin_weight: 1, astral_weight: 1 });
    expect(weiboLength('ab😀 http://x.cn', r)).toBe(2 + 1 + 1 + 23);
    expect(r.maxChars).toBe(2000);
    expect(r.targetChars).toBe(130);
  });
});

describe('weibo shortening', () => {
  const url = 'https://www.example.gov.cn/2014-national-day/burglary/';
  const long = '节日期间家中无人易被盯上。外出前检查水电、关好门窗，可托亲属常到家中查看。'.repeat(6);

  it('leaves a post that fits alone', () => {
    expect(composeStatus('标题', '短摘要。', url, rule)).toBe(`【标题】短摘要。 ${url}`);
  });

  it('cuts at a sentence or clause boundary, ends with …, keeps the URL whole', () => {
    const status = composeStatus('防范入室盗窃案件', long, url, rule);
    expect(weiboLength(status, rule)).toBeLessThanOrEqual(rule.targetChars);
    expect(status.endsWith(` ${url}`)).toBe(true);
    const summary = status.slice('【防范入室盗窃案件】'.length, -(url.length + 1));
    expect(summary.endsWith('…')).toBe(true);
    const cut = summary.slice(0, -1);
    expect(long.startsWith(cut)).toBe(true);
    expect('。！？；，、').toContain(long[cut.length]); // the next character in the original is a boundary
  });

  it('never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(100);
    const out = shortenTo(emoji, 21, rule);
    expect(out).toBe(`${'😀'.repeat(10)}…`);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('falls back to a character cut when no boundary fits', () => {
    expect(shortenTo('一二三四五六七八九十', 6, rule)).toBe('一二三四五…');
  });

  it('strips # topic markers', () => {
    expect(stripTopics('#国庆#安全 ＃提示')).toBe('国庆安全 提示');
    expect(stripTopics('#话题# 见 https://x.cn/#/a?b=1#c 。')).toBe('话题 见 https://x.cn/#/a?b=1#c 。');
    expect(composeStatus('#标题#', '#摘要', url, rule)).toBe(`【标题】摘要 ${url}`);
  });

  it('never cuts a URL in the summary: it is kept whole or left out, and weighs url_chars', () => {
    const inner = 'https://example.gov.cn/a/very/long/path/that/goes/on/and/on?query=1&x=2';
    const summary = `${'请注意防范电信诈骗'.repeat(11)}详见${inner}，${'更多内容'.repeat(10)}`;
    const status = composeStatus('防诈骗', summary, url, rule);
    expect(weiboLength(status, rule)).toBeLessThanOrEqual(rule.targetChars);
    const urls = status.match(/https?:\/\/[\x21-\x7e]+/g) ?? [];
    for (const u of urls) expect([inner, url]).toContain(u);
    // Right where the URL would overflow: left out entirely rather than cut.
    const tight = shortenTo(`一二三四${inner}`, 8, rule);
    expect(tight).toBe('一二三四…');
    // A URL that fits is counted as url_chars, not by its length.
    expect(shortenTo(`一二${inner}。三四五六七八九十`, 15, rule)).toBe(`一二${inner} …`);
  });

  it('a title too long for any summary is cut itself, so the post still fits and keeps its URL', () => {
    const title = '这是一个非常非常长的标题'.repeat(12);
    const status = composeStatus(title, '摘要。', url, rule);
    expect(weiboLength(status, rule)).toBeLessThanOrEqual(rule.targetChars);
    expect(status).toMatch(/^【这是一个.*…】 /u);
    expect(status.endsWith(` ${url}`)).toBe(true);
  });

  it('English and emoji summaries are cut on their own weights, ending with …', () => {
    const english = composeStatus('Beware', 'Fraudsters call elderly people, pretending to be police officers, and ask them to transfer money to a so-called safe account, which is always a scam, every single time, without exception, so please hang up and call 110. Never tell anyone the code that your bank sends you by text message, whoever they say they are.', url, rule);
    expect(weiboLength(english, rule)).toBeLessThanOrEqual(rule.targetChars);
    expect(english).toMatch(/[a-z]… http/);
    const emoji = composeStatus('🚨提示', `${'😀一'.repeat(60)}`, url, rule);
    expect(weiboLength(emoji, rule)).toBeLessThanOrEqual(rule.targetChars);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(emoji).toContain('… http');
  });
});

