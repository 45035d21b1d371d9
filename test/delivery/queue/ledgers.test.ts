/**
 * Two ledgers on one Redis, and queues no worker serves (real processes, the built CLI, a real SMTP server).
 *
 * - Regression (worker of another ledger takes our jobs): queue names were per channel account only, so the
 *   `advisory worker` of ledger B took ledger A's jobs, found no such key in B and acknowledged them; A's publish
 *   of 120 e-mails then waited for the relay to offer each again (104 s where 3 s would do). Each ledger now has
 *   queues of its own (`<ledger id>.<channel>.<account>`).
 * - `advisory run --workers 0` and no worker: `publish --now` waited forever saying only that it waits, and
 *   `status` showed the pending deliveries, exit 0. Both now name the queue that no worker serves, and so do the
 *   daemon's own /status page and /status.json (its queues with their jobs waiting and workers).
 *
 * Skipped, visibly, unless ADVISORY_TEST_POSTGRES and ADVISORY_TEST_REDIS name servers.
 */
import { describe, expect, it } from 'vitest';
import { until } from '../daemon-process.js';
import { SERVERS, SKIPPED, useQueueCluster } from './harness.js';
import { hashPassword } from '../../../src/delivery/staff.js';
import { PASSWORD, signIn } from '../../server/staff-session.js';

const run = SERVERS ? describe : describe.skip;
const { start, bureau, daemon, workers, publish, allSent, stopAll, verified } = useQueueCluster();

run(SERVERS ? 'PostgreSQL + BullMQ: two ledgers on one Redis, and a queue no worker serves' : SKIPPED, () => {
  it('regression: a worker of ledger B on the same Redis (same SMTP account) touches none of ledger A\'s jobs; A\'s 120 e-mails go out promptly', async () => {
    const a = await bureau(120);
    const b = await bureau(5);
    const [wb] = await workers(b, 1);
    const d = await daemon(a);
    const [wa] = await workers(a, 1);
    const queueOf = (w: typeof wa) => /advisory worker \d+: sending (.+?) from /.exec(w.stderr())![1].split(', ').find((q) => q.includes('.email.'))!;
    expect(queueOf(wa)).toMatch(/^[0-9a-f]{12}\.email\.[0-9a-f]{12}$/);
    expect(queueOf(wb)).not.toBe(queueOf(wa));
    // The same account: only the ledger part of the names differs.
    expect(queueOf(wb).split('.').slice(1)).toEqual(queueOf(wa).split('.').slice(1));
    const t0 = Date.now();
    const p = publish(a);
    await allSent(a, 'all 120 of ledger A to be sent', 30_000);
    const took = (Date.now() - t0) / 1000;
    expect((await p.exited).code, p.stderr()).toBe(0);
    await verified(a, 0);
    const [handledA, handledB] = await stopAll([wa, wb]);
    expect(handledB, wb.stderr()).toBe(0);
    expect(handledA).toBeGreaterThanOrEqual(120);
    expect(wb.stderr()).not.toContain('not in this ledger');
    expect(wa.stderr()).not.toContain('not in this ledger');
    await stopAll([d]);
    console.info(`two ledgers: A's 120 sent in ${took.toFixed(1)} s (publish to the last sent), A's worker ${handledA} jobs, B's ${handledB}`);
  }, 120_000);

  it('no worker: publish --now says once which queue no worker serves and what to do; status names it, exit 4; a worker started, all go out', async () => {
    const a = await bureau(20);
    await a.store.addStaff('wang', await hashPassword(PASSWORD), new Date());
    const d = await daemon(a, 0);
    // The daemon's own status (staff port): who serves its queues, from Redis, as `advisory status` says it.
    const staffUrl = /staff pages \(sign-in, preview, status, approve\): (http:\/\/\S+?)\/?$/m.exec(d.stdout() + d.stderr())![1];
    const staff = await signIn(staffUrl);
    const queuesOnPage = async () => ((await (await staff.get('/status.json')).json()) as { queues?: Array<{ queue: string; channel: string; waiting: number; workers: number }> }).queues ?? [];
    const p = publish(a);
    const line = /queue (\S+) \(email\): 20 job\(s\) waiting and no worker serves it/;
    await until(() => line.test(p.stderr()) || p.child.exitCode !== null, 30_000, 'publish --now to name the queue no worker serves');
    const queue = line.exec(p.stderr())![1];
    expect(p.stderr()).toContain('Start advisory worker');
    const s = start(['status', '--root', a.root], a.env);
    const r = await s.exited;
    expect(r.code, s.stdout() + s.stderr()).toBe(4);
    expect(s.stdout()).toContain(`queue ${queue} (email): 20 job(s) waiting, 0 worker(s) serving it`);
    expect(s.stdout()).toMatch(line);
    await until(async () => (await queuesOnPage()).some((q) => q.queue === queue && q.waiting === 20), 10_000, 'the daemon\'s /status.json to list the queue');
    expect(await queuesOnPage()).toContainEqual({ queue, channel: 'email', waiting: 20, workers: 0 });
    const page = await (await staff.get('/status')).text();
    expect(page).toContain(`<td>${queue}</td><td>email</td><td>20</td><td>0</td>`);
    expect(page).toMatch(/20 job\(s\) waiting and no worker serves it/);
    // Said once, however long it waits.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(p.stderr().match(new RegExp(line.source, 'g'))).toHaveLength(1);
    const [w] = await workers(a, 1);
    await allSent(a, 'all 20 to be sent once a worker serves the queue', 30_000);
    expect((await p.exited).code, p.stderr()).toBe(0);
    const s2 = start(['status', '--root', a.root], a.env);
    expect((await s2.exited).code, s2.stdout()).toBe(0);
    expect(s2.stdout()).toContain(`queue ${queue} (email): 0 job(s) waiting, 1 worker(s) serving it`);
    await until(async () => (await queuesOnPage()).some((q) => q.queue === queue && q.workers === 1 && q.waiting === 0), 10_000, 'the daemon\'s /status.json to show the worker');
    await stopAll([w, d]);
  }, 120_000);
});
