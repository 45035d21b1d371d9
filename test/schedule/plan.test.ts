import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/holidays.js';
import { plan } from '../../src/schedule/plan.js';
import { ADVISORY_IDS, NATIONAL_DAY_2014, NATIONAL_DAY_EVERGREEN, campaign } from '../fixtures/schedule/campaigns.js';

const calendar = createCalendar();
const w = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const SEP_OCT_2014 = w('2014-08-31T16:00:00Z', '2014-10-31T16:00:00Z');

describe('the shipped 2014 National Day campaign', () => {
  const { occurrences, warnings } = plan([NATIONAL_DAY_2014], calendar, SEP_OCT_2014);

  it('plans the bulletin and seven daily reminders', () => {
    expect(warnings).toEqual([]);
    expect(occurrences.map((o) => [o.dueLocal, o.schedule, o.advisories.join(',')])).toEqual([
      ['2014-09-29T09:00:00+08:00', 'bulletin', ADVISORY_IDS.join(',')],
      ['2014-10-01T08:00:00+08:00', 'daily-reminder', 'burglary'],
      ['2014-10-02T08:00:00+08:00', 'daily-reminder', 'vehicle-theft'],
      ['2014-10-03T08:00:00+08:00', 'daily-reminder', 'robbery'],
      ['2014-10-04T08:00:00+08:00', 'daily-reminder', 'street-theft-fraud'],
      ['2014-10-05T08:00:00+08:00', 'daily-reminder', 'burglary'],
      ['2014-10-06T08:00:00+08:00', 'daily-reminder', 'vehicle-theft'],
      ['2014-10-07T08:00:00+08:00', 'daily-reminder', 'robbery'],
    ]);
  });

  it('gives the bulletin its keys, channels and a window to the end of the holiday', () => {
    expect(occurrences[0]).toEqual({
      key: '2014-national-day/bulletin/2014-09-29T01:00:00Z',
      campaign: '2014-national-day',
      schedule: 'bulletin',
      channels: ['website', 'wechat', 'email'],
      keys: {
        website: '2014-national-day/bulletin/website/2014-09-29T01:00:00Z',
        wechat: '2014-national-day/bulletin/wechat/2014-09-29T01:00:00Z',
        email: '2014-national-day/bulletin/email/2014-09-29T01:00:00Z',
      },
      dueUtc: '2014-09-29T01:00:00Z',
      dueLocal: '2014-09-29T09:00:00+08:00',
      timezone: 'Asia/Shanghai',
      advisories: ADVISORY_IDS,
      windowEndsUtc: '2014-10-07T16:00:00Z',
      kind: 'at',
    });
  });

  it('gives each reminder a 6h window and a weibo key', () => {
    const first = occurrences[1];
    expect(first).toMatchObject({
      kind: 'cron',
      channels: ['weibo'],
      dueUtc: '2014-10-01T00:00:00Z',
      windowEndsUtc: '2014-10-01T06:00:00Z',
      keys: { weibo: '2014-national-day/daily-reminder/weibo/2014-10-01T00:00:00Z' },
    });
  });
});

describe('pick: rotate', () => {
  it('is anchored at the series start: Oct 3 carries the same advisory whatever the window', () => {
    const fromSep = plan([NATIONAL_DAY_2014], calendar, SEP_OCT_2014).occurrences;
    const fromOct2 = plan([NATIONAL_DAY_2014], calendar, w('2014-10-01T16:00:00Z', '2014-10-03T16:00:00Z')).occurrences;
    const oct3 = (list: typeof fromSep) => list.find((o) => o.dueLocal.startsWith('2014-10-03'))!.advisories;
    expect(fromOct2.map((o) => o.dueLocal)).toEqual(['2014-10-02T08:00:00+08:00', '2014-10-03T08:00:00+08:00']);
    expect(oct3(fromOct2)).toEqual(['robbery']);
    expect(oct3(fromSep)).toEqual(oct3(fromOct2));
  });

  it('rotates through the schedule\'s own advisories list, in the order written', () => {
    const c = campaign({
      holiday: 'national-day',
      year: 2014,
      schedule: [{ name: 'r', channels: ['weibo'], cron: '0 8 * * *', during: 'holiday', pick: 'rotate', advisories: ['robbery', 'burglary'] }],
    });
    const got = plan([c], calendar, SEP_OCT_2014).occurrences.map((o) => o.advisories[0]);
    expect(got).toEqual(['robbery', 'burglary', 'robbery', 'burglary', 'robbery', 'burglary', 'robbery']);
  });

  it('with from:, counts from `from` even when the window starts later', () => {
    const c = campaign({
      year: 2014,
      schedule: [{ name: 'r', channels: ['weibo'], cron: '0 20 * * *', from: '2014-10-10', until: '2014-10-20', pick: 'rotate' }],
    });
    const all = plan([c], calendar, SEP_OCT_2014).occurrences;
    const late = plan([c], calendar, w('2014-10-15T00:00:00Z', '2014-10-31T00:00:00Z')).occurrences;
    expect(all).toHaveLength(11);
    expect(all[0].advisories).toEqual(['burglary']);
    expect(late[0].dueLocal).toBe('2014-10-15T20:00:00+08:00');
    expect(late).toEqual(all.slice(5));
  });
});

