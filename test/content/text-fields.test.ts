/** Control, bidi and invisible-only characters in one-line fields (issue 12). */
import { describe, expect, it } from 'vitest';
import { textProblem } from '../../src/content/text-fields.js';
import { parseAdvisory, parseCampaign } from '../../src/content/parse.js';

describe('textProblem', () => {
  it.each([
    ['\u200B', 'invisible-text'],
    ['\u200B\u200C\u200D\u2060\uFEFF', 'invisible-text'],
    ['\u3164', 'invisible-text'],
    ['防范\u0000盗窃', 'control-character'],
    ['\u0007响铃', 'control-character'],
    ['\u001B[31m红色', 'control-character'],
    ['C1\u0085', 'control-character'],
    ['DEL\u007F', 'control-character'],
    ['a\tb', 'control-character'],
    ['\u202Egnp.exe', 'bidi-control'],
    ['a\u202Ab', 'bidi-control'],
    ['a\u2066b\u2069', 'bidi-control'],
  ])('%j is refused as %s', (value, rule) => {
    expect(textProblem(value, 'title')?.rule).toBe(rule);
  });

  it.each(['防范入室盗窃案件', '“国庆”安全提示：注意！', 'Emoji 🚓 ok', '零宽\u200B夹在文字中间', 'ZWJ 👨‍👩‍👧'])('%j is fine', (value) => {
    expect(textProblem(value, 'title')).toBeUndefined();
  });

  it('a summary may hold tabs and line breaks, a title may not', () => {
    expect(textProblem('第一句。\n第二句。', 'summary', true)).toBeUndefined();
    expect(textProblem('第一句。\n第二句。', 'title')?.rule).toBe('control-character');
    expect(textProblem('第一句。\u001B', 'summary', true)?.rule).toBe('control-character');
  });

  it('names the character and where it is', () => {
    expect(textProblem('ab\u202Ec', 'title')?.message).toMatch(/^"title" holds U\+202E RIGHT-TO-LEFT OVERRIDE \(character 3\)/);
    expect(textProblem('x\u0000', 'tags')?.message).toMatch(/control character U\+0000 NUL \(character 2\)/);
  });
});

describe('through the parsers: placed at the value', () => {
  it('campaign: title, issuer, summary, contact and each tag', () => {
    const text = [
      'title: "\\u200B"',
      'issuer: "章丘\\u202E局"',
      'summary: "ok\\u0007"',
      'contact: "110"',
      'tags: [ok, "\\e"]',
    ].join('\n');
    const parsed = parseCampaign(text, 'c.yaml');
    expect(parsed.problems.filter((p) => p.severity === 'error').map((p) => [p.line, p.column, p.rule])).toEqual([
      [1, 8, 'invisible-text'],
      [2, 9, 'bidi-control'],
      [3, 10, 'control-character'],
      [5, 12, 'control-character'],
    ]);
  });

  it('advisory front matter: title, summary, tags and image_alt, with the file\'s lines', () => {
    const parsed = parseAdvisory('---\ntitle: "\\u2066标题"\nsummary: 摘要。\nimage: images/a.png\nimage_alt: "\\x1b"\n---\n正文\n', 'a.md');
    expect(parsed.problems.filter((p) => p.severity === 'error').map((p) => [p.line, p.column, p.rule])).toEqual([
      [2, 8, 'bidi-control'],
      [5, 12, 'control-character'],
    ]);
  });
});
