/**
 * `advisory publish --now` SIGKILLed between every two steps (ADVISORY_FAILPOINT),
 * then run again, as an operator does after a crash: each channel ends with
 * exactly what a clean run produces, and the re-run says it resumed. On the
 * SQLite ledger, on PostgreSQL (a schema per case), and on PostgreSQL with a
 * Redis queue and no daemon, where both runs send through the queue with
 * workers of their own and the re-run takes over the killed one's claims once
 * the workers' lease has run out (skipped, named, without
 * ADVISORY_TEST_POSTGRES / _REDIS).
 */
import { expect, it } from 'vitest';
import { describeOn, POSTGRES, QUEUE, SQLITE } from './ledgers.js';
import { assertExactlyOnce, cases, KILL_POINTS, killedPublish, outcome, recoverByRerun } from './recovery.js';

const SUBSCRIBERS = 120;

for (const backend of [SQLITE, POSTGRES, QUEUE]) {
  describeOn(backend, 'a killed publish --now, then the same command again', () => {
    // Redis databases 12–14, in turn (see ledgers.ts); the queue's cases one after another, as there are fewer
    // databases left than cases (two at once on one database would share the sandbox's queue names).
    const project = cases(SUBSCRIBERS, backend, { redisDbs: [12, 13, 14] });
    for (const { failpoint, committed } of KILL_POINTS) {
      it(`killed at ${failpoint}: the re-run finishes it, each channel once`, async () => {
        const c = await project();
        await killedPublish(c, failpoint, committed, SUBSCRIBERS);
        const rerun = await recoverByRerun(c);
        const repeated = assertExactlyOnce(await outcome(c), SUBSCRIBERS, failpoint, false);
        expect(repeated, 'e-mails written twice (only in-flight ones may be)').toBe(0);
        if (committed) expect(rerun.stdout()).toMatch(/^resumed: \d+ finished, \d+ were already sent/m);
        expect(rerun.stdout()).toMatch(new RegExp(`^2014-national-day: ${3 + SUBSCRIBERS} sent, 0 failed, 0 held, 0 missed$`, 'm'));
        if (failpoint === 'after-publish:2') {
          // A third run: now it is complete, so it is "already published" and sends nothing.
          const third = await recoverByRerun(c);
          expect(third.stdout()).toContain('already published (website, wechat, weibo, email); nothing sent.');
          expect((await outcome(c)).deliveries).toBe(3 + SUBSCRIBERS);
        }
      }, 60_000);
    }
  }, backend !== QUEUE);
}
