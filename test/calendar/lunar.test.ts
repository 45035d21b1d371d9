import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/holidays.js';
import { qingmingDate, solarFromLunar } from '../../src/calendar/lunar.js';

describe('festival dates (the fallback for uncovered years)', () => {
  it('knows some festivals, leap-month years included', () => {
    expect(solarFromLunar(2027, 1, 1)).toBe('2027-02-06'); // 春节 2027
    expect(solarFromLunar(2014, 8, 15)).toBe('2014-09-08');
    expect(solarFromLunar(2020, 5, 5)).toBe('2020-06-25'); // 2020 has a leap 4th month
    expect(solarFromLunar(2017, 8, 15)).toBe('2017-10-04'); // 2017 has a leap 6th month
    expect(solarFromLunar(2023, 8, 15)).toBe('2023-09-29');
    expect(qingmingDate(2024)).toBe('2024-04-04');
    expect(qingmingDate(2027)).toBe('2027-04-05');
  });

  it('falls within the official days off of every year chinese-days covers (2008–2026)', () => {
    const calendar = createCalendar();
    for (let year = 2008; year <= 2026; year++) {
      expect(calendar.resolve('spring-festival', year).daysOff, `spring-festival ${year}`).toContain(solarFromLunar(year, 1, 1));
      expect(calendar.resolve('dragon-boat', year).daysOff, `dragon-boat ${year}`).toContain(solarFromLunar(year, 5, 5));
      expect(calendar.resolve('mid-autumn', year).daysOff, `mid-autumn ${year}`).toContain(solarFromLunar(year, 8, 15));
      expect(calendar.resolve('qingming', year).daysOff, `qingming ${year}`).toContain(qingmingDate(year));
    }
  });
});
