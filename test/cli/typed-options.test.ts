/**
 * Options as staff type them (issue 14, the command-line part): the project named before the command
 * (`advisory -C DIR status`), dashes a Chinese input method types (`——by`), usage errors on one line,
 * `--root` in every command's help.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './in-process.js';
import { commands } from '../../src/cli/commands/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-typed-'));
  temps.push(dir);
  for (const d of ['advisories', 'templates', 'channels']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

describe('options as typed', () => {
  it('advisory -C DIR <command> (and --root DIR, --root=DIR) before the command', async () => {
    const dir = project();
    const after = await runCli(['plan', '2014-national-day', '--root', dir]);
    expect(after.code, after.err).toBe(0);
    for (const before of [['-C', dir], ['--root', dir], [`--root=${dir}`]]) {
      const r = await runCli([...before, 'plan', '2014-national-day']);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(after.out);
    }
    const status = await runCli(['-C', dir, 'status']);
    expect(status.err).not.toContain('unknown command');
  });

  it('——by, —by, －－by and –by are read as --by, with a note naming the character', async () => {
    const dir = project();
    for (const [typed, named] of [['——by', 'EM DASH'], ['—by', 'EM DASH'], ['－－by', 'FULLWIDTH HYPHEN-MINUS'], ['–by', 'EN DASH']]) {
      const r = await runCli(['approve', '2014-national-day', typed, '张三', '--root', dir]);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(/^approved 2014-national-day content \w+ by 张三/);
      expect(r.err).toContain(`read "${typed}" as "--by"`);
      expect(r.err).toContain(named);
    }
  });

  it('a usage error is one line that points to --help, not the whole help', async () => {
    const dir = project();
    for (const args of [['approve', '2014-national-day'], ['approve', '2014-national-day', '--by'], ['publish'], ['retry'], ['staff']]) {
      const r = await runCli([...args, '--root', dir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.err).toContain(`\`advisory ${args[0]} --help\` lists its options`);
      expect(r.err).not.toContain('Usage:');
    }
  });

  it('every command\'s --help names --root/-C; publish --help shows --again in its usage line', async () => {
    for (const c of commands) {
      const r = await runCli([c.name, '--help']);
      expect(r.code).toBe(0);
      expect(r.out, c.name).toContain('--root DIR, -C DIR');
    }
    expect((await runCli(['publish', '--help'])).out).toMatch(/^Usage: advisory publish .*\[--again\]/m);
  });
});

describe('the language option typed with an input method', () => {
  it('—lang en is --lang en: the output is English, with the note about the dash', async () => {
    const r = await runCli(['check', '—lang', 'en', '--root', resolve(import.meta.dirname, '../..')], { env: { PATH: process.env.PATH } });
    expect(r.err).toContain('read "—lang" as "--lang"');
    expect(r.out).toMatch(/\d+ campaigns?, \d+ advisor(y|ies)/);
  });
});
