/**
 * `advisory check | new | schema` as a user runs them: the built CLI
 * (`npm run build` first; `npm test` does), real files, exit codes and output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/in-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const FIXTURES = join(ROOT, 'test/fixtures/content');
const temps: string[] = [];

/** The CLI in this process (messages and exit codes: no child process needed). */
const run = (...args: string[]) => runCli(args);

/** A temp project: the fixture's advisories plus the real templates and channel configs (for the channel checks). */
function project(fixture?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-cli-'));
  temps.push(dir);
  if (fixture) cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  cpSync(join(ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(ROOT, 'channels'), join(dir, 'channels'), { recursive: true });
  return dir;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before these tests`);
});
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('the built CLI as a process', () => {
  it('exits with the code the command returns, output on the right streams (the other cases run in process)', () => {
    const ok = spawnSync(process.execPath, [CLI, 'check', '2014-national-day', '--root', ROOT], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('1 campaign');
    const bad = spawnSync(process.execPath, [CLI, 'check', '--root', join(FIXTURES, 'unknown-key')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/\[unknown-key\]/);
  });
});

describe('advisory check', () => {
  it('the shipped campaigns pass: exit 0 and a summary', async () => {
    const r = await run('check', '2014-national-day', 'national-day', '--root', ROOT);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^2 campaigns, 8 advisories: 0 errors, \d+ warnings?$/m);
  });

  it('a bad fixture: exit 1, the problem with its place, and the summary', async () => {
    const r = await run('check', '--root', join(FIXTURES, 'unknown-key'));
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      'advisories/demo/campaign.yaml:5:1: error unknown field "shedule". Did you mean "schedule"? Known fields here: title, issuer, author, holiday, year, summary, cover, timezone, tags, contact, starts, expires, schedule, id [unknown-key]',
      '1 campaign (1 with errors), 1 advisory: 1 error, 0 warnings',
      '',
    ]);
  });

  it('--json gives ok, campaigns, problems and summary', async () => {
    const r = await run('check', '--json', '--root', join(FIXTURES, 'invalid-cron'));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      ok: false,
      campaigns: [],
      problems: [{ file: 'advisories/demo/campaign.yaml', line: 8, column: 11, severity: 'error', rule: 'invalid-cron' }],
      summary: { campaigns: 1, errors: 1, warnings: 0 },
    });
  });

  it('warnings alone exit 0', async () => {
    const r = await run('check', '--root', project('warnings'));
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/campaign\.yaml:5:10: warning this campaign expired on 2015-01-01.*\[expired\]/);
    expect(r.out).toMatch(/^1 campaign, 1 advisory: 0 errors, [2-9]\d* warnings$/m);
  });

  it('an unknown campaign name is a usage error listing the known ones', async () => {
    const r = await run('check', 'national-dy', '--root', ROOT);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown campaign "national-dy"\. Did you mean "national-day"\? Known campaigns: .*2014-national-day, .*national-day/);
  });

  it('a GBK file: one clear line with the place and the fix, no stack trace', async () => {
    const dir = project('valid');
    writeFileSync(join(dir, 'advisories/demo/01-burglary.md'), Buffer.concat([Buffer.from('---\ntitle: '), Buffer.from([0xb7, 0xc0, 0xb7, 0xb6]), Buffer.from('\nsummary: s\n---\nx\n')]));
    const r = await run('check', '--root', dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^advisories\/demo\/01-burglary\.md:2:8: error the file is not UTF-8 .*GBK.*iconv -f GBK -t UTF-8 in\.md > out\.md.* \[not-utf8\]$/m);
    expect(r.out).not.toMatch(/\n\s+at /);
  });
});

describe('advisory new', () => {
  it('scaffolds a campaign that passes check, and refuses to overwrite it', async () => {
    const dir = project();
    const created = await run('new', '2025-spring-festival', '--holiday', 'spring-festival', '--year', '2025', '--title', '2025年春节安全提示', '--root', dir);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/created advisories\/2025-spring-festival\/campaign\.yaml/);
    const yaml = readFileSync(join(dir, 'advisories/2025-spring-festival/campaign.yaml'), 'utf8');
    expect(yaml).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/schema\/campaign\.schema\.json\ntitle: "2025年春节安全提示"\n/);
    expect(yaml).toMatch(/holiday: spring-festival\nyear: 2025\n/);
    const checked = await run('check', '--root', dir);
    expect(checked.code, checked.out).toBe(0);
    expect(checked.out).toMatch(/^1 campaign, 1 advisory: 0 errors/m);

    const again = await run('new', '2025-spring-festival', '--root', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
  });

  it('without a holiday: an absolute time, still valid', async () => {
    const dir = project();
    expect((await run('new', 'notice', '--root', dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'advisories/notice/campaign.yaml'), 'utf8')).toMatch(/at: \d{4}-\d{2}-\d{2}T09:00\+08:00/);
    expect((await run('check', '--root', dir)).code).toBe(0);
  });

  it('usage errors: no id, a bad id, an unknown holiday', async () => {
    const dir = project();
    expect((await run('new', '--root', dir)).code).toBe(2);
    const bad = await run('new', 'Spring Festival', '--root', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/lower-case letters, digits and dashes/);
    const holiday = await run('new', 'x', '--holiday', 'natonal-day', '--root', dir);
    expect(holiday.code).toBe(2);
    expect(holiday.err).toMatch(/Did you mean "national-day"\?/);
    expect(existsSync(join(dir, 'advisories'))).toBe(false);
  });
});

describe('advisory schema', () => {
  it('prints both schemas; --write writes the committed files', async () => {
    const printed = await run('schema', '--root', ROOT);
    expect(printed.code).toBe(0);
    expect(Object.keys(JSON.parse(printed.out))).toEqual(['campaign.schema.json', 'advisory.schema.json']);
    const dir = project();
    const written = await run('schema', '--write', '--root', dir);
    expect(written.code).toBe(0);
    for (const name of ['campaign.schema.json', 'advisory.schema.json']) {
      expect(readFileSync(join(dir, 'schema', name), 'utf8')).toBe(readFileSync(join(ROOT, 'schema', name), 'utf8'));
    }
  });
});
