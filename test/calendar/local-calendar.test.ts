/**
 * The project's own years (calendar/<year>.yaml) in the calendar: they take precedence over chinese-days
 * for the holidays they list, even a year the package covers; the others still come from the package or
 * an estimate; every period says where its dates come from. Reading the folder: content/project-calendar.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCalendar } from '../../src/calendar/holidays.js';
import { joinBreak } from '../../src/calendar/local.js';
import type { LocalYear } from '../../src/calendar/types.js';
import { loadProjectCalendar } from '../../src/content/project-calendar.js';
import { parseCalendarFile } from '../../src/content/calendar-file.js';
import { validateCampaign } from '../../src/content/validate-campaign.js';
import { readYaml } from '../../src/content/yaml-source.js';
import { CampaignSchema } from '../../src/content/schema.js';

const year2027: LocalYear = {
  year: 2027,
  file: 'calendar/2027.yaml',
  holidays: {
    // Fri Feb 5 … Sat Feb 13, Sunday Feb 14 worked (so not joined to the break)
    'spring-festival': { off: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'], work: ['2027-02-14', '2027-02-20'] },
  },
};

describe('precedence: calendar/<year>.yaml, then chinese-days, then the estimate', () => {
  const calendar = createCalendar([year2027]);

  it('a year the package does not cover: the file\'s holiday is official, marked with its source', () => {
    const p = calendar.resolve('spring-festival', 2027);
    expect(p).toMatchObject({ start: '2027-02-05', end: '2027-02-13', estimated: false, source: 'local', file: 'calendar/2027.yaml', name: '春节' });
    expect(p.daysOff).toHaveLength(9);
    expect(p.swappedWorkdays).toEqual(['2027-02-14', '2027-02-20']);
    expect(p.warning).toBeUndefined();
    expect(calendar.localYears).toEqual(new Map([[2027, 'calendar/2027.yaml']]));
  });

  it('a holiday the file does not list is estimated, and the warning names the file to add it to', () => {
    const p = calendar.resolve('national-day', 2027);
    expect(p).toMatchObject({ source: 'estimated', estimated: true, start: '2027-10-01', end: '2027-10-07' });
    expect(p.warning).toBe('national-day 2027: calendar/2027.yaml does not list national-day (国庆节), so the dates are estimated (Oct 1–7). Add national-day: with its days off (off:) and swapped working days (work:) to calendar/2027.yaml.');
  });

  it('without the file the year is estimated, and the warning names the file to write', () => {
    const p = createCalendar().resolve('spring-festival', 2027);
    expect(p).toMatchObject({ source: 'estimated', estimated: true });
    expect(p.warning).toBe("spring-festival 2027: 2027 is not in the built-in holiday calendar (chinese-days), so the dates are estimated (Feb 5–11). Write calendar/2027.yaml with the State Council's schedule (see README).");
  });

  it('a covered year (2026) overridden: the file wins for the holiday it lists, the package keeps the others', () => {
    const package2026 = createCalendar().resolve('spring-festival', 2026);
    expect(package2026).toMatchObject({ source: 'chinese-days', start: '2026-02-15' });
    const overridden = createCalendar([{ year: 2026, file: 'calendar/2026.yaml', holidays: { 'spring-festival': { off: ['2026-02-17', '2026-02-18', '2026-02-19'], work: [] } } }]);
    expect(overridden.resolve('spring-festival', 2026)).toMatchObject({ source: 'local', file: 'calendar/2026.yaml', start: '2026-02-17', end: '2026-02-19', swappedWorkdays: [] });
    expect(overridden.resolve('national-day', 2026)).toEqual(createCalendar().resolve('national-day', 2026));
    expect(overridden.resolve('national-day', 2026).source).toBe('chinese-days');
  });
});

describe('the rules chinese-days follows, for a file too', () => {
  it('the weekend next to a break joins it unless it is a working day (a notice\'s "与周末连休")', () => {
    expect(joinBreak(['2027-01-01'], new Set())).toEqual({ days: ['2027-01-01', '2027-01-02', '2027-01-03'], missing: [] });
    expect(joinBreak(['2027-01-01'], new Set(['2027-01-02'])).days).toEqual(['2027-01-01']);
    // a weekend between two listed runs joins them; a weekday between them is missing
    expect(joinBreak(['2027-10-01', '2027-10-04'], new Set())).toEqual({ days: ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04'], missing: [] });
    expect(joinBreak(['2027-10-04', '2027-10-06'], new Set()).missing).toEqual(['2027-10-05']);
    const p = createCalendar([{ year: 2027, file: 'calendar/2027.yaml', holidays: { 'new-year': { off: ['2027-01-01'], work: [] } } }]).resolve('new-year', 2027);
    expect(p.daysOff).toEqual(['2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('holidays whose breaks touch are one break, each key resolving to the whole of it (mid-autumn inside national-day)', () => {
    const { local, problems } = parseCalendarFile('mid-autumn:\n  off: 2028-10-01..2028-10-03\nnational-day:\n  off: 2028-10-01..2028-10-08\n  work: [2028-09-24, 2028-10-14]\n', 'calendar/2028.yaml', 2028);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const calendar = createCalendar([local]);
    const nd = calendar.resolve('national-day', 2028);
    const ma = calendar.resolve('mid-autumn', 2028);
    expect([nd.start, nd.end]).toEqual(['2028-09-30', '2028-10-08']); // Sat Sep 30 joins
    expect(ma.daysOff).toEqual(nd.daysOff);
    expect(nd).toMatchObject({ name: '中秋节、国庆节', mergedWith: ['mid-autumn'], swappedWorkdays: ['2028-09-24', '2028-10-14'] });
    expect(ma.mergedWith).toEqual(['national-day']);
  });
});

describe('calendar/ in a project', () => {
  const temps: string[] = [];
  afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const project = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-calendar-'));
    temps.push(dir);
    mkdirSync(join(dir, 'calendar'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'calendar', name), text);
    return dir;
  };

  it('no folder: chinese-days alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-calendar-'));
    temps.push(dir);
    const r = loadProjectCalendar(dir);
    expect(r.problems).toEqual([]);
    expect(r.calendar.localYears.size).toBe(0);
  });

  it('reads calendar/YYYY.yaml (and .yml); misnamed files are problems; notes are left alone', () => {
    const dir = project({
      '2027.yaml': 'spring-festival:\n  off: 2027-02-06..2027-02-12\n',
      '2028.yml': 'national-day:\n  off: 2028-10-01..2028-10-07\n',
      '2029年.yaml': 'new-year:\n  off: 2029-01-01\n',
      '2030.yaml.txt': '',
      'README.md': 'notes',
    });
    const r = loadProjectCalendar(dir);
    expect(r.calendar.resolve('spring-festival', 2027).source).toBe('local');
    expect(r.calendar.resolve('national-day', 2028)).toMatchObject({ source: 'local', file: 'calendar/2028.yml' });
    expect(r.problems.map((p) => `${p.file} ${p.severity} ${p.rule}`)).toEqual([
      'calendar/2029年.yaml error calendar-file-name',
      'calendar/2030.yaml.txt warning calendar-file-name',
    ]);
    expect(r.problems[0].message).toContain('rename it to 2029.yaml');
  });

  it('a file with errors: its problems with their places; the holidays it reads without error still apply', () => {
    const dir = project({ '2027.yaml': 'spring-festival:\n  off: 2027-02-06..2027-02-12\nnational-day:\n  off: 2027-10-07..2027-10-01\n' });
    const r = loadProjectCalendar(dir);
    expect(r.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule}`)).toEqual(['calendar/2027.yaml:4:8 calendar-range']);
    expect(r.calendar.resolve('spring-festival', 2027).source).toBe('local');
    expect(r.calendar.resolve('national-day', 2027).source).toBe('estimated');
  });
});

describe('check: a campaign in an estimated year is warned, naming the file to write', () => {
  const check = (yaml: string, calendar = createCalendar(), now?: Date) => {
    const src = readYaml(yaml, 'advisories/x/campaign.yaml');
    const data = CampaignSchema.parse(src.value);
    return validateCampaign(data, src, 'advisories/x/campaign.yaml', { calendar, now }).filter((p) => p.rule === 'calendar-estimated');
  };
  const base = 'title: t\nissuer: i\nsummary: s\nholiday: spring-festival\n';

  it('a campaign of 2027: at its year, until calendar/2027.yaml gives the holiday', () => {
    const ps = check(`${base}year: 2027\n`);
    expect(ps).toMatchObject([{ line: 5, column: 7, severity: 'warning' }]);
    expect(ps[0].message).toMatch(/2027 is not in the built-in holiday calendar.*Write calendar\/2027\.yaml with the State Council's schedule \(see README\)/);
    expect(check(`${base}year: 2027\n`, createCalendar([year2027]))).toEqual([]);
  });

  it('an evergreen campaign timed by its holiday: when its next holiday falls in an estimated year (the coming one, once this year\'s is over)', () => {
    const evergreen = `${base}schedule:\n  - name: bulletin\n    channels: [website]\n    at: { holiday: -2d, time: "09:00" }\n`;
    // 2026-12-02: the 2026 Spring Festival is over; the next is in 2027
    const ps = check(evergreen, createCalendar(), new Date('2026-12-02T04:00:00Z'));
    expect(ps).toMatchObject([{ line: 4, column: 10 }]);
    expect(ps[0].message).toMatch(/^the next 春节 is in 2027: spring-festival 2027: 2027 is not in the built-in holiday calendar/);
    expect(check(evergreen, createCalendar([year2027]), new Date('2026-12-02T04:00:00Z'))).toEqual([]);
    // in January 2026 the next one is 2026's, which chinese-days has
    expect(check(evergreen, createCalendar(), new Date('2026-01-10T04:00:00Z'))).toEqual([]);
    // times that do not follow the holiday (an absolute at) do not depend on its dates
    const absolute = `${base}schedule:\n  - name: bulletin\n    channels: [website]\n    at: 2027-02-03T09:00+08:00\n`;
    expect(check(absolute, createCalendar(), new Date('2026-12-02T04:00:00Z'))).toEqual([]);
  });
});

describe('a holiday whose entry in the file has an error', () => {
  it('is estimated until fixed, and the warning says the entry has an error instead of that it is not listed', async () => {
    const { parseCalendarFile } = await import('../../src/content/calendar-file.js');
    const { createCalendar } = await import('../../src/calendar/holidays.js');
    const parsed = parseCalendarFile('spring-festival:\n  off: 2027-02-05..2027-02-13\n  work: [2027-02-14, 2月20日]\n', 'calendar/2027.yaml', 2027);
    expect(parsed.problems.some((p) => p.severity === 'error')).toBe(true);
    const period = createCalendar([parsed.local]).resolve('spring-festival', 2027);
    expect(period.estimated).toBe(true);
    expect(period.warning).toContain('in calendar/2027.yaml has an error');
    expect(period.warning).not.toContain('does not list');
  });
});
