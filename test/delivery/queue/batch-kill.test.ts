/**
 * A queue worker killed in the middle of a batch (queue/work-batch.ts): its
 * jobs in hand were claimed together and their `sent` is committed together,
 * after every send of the batch returned, so a kill between the calls and
 * that commit leaves the whole batch `sending`, some of it already at the
 * server. The README's bound says what may come of it: only what the worker
 * had in hand (at most its concurrency, e-mail's max_connections) is resent,
 * each marked resentAfterCrash, and only those the server had taken arrive
 * twice. Real processes (the built CLI), PostgreSQL, Redis, a real SMTP
 * server; the kill is the worker's own failpoint (after-publish:N: SIGKILL
 * right after its Nth message was accepted, before `sent` is recorded), so the
 * point is known, not raced. Skipped unless ADVISORY_TEST_POSTGRES and
 * ADVISORY_TEST_REDIS name servers.
 */
import { describe, expect, it } from 'vitest';
import { IN_HAND_MAX, LEASE_S, SERVERS, SKIPPED, useQueueCluster } from './harness.js';

const run = SERVERS ? describe : describe.skip;
const { smtp, bureau, daemon, workers, publish, emailDeliveries, allSent, stopAll, verified } = useQueueCluster();

run(SERVERS ? 'PostgreSQL + BullMQ: a worker killed in the middle of a batch' : SKIPPED, () => {
  it('killed after some of a batch were accepted and before their `sent` commit: its claims (at most its concurrency) are taken over after the lease and resent, each marked; only the accepted ones arrive twice; each subscriber mailed', async () => {
    const b = await bureau(60);
    // Slow enough that a batch's messages are in flight together when the 10th is accepted.
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const [w] = await workers(b, 1, { ADVISORY_FAILPOINT: 'after-publish:10' });
    const p = publish(b);
    expect((await w.exited).signal).toBe('SIGKILL');
    // Alone on the queue, every claim in `sending` now is the dead worker's: its batch in hand.
    const left = (await emailDeliveries(b)).filter((x) => x.state === 'sending');
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(left.length).toBeLessThanOrEqual(IN_HAND_MAX);
    const rest = await workers(b, 2);
    await allSent(b, 'the two new workers to take over the dead one\'s batch after the lease and send the rest', 60_000 + LEASE_S * 1000);
    expect((await p.exited).code, p.stderr()).toBe(0);
    const { flagged, duplicates } = await verified(b, IN_HAND_MAX);
    // Resent and marked: exactly the batch it had in hand, nothing else.
    const resent = (await emailDeliveries(b)).filter((x) => x.receipt?.details?.resentAfterCrash === true).map((x) => x.key).sort();
    expect(resent).toEqual(left.map((x) => x.key).sort());
    expect(flagged).toBe(left.length);
    // Arrived twice: only messages of that batch, and at least the 10th (accepted before the kill, never recorded sent).
    const twice = new Set(smtp.fake.duplicates());
    const leftIds = new Set(left.map((x) => x.key));
    const twiceKeys = (await emailDeliveries(b)).filter((x) => twice.has(x.receipt!.id)).map((x) => x.key);
    expect(twiceKeys.every((k) => leftIds.has(k)), `arrived twice: ${twiceKeys.join(', ')}`).toBe(true);
    expect(duplicates).toBeGreaterThanOrEqual(1);
    expect(duplicates).toBeLessThanOrEqual(left.length);
    await stopAll([...rest, d]);
    console.info(`worker killed mid-batch: its batch in hand ${left.length} (at most ${IN_HAND_MAX}); resent and marked ${flagged}, arrived twice ${duplicates}`);
  }, 120_000);
});
