/**
 * calendar/2027.yaml end to end, as staff meet it: `check` warns that 2027 is estimated and names the file
 * to write; once written, `check` is clean of it (the check cache sees the edit), `plan` shows the file's
 * dates as "official (local file calendar/2027.yaml)", `advisory calendar 2027` says where each holiday
 * comes from, and the daemon's dispatcher fires on the file's dates. An invalid file stops check (exit 1,
 * file:line:column), plan and publish. Needs `npm run build` (npm test does it).
 * The 2027 dates below are test data, not the State Council's schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/delivery/store/index.js';
import { ManualClock } from '../../src/delivery/clock.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { projectPlanner } from '../../src/app/project-planner.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { createRenderer } from '../../src/render/create.js';
import type { ChannelName } from '../../src/channels/channel.js';
import { seeded, silent, TestChannel } from '../delivery/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const temps: string[] = [];

const CAMPAIGN = [
  'title: 2027年春节期间安全防范提示',
  'issuer: 章丘市公安局',
  'holiday: spring-festival',
  'year: 2027',
  'summary: 春节将至，请市民增强安全防范意识。',
  'schedule:',
  '  - name: bulletin',
  '    channels: [website]',
  '    at: { holiday: -2d, time: "09:00" }',
  '  - name: daily-reminder',
  '    channels: [weibo]',
  '    cron: "0 8 * * *"',
  '    during: holiday',
  '',
].join('\n');
const ADVISORY = '---\ntitle: 防范入室盗窃\nsummary: 节日外出前关好门窗。\n---\n## 防范建议\n- 关好门窗。\n';
/** Sat Feb 6 – Sun Feb 14 off (the estimate is Feb 5–11), two Saturdays/Sundays worked. */
const CALENDAR_2027 = '# 2027 年部分节假日安排（测试数据）\nspring-festival:\n  off: 2027-02-06..2027-02-14\n  work: [2027-01-31, 2027-02-20]\n';

function project(folder = '2027-spring-festival'): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-calendar-cli-'));
  temps.push(dir);
  cpSync(join(ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(ROOT, 'channels'), join(dir, 'channels'), { recursive: true });
  mkdirSync(join(dir, 'advisories', folder), { recursive: true });
  writeFileSync(join(dir, 'advisories', folder, 'campaign.yaml'), CAMPAIGN);
  writeFileSync(join(dir, 'advisories', folder, '01-burglary.md'), ADVISORY);
  return dir;
}

