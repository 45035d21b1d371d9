/**
 * `advisory plan <campaign>` with no window, when the campaign does not fire in the next 60 days (issue 14:
 * it said only "0 occurrences in 0 campaigns"): when it next fires, or last fired, and the command that shows it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/in-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const now = () => new Date('2026-12-02T02:00:00Z');

describe('plan without a window', () => {
  it('an evergreen campaign out of the window: when it next fires, and the plan command that lists it', async () => {
    const r = await runCli(['plan', 'national-day', '--root', ROOT], { now });
    expect(r.code).toBe(0);
    expect(r.out).toContain('0 occurrences in 0 campaigns.');
    expect(r.out).toMatch(/^national-day: nothing in this window; next fires 2027-09-\d\d \d\d:\d\d \(bulletin: [a-z, ]+\)\. See it: advisory plan national-day --from 2027-09-01 --to 2027-09-30$/m);
    const shown = await runCli(['plan', 'national-day', '--from', '2027-09-01', '--to', '2027-09-30', '--root', ROOT], { now });
    expect(shown.out).toMatch(/[1-9]\d* occurrences? in 1 campaign\./);
  });

  it('a past campaign: when it last fired, and the window of its firings', async () => {
    const r = await runCli(['plan', '2014-national-day', '--root', ROOT], { now });
    expect(r.out).toMatch(/^2014-national-day: nothing from now on; it last fired 2014-10-\d\d \d\d:\d\d \(daily-reminder\)\. See them: advisory plan 2014-national-day --from 2014-09-01 --to 2014-10-31$/m);
  });

  it('with a window given, nothing more is said', async () => {
    const r = await runCli(['plan', 'national-day', '--from', '2027-01-01', '--to', '2027-01-31', '--root', ROOT], { now });
    expect(r.out).not.toContain('next fires');
  });
});
