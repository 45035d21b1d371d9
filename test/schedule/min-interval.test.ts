/** How often a schedule posts, against each channel's min_interval (issue 12): the pure parts. */
import { describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { cronDays, cronFrequency, cronIntervalProblem, DEFAULT_MIN_INTERVALS, formatInterval, parseInterval } from '../../src/content/schedule-frequency.js';
import { parseCampaign } from '../../src/content/parse.js';

describe('parseInterval / formatInterval', () => {
  it('reads durations and 0; refuses the rest', () => {
    expect([parseInterval('90s'), parseInterval('30m'), parseInterval('1h'), parseInterval('1d'), parseInterval('0'), parseInterval('0m')]).toEqual([90, 1_800, 3_600, 86_400, 0, 0]);
    expect([parseInterval('often'), parseInterval('1w'), parseInterval('-1h'), parseInterval('5')]).toEqual([undefined, undefined, undefined, undefined]);
    expect([formatInterval(3_600), formatInterval(86_400), formatInterval(172_800), formatInterval(1_800), formatInterval(45)]).toEqual(['1 h', '1 day', '2 days', '30 min', '45 s']);
  });

  it('the built-in minimums: Weibo and WeChat hourly, e-mail daily, the website any', () => {
    expect(DEFAULT_MIN_INTERVALS).toEqual({ website: 0, wechat: 3_600, weibo: 3_600, email: 86_400 });
  });
});

describe('cronFrequency', () => {
  it.each([
    ['* * * * * *', 86_400, 1, 'every second'],
    ['* * * * *', 1_440, 60, 'every minute'],
    ['*/15 * * * *', 96, 900, 'every 15 minutes'],
    ['0 * * * *', 24, 3_600, 'every hour'],
    ['0 8 * * *', 1, 86_400, 'every day'],
    ['0 8,9 * * *', 2, 3_600, 'as little as 1 h apart'],
    ['0 8 * * 1', 1, 7 * 86_400, 'as little as 7 days apart'],
    ['0 8 1 * *', 1, 28 * 86_400, 'as little as 28 days apart'],
  ])('%s: %i a day, %i s apart at least (%s)', (expr, perDay, minGap, describe) => {
    expect(cronFrequency(expr)).toMatchObject({ perDay, minGap, describe });
  });

  it('late on one day and early on the next are close: 23:30 and 00:10', () => {
    expect(cronFrequency('30 23 * * *').minGap).toBe(86_400);
    expect(cronFrequency('10,50 0,23 * * *').minGap).toBe(20 * 60);
    // …but not when the next day never fires.
    expect(cronFrequency('0 0,23 * * 1').minGap).toBe(23 * 3_600);
  });
});

describe('cronDays', () => {
  const from = Date.UTC(2027, 0, 1) / 86_400_000;
  /** The days cron-parser itself fires on (its enumeration, the slow way). */
  const enumerated = (expr: string) => {
    const out: number[] = [];
    const it = CronExpressionParser.parse(expr, { tz: 'UTC', currentDate: new Date(from * 86_400_000 - 1000), endDate: new Date((from + 731) * 86_400_000) });
    while (it.hasNext()) {
      const d = Math.floor(it.next().getTime() / 86_400_000);
      if (d < from + 731 && out[out.length - 1] !== d) out.push(d);
    }
    return out;
  };
  it.each(['0 8 * * 1-5', '0 8 1,15 * *', '0 8 1-7 * 1', '0 8 */2 * *', '0 8 * 2 *', '0 8 29 2 *', '0 8 * * SUN', '0 8 L * *', '0 8 * * 5#2'])('%s: the same days as cron-parser enumerates', (expr) => {
    expect([...cronDays(expr, from, from + 731)].sort((a, b) => a - b)).toEqual(enumerated(expr));
  });
});

describe('cronIntervalProblem', () => {
  it('says how often, the minimum, where it is set, and an example', () => {
    expect(cronIntervalProblem('* * * * *', 'weibo', 3_600, 'channels/weibo.yaml')).toBe(
      'cron "* * * * *" fires weibo 1,440 times a day (every minute); the least interval allowed for weibo is 1 h (min_interval in channels/weibo.yaml). Post at most every hour, e.g. cron: "0 8 * * *" (08:00 daily)',
    );
    expect(cronIntervalProblem('0 8 * * *', 'weibo', 3_600, 'x')).toBeUndefined();
    expect(cronIntervalProblem('0 * * * *', 'weibo', 3_600, 'x')).toBeUndefined(); // exactly the minimum is fine
    expect(cronIntervalProblem('* * * * * *', 'website', 0, 'x')).toBeUndefined();
  });
});

describe('in validateCampaign (parseCampaign with intervals)', () => {
  const yaml = (schedule: string, extra = '') => `title: t\nissuer: i\nsummary: s\n${extra}schedule:\n${schedule}`;
  const rules = (text: string, minIntervals = {}) => parseCampaign(text, 'c.yaml', { minIntervals }).problems.filter((p) => p.rule === 'schedule-too-frequent');

  it('a daily cron is fine across a daylight-saving change (measured on the local clock)', () => {
    expect(rules(yaml('  - name: d\n    channels: [email]\n    cron: "0 8 * * *"\n    timezone: America/New_York\n', 'year: 2021\n'))).toEqual([]);
  });

  it('two entries on different days are fine; the same days and close times are not', () => {
    const apart = yaml('  - name: a\n    channels: [weibo]\n    cron: "0 8 * * 1"\n  - name: b\n    channels: [weibo]\n    cron: "30 8 * * 2"\n', 'year: 2030\n');
    expect(rules(apart)).toEqual([]);
    const close = yaml('  - name: a\n    channels: [weibo]\n    cron: "0 8 * * 1"\n  - name: b\n    channels: [weibo]\n    cron: "30 8 * * 1-5"\n', 'year: 2030\n');
    expect(rules(close).map((p) => p.message)).toEqual([expect.stringMatching(/^schedules "a" and "b" both post to weibo 30 min apart \(2030-01-07 08:00 and 2030-01-07 08:30\)/)]);
  });

  it('bounds count: the same times on days that do not overlap (from/until) are fine', () => {
    const text = yaml('  - name: a\n    channels: [weibo]\n    cron: "0 8 * * *"\n    until: 2030-10-03\n  - name: b\n    channels: [weibo]\n    cron: "30 8 * * *"\n    from: 2030-10-04\n', 'year: 2030\n');
    expect(rules(text)).toEqual([]);
  });

  it('an at and a cron on the same channel too close; a holiday-relative at is placed in the campaign year', () => {
    const text = yaml('  - name: reminder\n    channels: [weibo]\n    cron: "0 8 * * *"\n    during: holiday\n  - name: bulletin\n    channels: [weibo]\n    at: { holiday: 0d, time: "08:20" }\n', 'holiday: national-day\nyear: 2014\n');
    expect(rules(text).map((p) => p.message)).toEqual([expect.stringContaining('both post to weibo 20 min apart (2014-10-01 08:00 and 2014-10-01 08:20)')]);
  });

  it('the channels given in the options override the defaults', () => {
    const text = yaml('  - name: a\n    channels: [website]\n    cron: "*/5 * * * *"\n');
    expect(rules(text)).toEqual([]);
    expect(rules(text, { website: 600 }).map((p) => p.message)).toEqual([expect.stringContaining('fires website 288 times a day (every 5 minutes); the least interval allowed for website is 10 min')]);
  });

  it('more than 50 schedule entries are refused', () => {
    const entries = Array.from({ length: 51 }, (_, i) => `  - name: s${i}\n    channels: [website]\n    at: 2030-01-01T${String(i % 24).padStart(2, '0')}:00+08:00\n`).join('');
    const problems = parseCampaign(yaml(entries), 'c.yaml').problems.filter((p) => p.rule === 'too-many-schedules');
    expect(problems).toEqual([expect.objectContaining({ line: 5 + 50 * 3, column: 5, severity: 'error' })]);
  });
});
