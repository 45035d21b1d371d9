/** The pure parsers: text in, data and placed problems out (no disk). */
import { describe, expect, it } from 'vitest';
import { parseAdvisory, parseCampaign } from '../../src/content/parse.js';
import { closest, levenshtein } from '../../src/suggest.js';
import { cronProblem, dateProblem } from '../../src/content/datetime.js';

const F = 'advisories/x/campaign.yaml';
const head = 'title: 测试\nissuer: 章丘市公安局\nholiday: national-day\nsummary: 摘要\n';
const places = (text: string) => parseCampaign(text, F).problems.map((p) => [p.line, p.column, p.rule, p.severity]);

describe('parseCampaign', () => {
  it('parses a campaign without touching the disk (the file name only labels problems)', () => {
    const r = parseCampaign(`${head}schedule:\n  - name: b\n    channels: [website]\n    at: { holiday: -2d }\n`, 'no/such/file.yaml');
    expect(r.problems).toEqual([]);
    expect(r.data?.schedule[0]).toMatchObject({ name: 'b', at: { holiday: '-2d', time: '09:00' }, pick: 'all' });
    expect(r.data?.timezone).toBe('Asia/Shanghai');
  });

  it('duplicate keys are reported at the second key', () => {
    expect(places(`${head}title: again\n`)).toEqual([[5, 1, 'duplicate-key', 'error']]);
  });

  it('a key with no value is a wrong type at the key, saying it is empty', () => {
    const r = parseCampaign('title:\nissuer: i\nsummary: s\n', F);
    expect(r.problems).toMatchObject([{ line: 1, column: 7, rule: 'wrong-type' }]);
    expect(r.problems[0].message).toMatch(/"title" should be a text, but is empty/);
  });

  it('`at` that is neither a time nor a holiday offset', () => {
    const r = parseCampaign(`${head}schedule:\n  - name: b\n    channels: [website]\n    at: 5\n`, F);
    expect(r.problems).toMatchObject([{ line: 8, column: 9, rule: 'wrong-type' }]);
    expect(r.problems[0].message).toMatch(/"schedule\[0\]\.at" is number 5.*holiday: -2d/);
  });

  it('a date without a time for `at` says what shape is expected', () => {
    const r = parseCampaign(`${head}schedule:\n  - name: b\n    channels: [website]\n    at: 2014-09-29\n`, F);
    expect(r.problems).toMatchObject([{ line: 8, column: 9, rule: 'invalid-value' }]);
    expect(r.problems[0].message).toMatch(/expected a date and time like 2014-09-29T09:00\+08:00/);
  });

  it('an over-long title says how long it is', () => {
    const r = parseCampaign(`title: ${'长'.repeat(70)}\nissuer: i\nsummary: s\n`, F);
    expect(r.problems).toMatchObject([{ line: 1, column: 8, rule: 'too-long' }]);
    expect(r.problems[0].message).toMatch(/too long \(70\): at most 64 characters/);
  });

  it('an alias to a missing anchor is a syntax error at the alias', () => {
    expect(places(`${head}tags: *nope\n`)).toEqual([[5, 7, 'yaml-syntax', 'error']]);
  });

  it('an unknown key inside a relative `at` suggests the right one', () => {
    const r = parseCampaign(`${head}schedule:\n  - name: b\n    channels: [website]\n    at: { holiday: -2d, tiem: "09:00" }\n`, F);
    expect(r.problems).toMatchObject([{ line: 8, column: 25, rule: 'unknown-key' }]);
    expect(r.problems[0].message).toMatch(/"tiem"\. Did you mean "time"\?/);
  });

  it('an empty file is one clear error', () => {
    expect(places('# nothing yet\n')).toEqual([[1, 1, 'empty-file', 'error']]);
  });

  it('an empty list item and an empty channel list say what is needed', () => {
    const r = parseCampaign(`${head}tags: [""]\nschedule:\n  - name: b\n    channels: []\n    at: 2014-09-29T09:00\n`, F);
    expect(r.problems.map((p) => [p.line, p.column, p.rule, p.message])).toEqual([
      [5, 8, 'invalid-value', '"tags[0]": must not be empty'],
      [8, 15, 'invalid-value', '"schedule[0].channels": name at least one channel'],
    ]);
  });

  it('window: holiday and year without a holiday', () => {
    const r = parseCampaign('title: t\nissuer: i\nsummary: s\nyear: 2014\nschedule:\n  - name: d\n    channels: [weibo]\n    cron: "0 8 * * *"\n    window: holiday\n', F);
    expect(r.problems.map((p) => [p.line, p.column, p.rule, p.severity])).toEqual([
      [4, 7, 'year-without-holiday', 'warning'],
      [9, 13, 'window-without-holiday', 'error'],
    ]);
  });

  it('until before from is an error on until', () => {
    const r = parseCampaign(`${head}schedule:\n  - name: d\n    channels: [weibo]\n    cron: "0 8 * * *"\n    from: 2014-10-05\n    until: 2014-10-01\n`, F);
    expect(r.problems).toMatchObject([{ line: 10, column: 12, rule: 'invalid-range' }]);
  });
});

