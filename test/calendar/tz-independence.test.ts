/**
 * Regression: chinese-days' getDayDetail / getSolarDateFromLunar format dates
 * with local-time getters, so under America/New_York they answered for the
 * wrong day (2017-10-09 a day off; 2027 春节 on Feb 7). The calendar must give
 * the same answer under any process TZ. Runs the built calendar in child
 * processes (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MODULE = join(ROOT, 'dist/calendar/holidays.js');

beforeAll(() => {
  if (!existsSync(MODULE)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
});

const script = `
import { createCalendar } from ${JSON.stringify(pathToFileURL(MODULE).href)};
const keys = ['new-year', 'spring-festival', 'qingming', 'labour-day', 'dragon-boat', 'mid-autumn', 'national-day'];
const c = createCalendar();
const out = [];
for (let y = 2004; y <= 2032; y++) for (const k of keys) out.push(c.resolve(k, y));
process.stdout.write(JSON.stringify(out));
`;

const run = (tz: string) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });

it('resolves every key of 2004–2032 identically under UTC, America/New_York, America/Santiago and Pacific/Kiritimati', () => {
  const utc = run('UTC');
  const periods = JSON.parse(utc) as { key: string; year: number; start: string; estimated: boolean }[];
  expect(periods.find((p) => p.key === 'national-day' && p.year === 2017)?.start).toBe('2017-10-01');
  expect(periods.find((p) => p.key === 'spring-festival' && p.year === 2027)?.start).toBe('2027-02-05');
  for (const tz of ['America/New_York', 'America/Santiago', 'Pacific/Kiritimati']) expect(run(tz), tz).toBe(utc);
});
