import { afterEach, describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/holidays.js';
import { plan } from '../../src/schedule/plan.js';
import { NATIONAL_DAY_2014, NATIONAL_DAY_EVERGREEN, campaign } from '../fixtures/schedule/campaigns.js';

const calendar = createCalendar();
const w = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });

describe('time zones', () => {
  it('a DST zone keeps the local time across the change (America/New_York, 2021-03-14)', () => {
    const c = campaign({ timezone: 'America/New_York', year: 2021, schedule: [{ name: 'r', channels: ['weibo'], cron: '0 8 * * *', from: '2021-03-12', until: '2021-03-15' }] });
    const got = plan([c], calendar, w('2021-03-01T00:00:00Z', '2021-04-01T00:00:00Z')).occurrences;
    expect(got.map((o) => o.dueLocal)).toEqual(['2021-03-12T08:00:00-05:00', '2021-03-13T08:00:00-05:00', '2021-03-14T08:00:00-04:00', '2021-03-15T08:00:00-04:00']);
    expect(got.map((o) => o.dueUtc)).toEqual(['2021-03-12T13:00:00Z', '2021-03-13T13:00:00Z', '2021-03-14T12:00:00Z', '2021-03-15T12:00:00Z']);
    expect(got[0].timezone).toBe('America/New_York');
  });

  it('Asia/Shanghai (no DST) keeps the same UTC hour over the same dates', () => {
    const c = campaign({ year: 2021, schedule: [{ name: 'r', channels: ['weibo'], cron: '0 8 * * *', from: '2021-03-12', until: '2021-03-15' }] });
    const got = plan([c], calendar, w('2021-03-01T00:00:00Z', '2021-04-01T00:00:00Z')).occurrences;
    expect(new Set(got.map((o) => o.dueUtc.slice(11)))).toEqual(new Set(['00:00:00Z']));
  });

  it('an `at` without offset is read in the schedule\'s zone, else the campaign\'s, else Asia/Shanghai', () => {
    const at = '2014-09-29T09:00';
    const mk = (over: object, entry: object = {}) =>
      campaign({ year: 2014, ...over, schedule: [{ name: 'b', channels: ['email'], at, ...entry }] });
    const due = (c: ReturnType<typeof mk>) => plan([c], calendar, w('2014-09-01T00:00:00Z', '2014-10-01T00:00:00Z')).occurrences[0].dueUtc;
    expect(due(mk({}))).toBe('2014-09-29T01:00:00Z');
    expect(due(mk({ timezone: 'Europe/Berlin' }))).toBe('2014-09-29T07:00:00Z');
    expect(due(mk({ timezone: 'Europe/Berlin' }, { timezone: 'America/New_York' }))).toBe('2014-09-29T13:00:00Z');
    // An explicit offset wins over every zone.
    expect(due(mk({ timezone: 'Europe/Berlin' }, { at: '2014-09-29T09:00+08:00' }))).toBe('2014-09-29T01:00:00Z');
  });

  describe('does not depend on the process TZ', () => {
    const saved = process.env.TZ;
    afterEach(() => {
      process.env.TZ = saved;
    });
    it('plans the same under UTC, America/New_York and Pacific/Auckland', () => {
      const run = () => JSON.stringify(plan([NATIONAL_DAY_2014, NATIONAL_DAY_EVERGREEN], createCalendar(), w('2014-08-01T00:00:00Z', '2027-12-31T00:00:00Z')));
      process.env.TZ = 'UTC';
      const utc = run();
      process.env.TZ = 'America/New_York';
      expect(new Date(Date.UTC(2014, 0, 1)).getTimezoneOffset()).toBe(300); // the TZ change took effect
      expect(run()).toBe(utc);
      process.env.TZ = 'Pacific/Auckland';
      expect(run()).toBe(utc);
    });
  });
});

