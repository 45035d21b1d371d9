/**
 * One fixture project per bad-input case (test/fixtures/content/<case>/). Each
 * asserts the exact file, line, column and rule, and the key part of the
 * message, so a problem reported at the wrong place fails the test.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../src/content/load.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/content/', import.meta.url));
const NOW = new Date('2026-11-27T00:00:00Z');
const C = 'advisories/demo/campaign.yaml';
const A = 'advisories/demo/01-burglary.md';

type Expected = [file: string, line: number, column: number, rule: string, message: RegExp];

const cases: Record<string, Expected> = {
  'yaml-syntax': [C, 5, 1, 'yaml-syntax', /Tabs are not allowed.*indent with spaces/],
  'front-matter-yaml-syntax': [A, 4, 7, 'yaml-syntax', /cannot start with reserved character @.*must be quoted/],
  'front-matter-unclosed': [A, 1, 1, 'front-matter-unclosed', /never closed.*"---"/],
  'no-front-matter': [A, 1, 1, 'no-front-matter', /must start with a line "---"/],
  'empty-body': [A, 4, 1, 'empty-body', /no text after its front matter/],
  'unknown-key': [C, 5, 1, 'unknown-key', /unknown field "shedule"\. Did you mean "schedule"\?/],
  'unknown-key-front-matter': [A, 3, 1, 'unknown-key', /unknown field "sumary"\. Did you mean "summary"\?/],
  'missing-field': [C, 2, 1, 'missing-field', /missing required field "issuer".*issuer: 章丘市公安局/],
  'missing-field-schedule': [C, 6, 5, 'missing-field', /missing required field "channels" in schedule\[0\]/],
  'wrong-type': [C, 5, 7, 'wrong-type', /"year" should be a number, but is the text "2014": remove the quotes/],
  'unknown-holiday': [C, 3, 10, 'unknown-holiday', /unknown holiday "national_day"\. Did you mean "national-day"\?/],
  'unknown-channel': [C, 7, 25, 'unknown-channel', /unknown channel "webo"\. Did you mean "weibo"\?/],
  'invalid-cron': [C, 8, 11, 'invalid-cron', /invalid cron expression "0 25 \* \* \*".*0-23/],
  'invalid-cron-fields': [C, 8, 11, 'invalid-cron', /expected 5 fields.*found 4/],
  'invalid-date': [C, 8, 9, 'invalid-date', /2014-02 has 28 days, so day 30 does not exist/],
  'invalid-time': [C, 8, 9, 'invalid-date', /hour 25 does not exist/],
  'unknown-timezone': [C, 5, 11, 'unknown-timezone', /unknown time zone "Asia\/Shanghia"/],
  'during-without-holiday': [C, 8, 13, 'during-without-holiday', /"during: holiday" needs the campaign's "holiday"/],
  'relative-without-holiday': [C, 7, 20, 'relative-without-holiday', /relative to the holiday needs the campaign's "holiday"/],
  'at-and-cron': [C, 9, 11, 'schedule-timing', /has both "at" and "cron"/],
  'neither-at-nor-cron': [C, 6, 5, 'schedule-timing', /has neither "at" nor "cron"/],
  'from-on-at': [C, 9, 5, 'bounds-on-at', /"from" only applies to a repeating \(cron\) schedule/],
  'duplicate-schedule': [C, 9, 11, 'duplicate-schedule', /schedule name "bulletin" is already used/],
  'unknown-advisory': [C, 9, 28, 'unknown-advisory', /names the advisory "burglery".*Did you mean "burglary"\?/],
  'cover-missing': [C, 5, 8, 'image-missing', /"images\/cover\.jpg" does not exist/],
  'image-outside': [A, 4, 8, 'image-outside', /outside the campaign folder/],
  'duplicate-id': ['advisories/demo/02-other.md', 4, 5, 'duplicate-id', /"burglary" is already used by advisories\/demo\/01-burglary\.md/],
  'missing-campaign-yaml': [C, 1, 1, 'missing-campaign-yaml', /no campaign\.yaml; found "campaign\.yml": rename it/],
  'starts-after-expires': [C, 5, 9, 'starts-after-expires', /"starts" \(2015-01-01\) must be before "expires" \(2014-12-31\)/],
  'markdown-outside-campaign': ['advisories/stray.md', 1, 1, 'markdown-outside-campaign', /not in a campaign folder/],
  // issue 8: a zero window passed check, then the daemon recorded every firing missed
  'window-zero': [C, 9, 13, 'window-too-short', /^"window: 0m" is shorter than the minimum of 1 minute: .*e\.g\. window: 30m/],
};

describe('content problems: one fixture per case, exact place', () => {
  for (const [name, [file, line, column, rule, message]] of Object.entries(cases)) {
    it(name, () => {
      const { problems, campaigns } = loadProject(`${FIXTURES}${name}`, { now: NOW });
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file, line, column, rule, severity: 'error' });
      expect(errors[0].message).toMatch(message);
      expect(errors[0].message).not.toMatch(/\n|    at /); // one line, never a stack trace
      // A campaign with an error is not handed on; a stray file does not spoil the others.
      expect(campaigns.map((c) => c.id)).toEqual(name === 'markdown-outside-campaign' ? ['demo'] : []);
    });
  }

  it('valid fixture: no problems, ids and defaults filled in', () => {
    const { problems, campaigns } = loadProject(`${FIXTURES}valid`, { now: NOW });
    expect(problems).toEqual([]);
    expect(campaigns).toHaveLength(1);
    const [c] = campaigns;
    expect(c).toMatchObject({ id: 'demo', dir: 'advisories/demo', file: C, timezone: 'Asia/Shanghai', holiday: 'national-day' });
    expect(c.advisories.map((a) => [a.id, a.index, a.bodyLine, a.file])).toEqual([['burglary', 0, 5, A]]);
    expect(c.advisories[0].body).toBe('## 防范建议\n\n- 关好门窗。\n');
    expect(c.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('warnings: expired campaign and no schedule still load (exit 0 material)', () => {
    const { problems, campaigns } = loadProject(`${FIXTURES}warnings`, { now: NOW });
    expect(campaigns).toHaveLength(1);
    expect(problems.map((p) => [p.severity, p.rule, p.line, p.column])).toEqual([
      ['warning', 'expired', 5, 10],
      ['warning', 'no-schedule', 1, 1],
    ]);
    // Without a clock, "expired" cannot be judged and is not reported.
    expect(loadProject(`${FIXTURES}warnings`).problems.map((p) => p.rule)).toEqual(['no-schedule']);
  });
});