function cli(root: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--root', root], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ADVISORY_LANG: 'en' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before these tests`);
});
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('calendar/2027.yaml end to end', () => {
  let root: string;
  beforeAll(() => {
    root = project();
  });

  it('check warns that 2027 is estimated, naming the file to write', () => {
    const r = cli(root, 'check');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "advisories/2027-spring-festival/campaign.yaml:4:7: warning spring-festival 2027: 2027 is not in the built-in holiday calendar (chinese-days), so the dates are estimated (Feb 5–11). Write calendar/2027.yaml with the State Council's schedule (see README). [calendar-estimated]\n",
    );
    expect(cli(root, 'calendar', '2027').out).toMatch(/春节 spring-festival — estimated from the lunar date \(除夕 to 初六\): no official schedule for 2027/);
  });

  it('with the file written: check is clean of it (the cached result is not reused), plan shows its dates and source', () => {
    mkdirSync(join(root, 'calendar'));
    writeFileSync(join(root, 'calendar/2027.yaml'), CALENDAR_2027);
    const check = cli(root, 'check');
    expect(check.code).toBe(0);
    expect(check.out).not.toContain('calendar-estimated');
    expect(check.out).not.toContain('calendar/2027.yaml');

    const plan = cli(root, 'plan', '--from', '2027-01-25', '--to', '2027-02-28');
    expect(plan.code).toBe(0);
    expect(plan.err).toBe('');
    expect(plan.out).toContain('  holiday 春节 2027: off Feb 6–14, swapped working days Jan 31, Feb 20 — official (local file calendar/2027.yaml)\n');
    expect(plan.out).toMatch(/2027-02-04 09:00 \+08:00 +2027-02-04 01:00Z +bulletin/);
    const reminders = [...plan.out.matchAll(/^ {2}(2027-02-\d\d) 08:00 .*daily-reminder/gm)].map((m) => m[1]);
    expect(reminders).toEqual(['06', '07', '08', '09', '10', '11', '12', '13', '14'].map((d) => `2027-02-${d}`));
    expect(plan.out.trimEnd().split('\n').at(-1)).toBe('10 occurrences in 1 campaign.');

    const json = JSON.parse(cli(root, 'plan', '--from', '2027-01-25', '--to', '2027-02-28', '--json').out);
    expect(json.holidays).toMatchObject([{ campaign: '2027-spring-festival', key: 'spring-festival', source: 'local', file: 'calendar/2027.yaml', start: '2027-02-06', end: '2027-02-14' }]);
  });

  it('advisory calendar 2027 lists every holiday with where it comes from', () => {
    const r = cli(root, 'calendar', '2027');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain([
      '春节 spring-festival — official, from the local file calendar/2027.yaml',
      '  off   2027-02-06 (Sat) … 2027-02-14 (Sun), 9 days',
      '  work  2027-01-31 (Sun), 2027-02-20 (Sat)',
    ].join('\n'));
    expect(r.out).toContain('国庆节 national-day — estimated from the fixed dates (Oct 1–7): no official schedule for 2027');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('6 holidays are estimated: add them to calendar/2027.yaml (see README "The holiday calendar").');
    const json = JSON.parse(cli(root, 'calendar', '2027', '--json').out);
    expect(json.holidays.map((h: { key: string; source: string }) => `${h.key} ${h.source}`)).toEqual([
      'new-year estimated', 'spring-festival local', 'qingming estimated', 'labour-day estimated', 'dragon-boat estimated', 'mid-autumn estimated', 'national-day estimated',
    ]);
    // a year chinese-days covers
    const y2026 = cli(root, 'calendar', '2026');
    expect(y2026.out).toMatch(/春节 spring-festival — official, from the built-in package chinese-days \d+\.\d+\.\d+\n {2}off {3}2026-02-15 \(Sun\) … 2026-02-23 \(Mon\), 9 days/);
  });

  it('the daemon\'s dispatcher fires on the dates of the file', async () => {
    mkdirSync(join(root, 'calendar'), { recursive: true });
    writeFileSync(join(root, 'calendar/2027.yaml'), CALENDAR_2027);
    const store = await openStore({ kind: 'sqlite', varDir: join(root, 'var', 'dispatch-test') });
    try {
      const clock = new ManualClock('2027-02-03T01:00:00Z'); // the estimate's bulletin time: nothing now
      const channels = new Map<ChannelName, TestChannel>((['website', 'wechat', 'weibo', 'email'] as const).map((n) => [n, new TestChannel(n, 'sandbox')]));
      const now = () => clock.now();
      const dispatcher = new Dispatcher({
        store, channels, renderer: createRenderer(root), planner: projectPlanner(root, silent, now), log: silent, now, random: seeded(7),
        root, varDir: join(root, 'var', 'dispatch-test'), failpoints: parseFailpoints(undefined),
      });
      await dispatcher.wake();
      expect(await store.list()).toHaveLength(0);
      expect((await dispatcher.nextWakeAt())?.toISOString()).toBe('2027-02-04T01:00:00.000Z');
      clock.set('2027-02-04T01:00:00Z');
      await dispatcher.wake();
      expect(await store.get('2027-spring-festival/bulletin/website/2027-02-04T01:00:00Z')).toMatchObject({ state: 'sent' });
      // the last reminder is on the file's last day off, Feb 14 (the estimate ends Feb 11)
      clock.set('2027-02-14T00:00:00Z');
      dispatcher.requestPlan();
      await dispatcher.wake();
      expect(await store.get('2027-spring-festival/daily-reminder/weibo/2027-02-14T00:00:00Z')).toMatchObject({ state: 'sent' });
    } finally {
      await store.close();
    }
  });

  it('usage: no year or a bad one exits 2', () => {
    expect(cli(root, 'calendar')).toMatchObject({ code: 2, err: expect.stringMatching(/name the year, e\.g\. advisory calendar 2027/) });
    expect(cli(root, 'calendar', '27')).toMatchObject({ code: 2, err: expect.stringMatching(/"27" is not a year/) });
    expect(cli(root, 'calendar', '2200')).toMatchObject({ code: 2, err: expect.stringMatching(/covers 1901–2099/) });
  });
});