describe('evergreen campaigns', () => {
  it('plan the coming National Day from the estimated 2027 calendar, with its warning', () => {
    const { occurrences, warnings } = plan([NATIONAL_DAY_EVERGREEN], calendar, w('2026-11-27T00:00:00Z', '2027-12-01T00:00:00Z'));
    expect(occurrences.map((o) => `${o.dueLocal} ${o.schedule} ${o.advisories.join(',')}`)).toEqual([
      '2027-09-29T09:00:00+08:00 bulletin burglary,vehicle-theft,robbery,street-theft-fraud',
      '2027-10-01T08:00:00+08:00 daily-reminder burglary',
      '2027-10-02T08:00:00+08:00 daily-reminder vehicle-theft',
      '2027-10-03T08:00:00+08:00 daily-reminder robbery',
      '2027-10-04T08:00:00+08:00 daily-reminder street-theft-fraud',
      '2027-10-05T08:00:00+08:00 daily-reminder burglary',
      '2027-10-06T08:00:00+08:00 daily-reminder vehicle-theft',
      '2027-10-07T08:00:00+08:00 daily-reminder robbery',
    ]);
    expect(warnings).toEqual([
      "national-day 2027: 2027 is not in the built-in holiday calendar (chinese-days), so the dates are estimated (Oct 1–7). Write calendar/2027.yaml with the State Council's schedule (see README).",
    ]);
    expect(occurrences[0].key).toBe('national-day/bulletin/2027-09-29T01:00:00Z');
  });

  it('recur every year the window touches, each year from its own calendar (2025 is an 8-day merged break)', () => {
    const { occurrences, warnings } = plan([NATIONAL_DAY_EVERGREEN], calendar, w('2025-01-01T00:00:00Z', '2026-12-31T00:00:00Z'));
    const bulletins = occurrences.filter((o) => o.schedule === 'bulletin').map((o) => o.dueLocal);
    expect(bulletins).toEqual(['2025-09-29T09:00:00+08:00', '2026-09-29T09:00:00+08:00']);
    const reminders = occurrences.filter((o) => o.schedule === 'daily-reminder');
    expect(reminders.filter((o) => o.dueLocal.startsWith('2025'))).toHaveLength(8);
    expect(reminders.filter((o) => o.dueLocal.startsWith('2026'))).toHaveLength(7);
    // The rotation restarts with each year's holiday.
    expect(reminders.find((o) => o.dueLocal.startsWith('2026-10-01'))!.advisories).toEqual(['burglary']);
    expect(warnings).toEqual([]); // 2027 is resolved but contributes nothing to this window
  });
});

describe('the planning window', () => {
  it('may be very wide: years beyond the holiday calendar (1901–2099) are left out, not an error', () => {
    const { occurrences } = plan([NATIONAL_DAY_EVERGREEN], calendar, w('1800-01-01T00:00:00Z', '2300-01-01T00:00:00Z'));
    expect(occurrences[0].dueLocal).toBe('1901-09-29T09:00:00+08:00');
    expect(occurrences.at(-1)!.dueLocal).toBe('2099-10-07T08:00:00+08:00');
  });

  it('is half-open: due exactly at `from` is in, due exactly at `to` is out', () => {
    const at = (from: string, to: string) => plan([NATIONAL_DAY_2014], calendar, w(from, to)).occurrences.map((o) => o.dueUtc);
    expect(at('2014-09-29T01:00:00Z', '2014-10-01T00:00:00Z')).toEqual(['2014-09-29T01:00:00Z']);
    expect(at('2014-09-29T01:00:01Z', '2014-10-01T00:00:01Z')).toEqual(['2014-10-01T00:00:00Z']);
  });

  it('is the input: an empty window plans nothing', () => {
    expect(plan([NATIONAL_DAY_2014], calendar, w('2014-10-01T00:00:00Z', '2014-10-01T00:00:00Z')).occurrences).toEqual([]);
  });
});

