import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/holidays.js';
import { HOLIDAY_KEYS } from '../../src/content/schema.js';

const calendar = createCalendar();

describe('official holidays (chinese-days)', () => {
  it('2014 National Day: Oct 1–7 off, Sep 28 and Oct 11 worked', () => {
    const p = calendar.resolve('national-day', 2014);
    expect(p).toMatchObject({ key: 'national-day', year: 2014, name: '国庆节', start: '2014-10-01', end: '2014-10-07', estimated: false, source: 'chinese-days' });
    expect(p.daysOff).toEqual(['2014-10-01', '2014-10-02', '2014-10-03', '2014-10-04', '2014-10-05', '2014-10-06', '2014-10-07']);
    expect(p.swappedWorkdays).toEqual(['2014-09-28', '2014-10-11']);
    expect(p.warning).toBeUndefined();
    expect(p.mergedWith).toBeUndefined();
  });

  it('counts the weekend that joins a holiday (2014 Dragon Boat: listed Jun 2, off May 31–Jun 2)', () => {
    const p = calendar.resolve('dragon-boat', 2014);
    expect(p.daysOff).toEqual(['2014-05-31', '2014-06-01', '2014-06-02']);
    expect(p.swappedWorkdays).toEqual([]);
  });

  it('2014 Spring Festival with its two swapped working days', () => {
    const p = calendar.resolve('spring-festival', 2014);
    expect([p.start, p.end]).toEqual(['2014-01-31', '2014-02-06']);
    expect(p.swappedWorkdays).toEqual(['2014-01-26', '2014-02-08']);
  });

  it('New Year 2019 starts in the previous December (and 2018 does not take 2018-12-30)', () => {
    const p = calendar.resolve('new-year', 2019);
    expect(p.daysOff).toEqual(['2018-12-30', '2018-12-31', '2019-01-01']);
    expect(p.swappedWorkdays).toEqual(['2018-12-29']);
    expect(calendar.resolve('new-year', 2018).daysOff).toEqual(['2017-12-30', '2017-12-31', '2018-01-01']);
  });

  it('a merged break (2023: mid-autumn Sep 29 + national-day) resolves to the whole break for both keys', () => {
    const nd = calendar.resolve('national-day', 2023);
    const ma = calendar.resolve('mid-autumn', 2023);
    expect([nd.start, nd.end]).toEqual(['2023-09-29', '2023-10-06']);
    expect(nd.daysOff).toHaveLength(8);
    expect(nd.swappedWorkdays).toEqual(['2023-10-07', '2023-10-08']);
    expect(nd.name).toBe('中秋节、国庆节');
    expect(nd.mergedWith).toEqual(['mid-autumn']);
    expect(ma.daysOff).toEqual(nd.daysOff);
    expect(ma.mergedWith).toEqual(['national-day']);
  });

  it('a merged break with mid-autumn inside (2025: Oct 1–8)', () => {
    const p = calendar.resolve('mid-autumn', 2025);
    expect([p.start, p.end]).toEqual(['2025-10-01', '2025-10-08']);
    expect(p.name).toBe('国庆节、中秋节');
    expect(p.swappedWorkdays).toEqual(['2025-09-28', '2025-10-11']);
  });

  it('a separate mid-autumn stays separate (2014: Sep 6–8)', () => {
    const p = calendar.resolve('mid-autumn', 2014);
    expect(p.daysOff).toEqual(['2014-09-06', '2014-09-07', '2014-09-08']);
    expect(p.mergedWith).toBeUndefined();
  });

  it('resolves every key of a covered year without estimating', () => {
    for (const key of HOLIDAY_KEYS) expect(calendar.resolve(key, 2026).estimated, key).toBe(false);
  });
});

describe('years chinese-days does not cover', () => {
  it('2027 National Day: Oct 1–7, estimated, with a warning that says what to do', () => {
    const p = calendar.resolve('national-day', 2027);
    expect(p).toMatchObject({ start: '2027-10-01', end: '2027-10-07', estimated: true, source: 'estimated', swappedWorkdays: [] });
    expect(p.daysOff).toHaveLength(7);
    expect(p.warning).toBe(
      "national-day 2027: 2027 is not in the built-in holiday calendar (chinese-days), so the dates are estimated (Oct 1–7). Write calendar/2027.yaml with the State Council's schedule (see README).",
    );
  });

  it('lunar and solar-term festivals come from their dates', () => {
    expect(calendar.resolve('mid-autumn', 2027).daysOff).toEqual(['2027-09-15']);
    expect(calendar.resolve('dragon-boat', 2027).daysOff).toEqual(['2027-06-09']);
    expect(calendar.resolve('qingming', 2027).daysOff).toEqual(['2027-04-05']);
    expect(calendar.resolve('new-year', 2027).daysOff).toEqual(['2027-01-01']);
    expect(calendar.resolve('labour-day', 2027).daysOff).toEqual(['2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05']);
    // 除夕 (Feb 5) through 初六: Chinese New Year 2027 is Feb 6.
    const sf = calendar.resolve('spring-festival', 2027);
    expect([sf.start, sf.end]).toEqual(['2027-02-05', '2027-02-11']);
    expect(sf.warning).toMatch(/^spring-festival 2027: .*the dates are estimated \(Feb 5–11\)/);
  });

  it('a covered year without that holiday (qingming 2005, before it was a day off) is estimated too, without advice to write a file', () => {
    const p = calendar.resolve('qingming', 2005);
    expect(p.estimated).toBe(true);
    expect(p.warning).toBe('qingming 2005: chinese-days lists no official day off for qingming in 2005, so the dates are estimated (Apr 5).');
  });

  it('rejects a year outside the calendar and an unknown key', () => {
    expect(() => calendar.resolve('national-day', 1850)).toThrow(/covers 1901–2099/);
    expect(() => calendar.resolve('halloween' as never, 2014)).toThrow(/unknown holiday "halloween"/);
  });

  it('returns the same frozen period on a second call', () => {
    const a = calendar.resolve('national-day', 2014);
    expect(calendar.resolve('national-day', 2014)).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.daysOff)).toBe(true);
  });
});
