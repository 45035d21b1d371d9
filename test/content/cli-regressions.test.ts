/**
 * CLI bugs found by running `advisory check|plan` as a new user would, against
 * a wrong --root or odd options. Needs the built CLI (`npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/in-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
let dir: string;

/** The CLI in this process (messages and exit codes: no child process needed). */
const run = (...args: string[]) => runCli(args);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before these tests`);
  dir = mkdtempSync(join(tmpdir(), 'advisory-cli-regress-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a --root that is not a project', () => {
  for (const command of ['check', 'plan']) {
    it(`${command} --root to a missing folder: exit 2 (usage) with one line saying so`, async () => {
      const r = await run(command, '--root', join(dir, 'no-such-folder'));
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^advisory ${command}: the folder .*no-such-folder does not exist: .*--root DIR\\n$`));
    });

    it(`${command} in a folder without advisories/: exit 2, says to run it in the project or create a campaign`, async () => {
      const r = await run(command, '--root', dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/there is no advisories\/ folder in .*advisory new <id>/);
    });
  }

  it('advisories/ being a file: exit 2 and a message, not exit 70 and a stack trace', async () => {
    const root = mkdtempSync(join(dir, 'file-'));
    writeFileSync(join(root, 'advisories'), 'oops');
    for (const command of ['check', 'plan']) {
      const r = await run(command, '--root', root);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/advisories is a file, but it must be the folder that holds the campaigns/);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
    }
  });
});

describe('plan dates', () => {
  it('--from 2014-13-01 names the bad month in plain words (no luxon wording)', async () => {
    const root = mkdtempSync(join(dir, 'plan-'));
    cpSync(join(ROOT, 'advisories/2014-national-day'), join(root, 'advisories/2014-national-day'), { recursive: true });
    const r = await run('plan', '--from', '2014-13-01', '--root', root);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^advisory plan: --from: month 13 does not exist \(01–12\); expected a date like 2014-09-01/);
    expect(r.err).not.toMatch(/of type number/);
    expect((await run('plan', '--from', '2014-02-30', '--root', root)).err).toMatch(/2014-02 has 28 days, so day 30 does not exist/);
  });
});

describe('advisory new refuses bad options before writing anything', () => {
  it('an over-long or empty --title is a usage error (exit 2) and creates no folder', async () => {
    const root = mkdtempSync(join(dir, 'new-'));
    const long = await run('new', 'a', '--title', '很'.repeat(70), '--root', root);
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/--title is 70 characters; a title has at most 64/);
    expect((await run('new', 'b', '--title', ' ', '--root', root)).err).toMatch(/--title must not be empty/);
    expect(existsSync(join(root, 'advisories/a'))).toBe(false);
    expect(existsSync(join(root, 'advisories/b'))).toBe(false);
  });

  it('--year without --holiday is a usage error instead of being silently dropped', async () => {
    const root = mkdtempSync(join(dir, 'new-'));
    const r = await run('new', 'c', '--year', '2025', '--root', root);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--year only makes sense with --holiday/);
    expect(existsSync(join(root, 'advisories/c'))).toBe(false);
  });
});

describe('plan options typed the natural way', () => {
  it('--from 2014-09-29 09:00 (unquoted) says to join date and time, not "unknown campaign 09:00"', async () => {
    const r = await run('plan', '--from', '2014-09-29', '09:00', '--root', ROOT);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/"09:00" looks like the time of a --from\/--to date: join date and time with a T \(--from 2014-09-29T09:00\)/);
  });

  it('--to in the past without --from says the --from it compared with is "now"', async () => {
    const r = await run('plan', '--to', '2014-10-01', '--root', ROOT);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from \(not given, so now: \d{4}-/);
  });
});

it('advisory new --holiday 国庆节 suggests national-day', async () => {
  const r = await run('new', 'x', '--holiday', '国庆节', '--root', mkdtempSync(join(dir, 'new-')));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/unknown holiday "国庆节"\. Did you mean "national-day"\?/);
});

it('check on an advisory with 20,000 nested quotes: exit 1 and one line, not exit 70 and a stack trace', async () => {
  const root = mkdtempSync(join(dir, 'deep-'));
  for (const d of ['advisories/2014-national-day', 'templates', 'channels']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
  const file = join(root, 'advisories/2014-national-day/01-burglary.md');
  writeFileSync(file, `---\ntitle: 防范\nsummary: 摘要\n---\n正文\n\n${'>'.repeat(20_000)} x\n`);
  const r = await run('check', '--root', root);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^advisories\/2014-national-day\/01-burglary\.md:7:1: error refused: the text nests .* \[markdown-too-deep\]$/m);
  expect(r.err).toBe('');
});