describe('an invalid calendar file', () => {
  it('check exits 1 with file:line:column; plan, calendar, publish and the daemon\'s planner refuse', () => {
    const root = project();
    mkdirSync(join(root, 'calendar'));
    writeFileSync(join(root, 'calendar/2027.yaml'), 'spring-festival:\n  off: 2027-02-14..2027-02-06\n');
    const check = cli(root, 'check');
    expect(check.code).toBe(1);
    expect(check.out).toContain('calendar/2027.yaml:2:8: error the range 2027-02-14..2027-02-06 ends before it starts: write the earlier date first, 2027-02-06..2027-02-14 [calendar-range]\n');
    expect(check.out).toMatch(/: 1 error, /);

    const plan = cli(root, 'plan', '--from', '2027-01-25', '--to', '2027-02-28');
    expect(plan.code).toBe(1);
    expect(plan.err).toContain('calendar/2027.yaml:2:8: error');

    const calendar = cli(root, 'calendar', '2027');
    expect(calendar.code).toBe(1);
    expect(calendar.err).toContain('calendar/2027.yaml:2:8: error');
    expect(calendar.out).toBe('');

    const publish = cli(root, 'publish', '2027-spring-festival', '--now', '--channel', 'website');
    expect(publish.code).toBe(1);
    expect(publish.err).toContain('calendar/2027.yaml:2:8: error');
    expect(existsSync(join(root, 'var', 'site'))).toBe(false);

    // the daemon's planner plans nothing until the file is fixed, and logs why
    const logged: string[] = [];
    const log = { error: (_o: unknown, m: string) => logged.push(m), warn: () => {} } as unknown as typeof silent;
    const planner = projectPlanner(root, log, () => new Date('2027-02-01T00:00:00Z'));
    expect(planner.campaigns()).toEqual([]);
    expect(logged).toEqual([expect.stringMatching(/^nothing is planned or published until the holiday calendar is fixed: calendar\/2027\.yaml:2:8: error /)]);
    writeFileSync(join(root, 'calendar/2027.yaml'), CALENDAR_2027);
    expect(planner.campaigns().map((c) => c.id)).toEqual(['2027-spring-festival']);
  });
});

describe('a campaign folder named in Chinese', () => {
  it('gets a pinyin id: check shows it, commands take either name, the website and the ledger use the id', async () => {
    const root = project('2027-春节');
    const check = cli(root, 'check');
    expect(check.code).toBe(0);
    expect(check.out).toContain('advisories/2027-春节/: campaign id "2027-chun-jie" (the folder name in pinyin); its page: http://127.0.0.1:4321/2027-chun-jie/. Use either name in commands (advisory plan 2027-chun-jie); to choose another id, set id: in campaign.yaml\n');
    expect(JSON.parse(cli(root, 'check', '--json').out).campaigns).toEqual([{ id: '2027-chun-jie', folder: '2027-春节', advisories: ['burglary'] }]);

    for (const name of ['2027-春节', '2027-chun-jie', 'advisories/2027-春节/']) {
      const plan = cli(root, 'plan', name, '--from', '2027-02-01', '--to', '2027-02-05');
      expect(plan.code, name).toBe(0);
      expect(plan.out, name).toMatch(/^2027-chun-jie — 2027年春节期间安全防范提示$/m);
    }
    expect(cli(root, 'plan', '2027-chun-jei')).toMatchObject({ code: 2, err: expect.stringMatching(/Did you mean "2027-chun-jie"\?/) });

    const publish = cli(root, 'publish', '2027-chun-jie', '--now', '--channel', 'website');
    expect(publish.code).toBe(0);
    expect(publish.out).toMatch(/^2027-chun-jie: 1 sent/m);
    expect(existsSync(join(root, 'var', 'site', '2027-chun-jie', 'burglary', 'index.html'))).toBe(true);
    const store = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
    try {
      expect((await store.list()).map((d) => `${d.campaign} ${d.key.replace(/\d{4}-\d\d-\d\dT[\d:]+Z$/, 'T')} ${d.state}`)).toEqual(['2027-chun-jie 2027-chun-jie/manual/website/T sent']);
    } finally {
      await store.close();
    }
  });
});