describe('pick: all', () => {
  it('carries the schedule\'s advisories list in its order, leaving unknown ids out with a warning', () => {
    const c = campaign({
      year: 2014,
      schedule: [{ name: 'b', channels: ['email'], at: '2014-09-29T09:00', advisories: ['robbery', 'nope', 'burglary'] }],
    });
    const { occurrences, warnings } = plan([c], calendar, SEP_OCT_2014);
    expect(occurrences[0].advisories).toEqual(['robbery', 'burglary']);
    expect(warnings).toEqual(['test-campaign/b: unknown advisories nope (known: burglary, vehicle-theft, robbery, street-theft-fraud); left out']);
  });
});

describe('during: holiday', () => {
  it('fires only on the days off, local dates, including a merged break (2023: Sep 29–Oct 6)', () => {
    const c = campaign({ holiday: 'national-day', year: 2023, schedule: [{ name: 'r', channels: ['weibo'], cron: '30 22 * * *', during: 'holiday' }] });
    const got = plan([c], calendar, w('2023-09-01T00:00:00Z', '2023-11-01T00:00:00Z')).occurrences.map((o) => o.dueLocal.slice(0, 16));
    expect(got).toEqual(['2023-09-29', '2023-09-30', '2023-10-01', '2023-10-02', '2023-10-03', '2023-10-04', '2023-10-05', '2023-10-06'].map((d) => `${d}T22:30`));
  });

  it('is narrowed by until:', () => {
    const c = campaign({ holiday: 'national-day', year: 2014, schedule: [{ name: 'r', channels: ['weibo'], cron: '0 8 * * *', during: 'holiday', until: '2014-10-03' }] });
    expect(plan([c], calendar, SEP_OCT_2014).occurrences.map((o) => o.dueLocal.slice(0, 10))).toEqual(['2014-10-01', '2014-10-02', '2014-10-03']);
  });
});

describe('from / until and the campaign year', () => {
  it('until as a date includes that whole day; as a date and time includes that instant', () => {
    const mk = (until: string) =>
      campaign({ year: 2014, schedule: [{ name: 'r', channels: ['weibo'], cron: '0 20 * * *', from: '2014-10-01', until }] });
    expect(plan([mk('2014-10-03')], calendar, SEP_OCT_2014).occurrences.map((o) => o.dueLocal.slice(0, 10))).toEqual(['2014-10-01', '2014-10-02', '2014-10-03']);
    expect(plan([mk('2014-10-03T20:00')], calendar, SEP_OCT_2014).occurrences).toHaveLength(3);
    expect(plan([mk('2014-10-03T19:59')], calendar, SEP_OCT_2014).occurrences).toHaveLength(2);
  });

  it('a dated campaign\'s cron with neither during nor from/until is bounded to its year', () => {
    const c = campaign({ year: 2014, schedule: [{ name: 'm', channels: ['weibo'], cron: '0 9 1 * *' }] });
    const got = plan([c], calendar, w('2014-06-15T00:00:00Z', '2015-03-15T00:00:00Z')).occurrences.map((o) => o.dueLocal.slice(0, 10));
    expect(got).toEqual(['2014-07-01', '2014-08-01', '2014-09-01', '2014-10-01', '2014-11-01', '2014-12-01']);
  });
});

