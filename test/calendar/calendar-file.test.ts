/**
 * calendar/<year>.yaml as staff write it: parsed into the year's schedule, every mistake reported with its
 * line and column and a message that says what to write instead (content/calendar-file.ts, pure).
 */
import { describe, expect, it } from 'vitest';
import { parseCalendarFile } from '../../src/content/calendar-file.js';
import type { Problem } from '../../src/errors.js';

const FILE = 'calendar/2027.yaml';
const parse = (text: string, year = 2027) => parseCalendarFile(text, FILE, year);
/** `line:column rule` of each problem, in order. */
const places = (ps: Problem[]) => ps.map((p) => `${p.line}:${p.column} ${p.severity} ${p.rule}`);

describe('a valid file', () => {
  it('reads ranges, single dates and lists, every day written out in order', () => {
    const { local, problems } = parse([
      '# 2027 年部分节假日安排',
      'year: 2027',
      'spring-festival:',
      '  off: 2027-02-06..2027-02-12',
      '  work: [2027-01-31, 2027-02-20]',
      'qingming:',
      '  off: [2027-04-05, 2027-04-03..2027-04-04]',
      'national-day:',
      '  off: "2027-10-01 .. 2027-10-07"',
      '  work: 2027-09-26',
      '',
    ].join('\n'));
    expect(problems).toEqual([]);
    expect(local).toEqual({
      year: 2027,
      file: FILE,
      holidays: {
        'spring-festival': { off: ['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'], work: ['2027-01-31', '2027-02-20'] },
        qingming: { off: ['2027-04-03', '2027-04-04', '2027-04-05'], work: [] },
        'national-day': { off: ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'], work: ['2027-09-26'] },
      },
    });
  });

  it("New Year's days off and working day may fall in the December before (2019's notice)", () => {
    const { local, problems } = parse('new-year:\n  off: 2018-12-30..2019-01-01\n  work: [2018-12-29]\n', 2019);
    expect(problems).toEqual([]);
    expect(local.holidays['new-year']).toEqual({ off: ['2018-12-30', '2018-12-31', '2019-01-01'], work: ['2018-12-29'] });
  });

  it('an empty file is a warning, not an error (nothing read from it)', () => {
    expect(places(parse('# nothing yet\n').problems)).toEqual(['1:1 warning calendar-empty']);
  });
});

describe('mistakes, each at its place', () => {
  it('an unknown holiday key, with a did-you-mean (a typo, or the Chinese name)', () => {
    const { problems, local } = parse('spring-festivel:\n  off: 2027-02-06..2027-02-12\n春节:\n  off: 2027-02-06\n');
    expect(places(problems)).toEqual(['1:1 error calendar-unknown-holiday', '3:1 error calendar-unknown-holiday']);
    expect(problems[0].message).toMatch(/^unknown holiday "spring-festivel" in calendar\/2027\.yaml\. Did you mean "spring-festival"\? The holidays are: new-year, spring-festival, /);
    expect(problems[1].message).toContain('Did you mean "spring-festival"?');
    expect(local.holidays).toEqual({});
  });

  it('an unknown field under a holiday (English typo or the Chinese word)', () => {
    const { problems } = parse('labour-day:\n  off: 2027-05-01..2027-05-05\n  上班: [2027-04-25]\n  wrok: [2027-05-08]\n');
    expect(places(problems)).toEqual(['3:3 error calendar-unknown-field', '4:3 error calendar-unknown-field']);
    expect(problems[0].message).toContain('Did you mean "work"?');
    expect(problems[1].message).toContain('Did you mean "work"?');
  });

  it('days off written straight under the key, or missing', () => {
    const { problems } = parse('dragon-boat: 2027-06-09\nmid-autumn:\n  work: [2027-09-18]\n');
    expect(places(problems)).toEqual(['1:14 error calendar-shape', '2:1 error calendar-no-days-off']);
    expect(problems[0].message).toContain('write its days off under off:');
    expect(problems[1].message).toMatch(/mid-autumn \(中秋节\) has no days off: add off: .*e\.g\. off: 2027-09-15$/);
  });

  it.each([
    ['2027-2-5', /the month and the day take two digits each \(2027-2-5 → 2027-02-05\); got "2027-2-5"/],
    ['2027/02/05', /write the date with dashes/],
    ['2027-02-05 ~ 2027-02-07', /write a range with two dots between the dates/],
    ['2027-02-05至2027-02-07', /write a range with two dots/],
    ['2月5日', /write the date with digits and dashes \(2月5日 → 2027-02-05\)/],
    ['２０２７-02-05', /full-width characters \(Chinese input mode\)/],
    ['2027-02-05, 2027-02-06', /several dates must be a list in brackets/],
    ['next friday', /^expected a date like 2027-02-05 or a range like 2027-02-05\.\.2027-02-13; got "next friday"$/],
  ])('a malformed date: %s', (written, message) => {
    const { problems } = parse(`spring-festival:\n  off: 2027-02-06..2027-02-12\n  work: [${JSON.stringify(written)}]\n`);
    expect(places(problems)).toEqual(['3:10 error calendar-date']);
    expect(problems[0].message).toMatch(message);
  });

  it('a number where a date was meant', () => {
    const { problems } = parse('spring-festival:\n  off: 20270206\n');
    expect(places(problems)).toEqual(['2:8 error calendar-date']);
    expect(problems[0].message).toContain('a number: write the dashes');
  });

  it('a date that does not exist', () => {
    const { problems } = parse('spring-festival:\n  off: 2027-02-06..2027-02-30\n');
    expect(places(problems)).toEqual(['2:8 error calendar-date']);
    expect(problems[0].message).toBe('2027-02-30 is not a real date: 2027-02 has 28 days');
  });

  it('a range reversed, and a range far too long', () => {
    const { problems } = parse('national-day:\n  off: 2027-10-07..2027-10-01\nlabour-day:\n  off: 2027-05-01..2027-08-05\n');
    expect(places(problems)).toEqual(['2:8 error calendar-range', '4:8 error calendar-range']);
    expect(problems[0].message).toBe('the range 2027-10-07..2027-10-01 ends before it starts: write the earlier date first, 2027-10-01..2027-10-07');
    expect(problems[1].message).toMatch(/is 97 days long/);
  });

  it('a date outside the file\'s year', () => {
    const { problems, local } = parse('spring-festival:\n  off: 2027-02-06..2027-02-12\nmid-autumn:\n  off: [2027-09-15, 2028-09-15]\n');
    expect(places(problems)).toEqual(['4:21 error calendar-date-year']);
    expect(problems[0].message).toBe('2028-09-15 is not in 2027, the year of this file: correct the year, or put the date in calendar/2028.yaml');
    expect(Object.keys(local.holidays)).toEqual(['spring-festival']);
  });

  it("a whole file of another year (last year's copied) is one error, naming the file to rename it to", () => {
    const { problems } = parse('spring-festival:\n  off: 2026-02-15..2026-02-23\n  work: [2026-02-14, 2026-02-28]\nnational-day:\n  off: 2026-10-01..2026-10-08\n');
    expect(places(problems)).toEqual(['2:8 error calendar-file-year']);
    expect(problems[0].message).toBe('every date in calendar/2027.yaml is in 2026, not 2027: rename the file to calendar/2026.yaml, or correct the dates (a copy of last year\'s file?)');
  });

  it('year: that does not match the file name', () => {
    const { problems } = parse('year: 2028\nspring-festival:\n  off: 2027-02-06..2027-02-12\n');
    expect(places(problems)).toEqual(['1:7 error calendar-file-year']);
    expect(problems[0].message).toMatch(/^year: 2028 does not match the file's name calendar\/2027\.yaml/);
  });

  it('a day both off and a working day (in one holiday, or across two)', () => {
    const { problems, local } = parse('labour-day:\n  off: 2027-05-01..2027-05-05\n  work: [2027-04-25, 2027-05-03]\nqingming:\n  off: 2027-04-03..2027-04-05\n  work: 2027-05-01\n');
    expect(places(problems)).toEqual(['3:22 error calendar-off-and-work', '6:9 error calendar-off-and-work']);
    expect(problems[0].message).toBe('2027-05-03 is listed both as a day off (labour-day) and as a working day: remove it from one of the lists');
    expect(local.holidays).toEqual({});
  });

  it('days off with a working day in the middle are not one break', () => {
    const { problems } = parse('spring-festival:\n  off: [2027-02-06..2027-02-08, 2027-02-10..2027-02-12]\n');
    expect(places(problems)).toEqual(['2:8 error calendar-break-gap']);
    expect(problems[0].message).toMatch(/not one unbroken break: 2027-02-09 \(Tuesday\) is missing/);
  });

  it('warnings: a working day that is a weekday anyway, days off far from the festival, a working day far from its break', () => {
    const { problems, local } = parse('spring-festival:\n  off: 2027-10-01..2027-10-07\nnational-day:\n  off: 2027-10-01..2027-10-07\n  work: [2027-09-29, 2027-12-11]\n');
    expect(places(problems)).toEqual(['2:8 warning calendar-far-date', '5:10 warning calendar-work-weekday', '5:22 warning calendar-far-date']);
    expect(problems[0].message).toBe('spring-festival (春节) 2027 falls around Feb 5–11, but these days off are Oct 1–7: check the holiday key and the dates');
    expect(problems[1].message).toMatch(/^2027-09-29 is a Wednesday, a working day anyway/);
    expect(Object.keys(local.holidays)).toEqual(['spring-festival', 'national-day']);
  });

  it('YAML that does not read (a full-width colon) is reported as in every other file', () => {
    const { problems } = parse('spring-festival：\n  off: 2027-02-06\n');
    expect(places(problems)).toEqual(['1:16 error full-width-punctuation']);
  });

  it('not a mapping', () => {
    expect(places(parse('- 2027-02-06\n').problems)).toEqual(['1:1 error calendar-shape']);
  });
});

describe('a date typed another way gets the exact fix', () => {
  it('Chinese dates, slashes, full-width digits and ranges with 至 are written out in the file’s year', async () => {
    const { exactFix } = await import('../../src/content/calendar-file.js');
    expect(exactFix('2月20日', 2027)).toBe('2027-02-20');
    expect(exactFix('2027年2月5日', 2027)).toBe('2027-02-05');
    expect(exactFix('2027/2/5', 2027)).toBe('2027-02-05');
    expect(exactFix('２０２７－０２－０５', 2027)).toBe('2027-02-05');
    expect(exactFix('10月1日至10月7日', 2027)).toBe('2027-10-01..2027-10-07');
    expect(exactFix('10月1日至7日', 2027)).toBe('2027-10-01..2027-10-07');
    expect(exactFix('2027-10-01~2027-10-07', 2027)).toBe('2027-10-01..2027-10-07');
    expect(exactFix('2月30日', 2027)).toBeUndefined();
    expect(exactFix('下周一', 2027)).toBeUndefined();
  });
});
