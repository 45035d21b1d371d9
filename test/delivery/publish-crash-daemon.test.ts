/**
 * `advisory publish --now` SIGKILLed between every two steps (ADVISORY_FAILPOINT),
 * then the daemon started, the other way an operator recovers: what the killed
 * command recorded is finished, each channel once; what it never committed
 * (killed inside its one transaction) is not half there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { assertBuilt } from './daemon-process.js';
import { assertExactlyOnce, copyProject, KILL_POINTS, killedPublish, outcome, recoverByDaemon, templateProject } from './recovery.js';

const SUBSCRIBERS = 120;
let template: string;
const dirs: string[] = [];
beforeAll(() => {
  assertBuilt();
  template = templateProject(SUBSCRIBERS);
});
afterAll(() => {
  for (const d of [template, ...dirs]) rmSync(d, { recursive: true, force: true });
});

describe.concurrent('a killed publish --now, then advisory run', () => {
  for (const { failpoint, committed } of KILL_POINTS) {
    it(`killed at ${failpoint}: the daemon ${committed ? 'finishes it, each channel once' : 'finds nothing half-recorded'}`, async () => {
      const root = copyProject(template);
      dirs.push(root);
      await killedPublish(root, failpoint, committed, SUBSCRIBERS);
      await recoverByDaemon(root);
      const o = outcome(root);
      const repeated = assertExactlyOnce(o, SUBSCRIBERS, failpoint, !committed);
      expect(repeated, 'e-mails written twice (only in-flight ones may be)').toBe(0);
      expect(o.occurrences).toBe(committed ? 1 : 0);
    }, 60_000);
  }
});