describe('expires', () => {
  it('drops everything due after the expiry date (the whole day counts)', () => {
    const c = { ...NATIONAL_DAY_2014, expires: '2014-10-03' };
    const got = plan([c], calendar, SEP_OCT_2014).occurrences.map((o) => o.dueLocal.slice(0, 10));
    expect(got).toEqual(['2014-09-29', '2014-10-01', '2014-10-02', '2014-10-03']);
  });

  it('an expiry before the bulletin leaves nothing', () => {
    expect(plan([{ ...NATIONAL_DAY_2014, expires: '2014-09-29T08:59+08:00' }], calendar, SEP_OCT_2014).occurrences).toEqual([]);
  });
});

describe('starts', () => {
  it('an evergreen campaign does not fire in years before it is in force', () => {
    const evergreen = { ...NATIONAL_DAY_2014, year: undefined, starts: '2026-01-01' };
    expect(plan([evergreen], calendar, SEP_OCT_2014).occurrences).toEqual([]);
    const in2026 = plan([evergreen], calendar, w('2026-09-01T00:00:00Z', '2026-11-01T00:00:00Z')).occurrences;
    expect(in2026.every((o) => o.schedule === 'daily-reminder')).toBe(true); // the fixture's bulletin is dated 2014
    expect(in2026.map((o) => o.dueLocal.slice(0, 10))[0]).toBe('2026-10-01');
  });

  it('drops firings before the start instant but keeps the rotation anchored at the series start', () => {
    const c = { ...NATIONAL_DAY_2014, starts: '2014-10-03T00:00+08:00' };
    const got = plan([c], calendar, SEP_OCT_2014).occurrences;
    expect(got.map((o) => o.dueLocal.slice(0, 10))).toEqual(['2014-10-03', '2014-10-04', '2014-10-05', '2014-10-06', '2014-10-07']);
    expect(got[0].advisories).toEqual(['robbery']);
  });
});

describe('holiday-relative at', () => {
  it('counts days from the first day off at the given time, and hours from that time', () => {
    const mk = (holiday: string, time: string) =>
      campaign({ holiday: 'national-day', year: 2023, schedule: [{ name: 'b', channels: ['email'], at: { holiday, time } }] });
    const due = (c: ReturnType<typeof mk>) => plan([c], calendar, w('2023-09-01T00:00:00Z', '2023-11-01T00:00:00Z')).occurrences[0].dueLocal;
    // 2023's break starts Sep 29 (mid-autumn merged into national-day).
    expect(due(mk('-2d', '09:00'))).toBe('2023-09-27T09:00:00+08:00');
    expect(due(mk('0d', '18:30'))).toBe('2023-09-29T18:30:00+08:00');
    expect(due(mk('-12h', '20:00'))).toBe('2023-09-29T08:00:00+08:00');
  });
});

describe('upcoming (status: what is next)', () => {
  it('looks past 30 days when nothing is due sooner, and stops at the limit', async () => {
    const { upcoming } = await import('../../src/schedule/plan.js');
    const evergreen = { ...NATIONAL_DAY_2014, year: undefined };
    const next = upcoming((win) => plan([evergreen], calendar, win).occurrences, new Date('2026-11-27T00:00:00Z'), 3);
    expect(next.map((o) => o.dueLocal.slice(0, 10))).toEqual(['2027-10-01', '2027-10-02', '2027-10-03']);
    expect(upcoming((win) => plan([evergreen], calendar, win).occurrences, new Date('2014-09-30T00:00:00Z'), 2).map((o) => o.dueLocal.slice(0, 10))).toEqual(['2014-10-01', '2014-10-02']);
  });
});

describe('advisory expires (regression: documented "left out of new posts", but never applied)', () => {
  const withExpiry = (expires: string) => ({
    ...NATIONAL_DAY_2014,
    advisories: NATIONAL_DAY_2014.advisories.map((a) => (a.id === 'vehicle-theft' ? { ...a, expires } : a)),
  });

  it('a bulletin due after an advisory expires leaves that advisory out', () => {
    const bulletin = plan([withExpiry('2014-09-28')], calendar, SEP_OCT_2014).occurrences.find((o) => o.schedule === 'bulletin')!;
    expect(bulletin.advisories).toEqual(['burglary', 'robbery', 'street-theft-fraud']);
  });

  it('a date-only expires includes its whole day; rotation goes on among the advisories in force', () => {
    const got = plan([withExpiry('2014-10-02')], calendar, SEP_OCT_2014).occurrences.filter((o) => o.schedule === 'daily-reminder');
    expect(got.map((o) => o.advisories[0])).toEqual(['burglary', 'vehicle-theft', 'street-theft-fraud', 'burglary', 'robbery', 'street-theft-fraud', 'burglary']);
  });
});
