/**
 * `advisory publish --now` SIGKILLed between every two steps (ADVISORY_FAILPOINT),
 * then the daemon started, the other way an operator recovers: what the killed
 * command recorded is finished, each channel once; what it never committed
 * (killed inside its one transaction) is not half there. On the SQLite ledger,
 * on PostgreSQL, and on PostgreSQL with a Redis queue, where the daemon relays
 * and an `advisory worker` process sends and takes over the claims the killed
 * publish left (skipped, named, without ADVISORY_TEST_POSTGRES / _REDIS).
 */
import { expect, it } from 'vitest';
import { describeOn, POSTGRES, QUEUE, SQLITE } from './ledgers.js';
import { assertExactlyOnce, cases, KILL_POINTS, killedPublish, outcome, recoverByDaemon } from './recovery.js';

const SUBSCRIBERS = 120;

for (const backend of [SQLITE, POSTGRES, QUEUE]) {
  describeOn(backend, 'a killed publish --now, then advisory run', () => {
    // Redis databases 1–8: one per case (see ledgers.ts).
    const project = cases(SUBSCRIBERS, backend, { redisDbs: [1, 2, 3, 4, 5, 6, 7, 8] });
    for (const { failpoint, committed } of KILL_POINTS) {
      it(`killed at ${failpoint}: the daemon ${committed ? 'finishes it, each channel once' : 'finds nothing half-recorded'}`, async () => {
        const c = await project();
        const left = await killedPublish(c, failpoint, committed, SUBSCRIBERS);
        const { jobs } = await recoverByDaemon(c);
        const o = await outcome(c);
        const repeated = assertExactlyOnce(o, SUBSCRIBERS, failpoint, !committed);
        expect(repeated, 'e-mails written twice (only in-flight ones may be)').toBe(0);
        expect(o.occurrences).toBe(committed ? 1 : 0);
        // With the queue the daemon only relays: the worker sent (or found sent) each delivery the kill left unsent.
        if (backend === QUEUE) expect(jobs).toBeGreaterThanOrEqual(left.deliveries - left.sent);
      }, 60_000);
    }
  });
}
