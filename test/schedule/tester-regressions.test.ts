/** Planner bugs found by probing with hand-made input; one test per bug. */
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/holidays.js';
import { plan } from '../../src/schedule/plan.js';
import { checkCron } from '../../src/schedule/cron.js';
import { cronProblem } from '../../src/content/datetime.js';
import { campaign } from '../fixtures/schedule/campaigns.js';

const calendar = createCalendar();
const OCT_1_2_2014 = { from: new Date('2014-09-30T16:00:00Z'), to: new Date('2014-10-02T16:00:00Z') };

describe('cron expressions check accepts are planned', () => {
  it('a six-field cron (seconds first), which check accepts, is planned instead of skipped with a warning', () => {
    expect(cronProblem('0 0 8 * * *', 'Asia/Shanghai')).toBeUndefined();
    const c = campaign({ id: 'six', year: 2014, holiday: 'national-day', schedule: [{ name: 'r', channels: ['weibo'], cron: '30 0 8 * * *' }] });
    const { occurrences, warnings } = plan([c], calendar, OCT_1_2_2014);
    expect(warnings).toEqual([]);
    expect(occurrences.map((o) => o.dueLocal)).toEqual(['2014-10-01T08:00:30+08:00', '2014-10-02T08:00:30+08:00']);
  });

  it('plan and check agree on what a valid cron is', () => {
    for (const expr of ['0 8 * * *', '0 0 8 * * *', '*/15 8 * * 1-5', '0 8 * * MON', '0 8 * * 7', '@daily', '0 8 * *', 'H 8 * * *', '60 8 * * *']) {
      expect(checkCron(expr).ok, expr).toBe(cronProblem(expr, 'UTC') === undefined);
    }
  });
});