describe('window (catch-up) ends', () => {
  const one = (entry: object, over: object = {}) => {
    const c = campaign({ year: 2014, ...over, schedule: [{ name: 's', channels: ['weibo'], ...entry }] });
    return plan([c], calendar, w('2014-09-01T00:00:00Z', '2014-11-01T00:00:00Z')).occurrences[0].windowEndsUtc;
  };
  it('takes minutes, hours and days', () => {
    expect(one({ at: '2014-09-29T09:00', window: '90m' })).toBe('2014-09-29T02:30:00Z');
    expect(one({ at: '2014-09-29T09:00', window: '2d' })).toBe('2014-10-01T01:00:00Z');
  });
  it('`holiday` runs to the end of the last day off; a cron defaults to 6h; an `at` without holiday to 24h', () => {
    expect(one({ cron: '0 8 * * *', during: 'holiday', window: 'holiday' }, { holiday: 'national-day' })).toBe('2014-10-07T16:00:00Z');
    expect(one({ cron: '0 8 * * *', during: 'holiday' }, { holiday: 'national-day' })).toBe('2014-10-01T06:00:00Z');
    expect(one({ at: '2014-09-29T09:00' })).toBe('2014-09-30T01:00:00Z');
  });
  it('a bulletin after the holiday gets 24h rather than a window that already ended', () => {
    expect(one({ at: { holiday: '+10d', time: '09:00' } }, { holiday: 'national-day' })).toBe('2014-10-12T01:00:00Z');
  });
  it('`holiday` never ends sooner than the default after the due time (a 23:00 reminder on the last day off keeps 6h)', () => {
    const c = campaign({ holiday: 'national-day', year: 2014, schedule: [{ name: 's', channels: ['weibo'], cron: '0 23 * * *', during: 'holiday', window: 'holiday' }] });
    const got = plan([c], calendar, w('2014-09-01T00:00:00Z', '2014-11-01T00:00:00Z')).occurrences.map((o) => o.windowEndsUtc);
    expect(got[0]).toBe('2014-10-07T16:00:00Z');
    expect(got.at(-1)).toBe('2014-10-07T21:00:00Z');
  });
});

describe('schedules that cannot be planned', () => {
  it('are skipped with a warning naming campaign and schedule, and the rest is still planned', () => {
    const c = campaign({
      year: 2014,
      schedule: [
        { name: 'bad-zone', channels: ['weibo'], at: '2014-09-29T09:00', timezone: 'Mars/Olympus' },
        { name: 'no-holiday', channels: ['weibo'], at: { holiday: '-2d', time: '09:00' } },
        { name: 'four-fields', channels: ['weibo'], cron: '0 8 * *' },
        { name: 'fine', channels: ['weibo'], at: '2014-09-29T10:00' },
      ],
    });
    const { occurrences, warnings } = plan([c], calendar, w('2014-09-01T00:00:00Z', '2014-11-01T00:00:00Z'));
    expect(occurrences.map((o) => o.schedule)).toEqual(['fine']);
    expect(warnings).toEqual([
      'test-campaign/bad-zone: unknown time zone "Mars/Olympus" (expected an IANA name like Asia/Shanghai); skipped',
      'test-campaign/no-holiday: "at: { holiday: … }" needs the campaign\'s holiday: key; skipped',
      'test-campaign/four-fields: cannot read cron "0 8 * *": expected 5 fields (minute hour day-of-month month day-of-week), found 4; skipped',
    ]);
  });
});

describe('ordering', () => {
  it('sorts by due time, then key, across campaigns', () => {
    const a = campaign({ id: 'b-campaign', year: 2014, schedule: [{ name: 'x', channels: ['weibo'], at: '2014-10-01T08:00' }] });
    const { occurrences } = plan([a, NATIONAL_DAY_2014], calendar, w('2014-09-30T00:00:00Z', '2014-10-02T00:00:00Z'));
    expect(occurrences.map((o) => o.key)).toEqual([
      '2014-national-day/daily-reminder/2014-10-01T00:00:00Z',
      'b-campaign/x/2014-10-01T00:00:00Z',
    ]);
  });
});
