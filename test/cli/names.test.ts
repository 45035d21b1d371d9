/**
 * Names typed on the command line get one did-you-mean, the shared one
 * (content/suggest.ts): regression for a prefix match that answered `reun`
 * with "retry", and for `publish`/`approve`, which listed campaigns without a suggestion.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function cli(args: string[]) {
  const err: string[] = [];
  const code = await main([...args, '--root', ROOT], { out: () => {}, err: (t) => err.push(t), env: {}, now: () => new Date('2026-11-27T00:00:00Z') });
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
});
