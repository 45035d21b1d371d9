/**
 * `advisory publish --now` SIGKILLed between every two steps (ADVISORY_FAILPOINT),
 * then the daemon started, the other way an operator recovers: what the killed
 * command recorded is finished, each channel once; what it never committed
 * (killed inside its one transaction) is not half there.
 */
import { describe, expect, it } from 'vitest';
import { assertExactlyOnce, KILL_POINTS, killedPublish, outcome, recoverByDaemon, projects } from './recovery.js';

const SUBSCRIBERS = 120;
const project = projects(SUBSCRIBERS);

describe.concurrent('a killed publish --now, then advisory run', () => {
  for (const { failpoint, committed } of KILL_POINTS) {
    it(`killed at ${failpoint}: the daemon ${committed ? 'finishes it, each channel once' : 'finds nothing half-recorded'}`, async () => {
      const root = project();
      await killedPublish(root, failpoint, committed, SUBSCRIBERS);
      await recoverByDaemon(root);
      const o = await outcome(root);
      const repeated = assertExactlyOnce(o, SUBSCRIBERS, failpoint, !committed);
      expect(repeated, 'e-mails written twice (only in-flight ones may be)').toBe(0);
      expect(o.occurrences).toBe(committed ? 1 : 0);
    }, 60_000);
  }
});
