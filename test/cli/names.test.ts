/**
 * Names typed on the command line get one did-you-mean, the shared one
 * (content/suggest.ts): regression for a prefix match that answered `reun`
 * with "retry", and for `publish`/`approve`, which listed campaigns without a suggestion.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function cli(args: string[]) {
  const err: string[] = [];
  const code = await main([...args, '--root', ROOT], { out: () => {}, err: (t) => err.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date('2026-11-27T00:00:00Z') });
  return { code, err: err.join('\n') };
}

describe('names on the command line', () => {
  it('an unknown command suggests the nearest by edit distance', async () => {
    expect(await cli(['reun'])).toEqual({ code: 2, err: expect.stringContaining('unknown command "reun". Did you mean "run"?') });
    expect((await cli(['xyzzy'])).err).not.toContain('Did you mean');
  });

  for (const command of ['check', 'plan', 'preview', 'publish', 'approve']) {
    it(`${command}: an unknown campaign is a usage error with a did-you-mean and the known list`, async () => {
      const r = await cli(command === 'approve' ? [command, '2014-natonal-day', '--by', 'x'] : [command, '2014-natonal-day']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/unknown campaign "2014-natonal-day"\. Did you mean "2014-national-day"\? Known campaigns: 2014-national-day, national-day/);
    });
  }

  it('a project of many campaigns: the known list stops at a dozen and says how many more', async () => {
    const root = mkdtempSync(join(tmpdir(), 'advisory-names-'));
    for (let i = 0; i < 40; i++) mkdirSync(join(root, 'advisories', `c${String(i).padStart(3, '0')}-national-day`), { recursive: true });
    const err: string[] = [];
    const code = await main(['publish', 'c017-natonal-day', '--root', root], { out: () => {}, err: (t) => err.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date('2026-11-27T00:00:00Z') });
    rmSync(root, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/Did you mean "c017-national-day"\? Known campaigns: c000-national-day, .*c011-national-day and 28 more \(the folders under advisories\/\)$/);
  });
});
