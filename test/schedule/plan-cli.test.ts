/**
 * `advisory plan` end to end: the built CLI on the real repository, in child
 * processes with different TZ values, plus the in-process command for the
 * injected clock. Needs `npm run build` (npm test does it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { IO } from '../../src/cli/command.js';
import type { Occurrence } from '../../src/schedule/types.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const ADVISORIES = ['burglary', 'vehicle-theft', 'robbery', 'street-theft-fraud'];

function cli(args: string[], opts: { tz?: string; root?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--root', opts.root ?? ROOT], {
    env: { ...process.env, TZ: opts.tz ?? 'UTC' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function memoryIo(now: string): IO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date(now) };
}

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
});

describe('advisory plan --json on the shipped content', () => {
  const args = ['plan', '--from', '2014-09-01', '--to', '2014-10-31', '--json'];

  it('prints the same bytes under TZ=UTC and TZ=America/New_York', () => {
    const utc = cli(args, { tz: 'UTC' });
    const ny = cli(args, { tz: 'America/New_York' });
    expect(utc.code).toBe(0);
    expect(ny.code).toBe(0);
    expect(ny.stdout).toBe(utc.stdout);
  });

  it('prints the same plan for 2004–2035 under zones on both sides of UTC (chinese-days TZ regression)', () => {
    const wide = ['plan', '--from', '2004-01-01', '--to', '2035-12-31', '--json'];
    const utc = cli(wide, { tz: 'UTC' }).stdout;
    // 2014 (8) plus the evergreen campaign from its `starts: 2026-01-01` to 2035 (10 × 8).
    expect(JSON.parse(utc).occurrences.length).toBe(88);
    for (const tz of ['America/New_York', 'Pacific/Kiritimati']) expect(cli(wide, { tz }).stdout, tz).toBe(utc);
  });

  it('plans the 2014 bulletin and seven rotating weibo reminders', () => {
    const out = JSON.parse(cli(args, { tz: 'America/New_York' }).stdout) as { from: string; to: string; occurrences: Occurrence[]; warnings: string[] };
    expect(out.from).toBe('2014-08-31T16:00:00Z');
    expect(out.to).toBe('2014-10-31T16:00:00Z');
    expect(out.warnings).toEqual([]);
    const mine = out.occurrences.filter((o) => o.campaign === '2014-national-day');
    expect(mine).toHaveLength(8);
    expect(mine[0]).toMatchObject({
      key: '2014-national-day/bulletin/2014-09-29T01:00:00Z',
      dueLocal: '2014-09-29T09:00:00+08:00',
      channels: ['website', 'wechat', 'email'],
      advisories: ADVISORIES,
    });
    const reminders = mine.slice(1);
    expect(reminders.map((o) => o.dueLocal)).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => `2014-10-0${d}T08:00:00+08:00`));
    expect(reminders.every((o) => o.channels.join() === 'weibo')).toBe(true);
    expect(reminders.map((o) => o.advisories[0])).toEqual([...ADVISORIES, ...ADVISORIES.slice(0, 3)]);
    // The evergreen campaign is in force from its `starts: 2026-01-01`: nothing in 2014.
    expect(out.occurrences.filter((o) => o.campaign === 'national-day')).toHaveLength(0);
  });

  it('plans the evergreen campaign for the coming National Day with the estimated-calendar warning on stderr', () => {
    const r = cli(['plan', 'national-day', '--from', '2027-09-01', '--to', '2027-10-31']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2027-09-29 09:00 +08:00  2027-09-29 01:00Z  bulletin');
    expect(r.stdout).toContain('  holiday 国庆节 2027: off Oct 1–7 — estimated\n');
    expect(r.stdout).toMatch(/2027-10-07 08:00 \+08:00 +2027-10-07 00:00Z +daily-reminder +weibo +robbery/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('8 occurrences in 1 campaign.');
    expect(r.stderr).toBe(
      "warning: national-day 2027: 2027 is not in the built-in holiday calendar (chinese-days), so the dates are estimated (Oct 1–7). Write calendar/2027.yaml with the State Council's schedule (see README).\n",
    );
  });
});

describe('usage errors (exit 2)', () => {
  it.each([
    [['--from', '2014-13-01'], /--from: month 13 does not exist \(01–12\)/],
    [['--from', 'yesterday'], /--from: expected a date like 2014-09-01 or a date and time like 2014-09-29T09:00\+08:00; got "yesterday"/],
    [['--from', '2014-10-31', '--to', '2014-09-01'], /must be before --to.*Example: --from 2014-09-01 --to 2014-10-31/],
    [['2014-natonal-day'], /unknown campaign "2014-natonal-day". Did you mean "2014-national-day"\?/],
  ])('%j', (extra, message) => {
    const r = cli(['plan', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('on a copy of the project', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'advisory-plan-'));
    cpSync(join(ROOT, 'advisories'), join(dir, 'advisories'), { recursive: true });
    cpSync(join(ROOT, 'channels'), join(dir, 'channels'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes nothing (no var/)', () => {
    expect(cli(['plan', '--from', '2014-09-01', '--to', '2014-10-31'], { root: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'var'))).toBe(false);
  });

  it('prints content errors and no plan (exit 1)', () => {
    const file = join(dir, 'advisories/2014-national-day/campaign.yaml');
    writeFileSync(file, 'title: x\nissuer: y\nsummary: z\nschedule:\n  - name: bulletin\n    channels: [pigeon]\n    at: 2014-09-29T09:00\n');
    const r = cli(['plan', '--from', '2014-09-01', '--to', '2014-10-31', '--json'], { root: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^advisories\/2014-national-day\/campaign\.yaml:\d+:\d+: error /m);
    expect(r.stderr).toMatch(/no plan while content has errors/);
  });
});

describe('the default window', () => {
  it('runs from the injected now for 60 days', async () => {
    const io = memoryIo('2027-09-20T00:00:00Z');
    expect(await main(['plan', 'national-day', '--json', '--root', ROOT], io)).toBe(0);
    const out = JSON.parse(io.stdout.join('')) as { from: string; to: string; occurrences: Occurrence[] };
    expect([out.from, out.to]).toEqual(['2027-09-20T00:00:00Z', '2027-11-19T00:00:00Z']);
    expect(out.occurrences).toHaveLength(8);
    expect(io.stderr.join('')).toMatch(/national-day 2027: .*estimated/);
  });

  it('with only --from, runs 60 days from it', async () => {
    const io = memoryIo('2030-01-01T00:00:00Z');
    expect(await main(['plan', '2014-national-day', '--from', '2014-09-29', '--json', '--root', ROOT], io)).toBe(0);
    const out = JSON.parse(io.stdout.join('')) as { to: string; occurrences: Occurrence[] };
    expect(out.to).toBe('2014-11-27T16:00:00Z');
    expect(out.occurrences).toHaveLength(8);
  });
});
