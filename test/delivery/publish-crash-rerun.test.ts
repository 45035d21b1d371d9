/**
 * `advisory publish --now` SIGKILLed between every two steps (ADVISORY_FAILPOINT),
 * then run again, as an operator does after a crash: each channel ends with
 * exactly what a clean run produces, and the re-run says it resumed.
 */
import { describe, expect, it } from 'vitest';
import { assertExactlyOnce, KILL_POINTS, killedPublish, outcome, recoverByRerun, projects } from './recovery.js';

const SUBSCRIBERS = 120;
const project = projects(SUBSCRIBERS);

describe.concurrent('a killed publish --now, then the same command again', () => {
  for (const { failpoint, committed } of KILL_POINTS) {
    it(`killed at ${failpoint}: the re-run finishes it, each channel once`, async () => {
      const root = project();
      await killedPublish(root, failpoint, committed, SUBSCRIBERS);
      const rerun = await recoverByRerun(root);
      const repeated = assertExactlyOnce(await outcome(root), SUBSCRIBERS, failpoint, false);
      expect(repeated, 'e-mails written twice (only in-flight ones may be)').toBe(0);
      if (committed) expect(rerun.stdout()).toMatch(/^resumed: \d+ finished, \d+ were already sent/m);
      expect(rerun.stdout()).toMatch(new RegExp(`^2014-national-day: ${3 + SUBSCRIBERS} sent, 0 failed, 0 held, 0 missed$`, 'm'));
      if (failpoint === 'after-publish:2') {
        // A third run: now it is complete, so it is "already published" and sends nothing.
        const third = await recoverByRerun(root);
        expect(third.stdout()).toContain('already published (website, wechat, weibo, email); nothing sent.');
        expect((await outcome(root)).deliveries).toBe(3 + SUBSCRIBERS);
      }
    }, 60_000);
  }
});
