/**
 * Regression: a `pick: rotate` cron planned its rotation index by enumerating
 * every firing since the series' start (a per-minute cron anchored on Jan 1
 * took ~37 s per plan, on every daemon wake). countCronFirings counts them a
 * day at a time; it must agree exactly with enumeration.
 */
import { describe, expect, it } from 'vitest';
import { countCronFirings, cronFirings } from '../../src/schedule/cron.js';
import { plan } from '../../src/schedule/plan.js';
import { createCalendar } from '../../src/calendar/holidays.js';
import { campaign, ADVISORY_IDS } from '../fixtures/schedule/campaigns.js';

const t = (iso: string) => Date.parse(iso);

describe('countCronFirings agrees with enumeration', () => {
  const exprs = ['0 8 * * *', '*/20 * * * *', '0 8 * * 1-5', '30 7 1,15 * 0', '0 9 13 * 5', '15 */3 * 2,3 *', '0 0 29 2 *', '0 2 * * *', '30 1 * * 0', '10 0 8 * * *'];
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'UTC'];
  for (const zone of zones) {
    for (const e of exprs) {
      it(`${e} in ${zone}`, () => {
        // Spans around both DST changes (in the zones that have them) and a leap day, with partial first and last days.
        for (const [from, to] of [['2024-02-20T05:17:00Z', '2024-04-02T19:41:00Z'], ['2024-10-20T23:59:00Z', '2024-11-06T00:01:00Z']]) {
          const [a, b] = [t(from), t(to)];
          expect(countCronFirings(e, zone, a, b)).toBe(cronFirings(e, zone, a, b).firings.length);
        }
      });
    }
  }
  it('is 0 for an empty span', () => {
    expect(countCronFirings('* * * * *', 'UTC', 10, 10)).toBe(0);
  });
});

describe('rotation of a window late in a long series', () => {
  it('carries the same advisory whether the window starts at the series start or months later', () => {
    const c = campaign({ year: 2014, schedule: [{ name: 'r', channels: ['weibo'], cron: '0 */5 * * *', pick: 'rotate', from: '2014-01-01' }] });
    const cal = createCalendar();
    const whole = plan([c], cal, { from: new Date(t('2014-01-01T00:00:00Z')), to: new Date(t('2014-12-01T00:00:00Z')) }).occurrences;
    const late = plan([c], cal, { from: new Date(t('2014-11-20T03:00:00Z')), to: new Date(t('2014-12-01T00:00:00Z')) }).occurrences;
    expect(late.length).toBeGreaterThan(10);
    const byKey = new Map(whole.map((o) => [o.key, o.advisories]));
    for (const o of late) expect(o.advisories).toEqual(byKey.get(o.key));
    expect(new Set(late.map((o) => o.advisories[0]))).toEqual(new Set(ADVISORY_IDS));
  });
});