describe('parseAdvisory', () => {
  const A = 'advisories/x/01-burglary.md';
  it('maps front-matter positions to lines of the .md file (offset by the opening ---)', () => {
    const r = parseAdvisory('---\ntitle: t\nsummary: s\ntags: 5\n---\ntext\n', A);
    expect(r.problems).toMatchObject([{ file: A, line: 4, column: 7, rule: 'wrong-type' }]);
  });

  it('returns the body and the line it starts on', () => {
    const r = parseAdvisory('---\ntitle: t\nsummary: s\n---\n## 一\n', A);
    expect(r).toMatchObject({ frontMatter: { title: 't', summary: 's', tags: [] }, body: '## 一\n', bodyLine: 5, problems: [] });
  });

  it('an empty front matter reports both missing fields where they go (before the closing ---)', () => {
    const r = parseAdvisory('---\n---\ntext\n', A);
    expect(r.problems.map((p) => [p.line, p.column, p.rule, p.message.slice(0, 32)])).toEqual([
      [2, 1, 'missing-field', 'missing required field "title"; '],
      [2, 1, 'missing-field', 'missing required field "summary"'],
    ]);
  });

  it('an image without image_alt is a warning', () => {
    const r = parseAdvisory('---\ntitle: t\nsummary: s\nimage: images/a.png\n---\ntext\n', A);
    expect(r.problems).toMatchObject([{ line: 4, column: 8, severity: 'warning', rule: 'image-alt-missing' }]);
  });

  it('expired advisory: a warning, only when a clock is given', () => {
    const text = '---\ntitle: t\nsummary: s\nexpires: 2015-01-01\n---\ntext\n';
    expect(parseAdvisory(text, A).problems).toEqual([]);
    expect(parseAdvisory(text, A, { now: new Date('2020-01-01T00:00:00Z') }).problems).toMatchObject([{ line: 4, column: 10, rule: 'expired', severity: 'warning' }]);
  });
});

describe('helpers', () => {
  it('levenshtein and did-you-mean', () => {
    expect(levenshtein('shedule', 'schedule')).toBe(1);
    expect(levenshtein('tiem', 'time')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(closest('shedule', ['summary', 'schedule'])).toBe('schedule');
    expect(closest('national_day', ['new-year', 'national-day'])).toBe('national-day');
    expect(closest('zzz', ['schedule'])).toBeUndefined();
  });

  it('dates that do not exist', () => {
    expect(dateProblem('2014-02-29')).toMatch(/28 days/);
    expect(dateProblem('2016-02-29')).toBeUndefined();
    expect(dateProblem('2014-13-01')).toMatch(/month 13/);
    expect(dateProblem('2014-09-29T23:60')).toMatch(/minute 60/);
    expect(dateProblem('2014-09-29T09:00+08:00')).toBeUndefined();
  });

  it('cron: five or six fields, no random H', () => {
    expect(cronProblem('0 8 * * *', 'Asia/Shanghai')).toBeUndefined();
    expect(cronProblem('0 0 8 * * MON-THU', 'Asia/Shanghai')).toBeUndefined();
    expect(cronProblem('H 8 * * *', 'Asia/Shanghai')).toMatch(/"H"/);
    expect(cronProblem('0 8 * * * * *', 'Asia/Shanghai')).toMatch(/found 7/);
  });
});
