/**
 * The scale-out path end to end, as a bureau would run it: the ledger in
 * PostgreSQL, the work on BullMQ queues in Redis, `advisory run --workers 0`
 * (the clock, the relay, the listeners) and THREE `advisory worker`
 * processes (the built CLI, real processes) sending a live e-mail campaign to
 * a real SMTP server (test/fakes/smtp.ts). Faults: a worker SIGKILLed
 * mid-send, the queue's keys deleted in Redis mid-publish (as a FLUSHALL
 * would, but only this test's queue: other files share the Redis); and the account's rate
 * limit held across the three. Skipped, visibly, unless ADVISORY_TEST_POSTGRES
 * and ADVISORY_TEST_REDIS name servers (.ci/run starts throwaway ones:
 * tools/pg-throwaway.sh, tools/redis-throwaway.sh).
 */
import { describe, expect, it } from 'vitest';
import { until } from '../daemon-process.js';
import { IN_HAND_MAX, LEASE_S, REDIS_URL, SERVERS, SKIPPED, dropQueues, freePort, queuesOf, useQueueCluster } from './harness.js';

const run = SERVERS ? describe : describe.skip;
const { smtp, start, bureau, daemon, workers, publish, emailDeliveries, allSent, stopAll, verified } = useQueueCluster();

run(SERVERS ? 'PostgreSQL + BullMQ, three worker processes' : SKIPPED, () => {
  it('a campaign to 300 subscribers: each mailed once, the work spread over the three workers, which drain and exit 0 on SIGTERM', async () => {
    const b = await bureau(300);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await allSent(b, 'all 300 to be sent');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const handled = await stopAll(ws);
    expect(handled).toHaveLength(3);
    for (const n of handled) expect(n).toBeGreaterThan(0);
    const { duplicates, flagged } = await verified(b, 0);
    expect([duplicates, flagged]).toEqual([0, 0]);
    await stopAll([d]);
    console.info(`three workers: 300 sent once; jobs handled per worker ${handled.join(', ')}`);
  }, 120_000);

  it('a worker whose Redis does not answer refuses to start: exit 3, one line naming the queue', async () => {
    const b = await bureau(1);
    const port = await freePort();
    const w = start(['worker', '--root', b.root], { ...b.env, ADVISORY_QUEUE: `redis://:hunter2@127.0.0.1:${port}/0` });
    const r = await w.exited;
    expect(r.code, w.stderr()).toBe(3);
    expect(w.stderr()).toContain(`cannot reach the queue redis://:***@127.0.0.1:${port}/0:`);
    expect(w.stderr()).not.toContain('hunter2');
  }, 60_000);

  it('switched by configuration alone: `advisory run` with its default in-process worker sends the campaign, each once', async () => {
    const b = await bureau(50);
    const d = await daemon(b, 1);
    const p = publish(b);
    await allSent(b, 'all 50 to be sent by the daemon\'s own worker');
    expect((await p.exited).code, p.stderr()).toBe(0);
    await verified(b, 0);
    await stopAll([d]);
  }, 120_000);

  it('a worker SIGKILLed mid-send: its claims are taken over after the lease and reconciled; each mailed once bar those it had in hand (counted), nothing stuck', async () => {
    const b = await bureau(200);
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 50, 60_000, 'some messages to arrive');
    ws[0].child.kill('SIGKILL');
    expect((await ws[0].exited).signal).toBe('SIGKILL');
    const inHand = (await emailDeliveries(b)).filter((x) => x.state === 'sending').length;
    await allSent(b, 'the other two to send the rest, the dead one\'s claims included');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const { flagged, duplicates } = await verified(b, IN_HAND_MAX);
    // Only what the dead worker had in hand is resent (and counted); the live ones' claims were never touched.
    expect(flagged).toBeLessThanOrEqual(IN_HAND_MAX);
    expect(duplicates).toBeLessThanOrEqual(flagged);
    await stopAll([...ws.slice(1), d]);
    console.info(`worker SIGKILLed: in sending at the kill ${inHand} (all workers); resent and counted ${flagged}; arrived twice ${duplicates} (at most ${IN_HAND_MAX})`);
  }, 120_000);

  it('a worker frozen (SIGSTOP) past its lease: the others take over its claims (reconciled, resent, counted); resumed, it cannot record over them; each mailed, copies only of those it had in hand', async () => {
    const b = await bureau(150);
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 40, 60_000, 'some messages to arrive');
    ws[0].child.kill('SIGSTOP');
    // Past the lease (and BullMQ's job lock, the same): the other two judge its claims abandoned.
    await new Promise((r) => setTimeout(r, (LEASE_S + 2) * 1000));
    ws[0].child.kill('SIGCONT');
    await allSent(b, 'the others to take over and send the rest');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const handled = await stopAll(ws);
    const { flagged, duplicates } = await verified(b, IN_HAND_MAX);
    expect(flagged).toBeLessThanOrEqual(IN_HAND_MAX);
    await stopAll([d]);
    console.info(`worker frozen past its lease: resent and counted ${flagged}; arrived twice ${duplicates} (at most ${IN_HAND_MAX}); jobs per worker ${handled.join(', ')}`);
  }, 120_000);

  it('a worker stopped with SIGTERM mid-send drains: its jobs in hand finish and are recorded, it exits 0, the others send the rest; each mailed exactly once', async () => {
    const b = await bureau(150);
    smtp.fake.slowData(30);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 40, 60_000, 'some messages to arrive');
    const [handled] = await stopAll([ws[0]]);
    expect(handled).toBeGreaterThan(0);
    await allSent(b, 'the other two to send the rest');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const { flagged, duplicates } = await verified(b, 0);
    expect([flagged, duplicates]).toEqual([0, 0]);
    await stopAll([...ws.slice(1), d]);
  }, 120_000);

  it('the queue flushed (its keys deleted, jobs, limiter and all, as FLUSHALL does) mid-publish: the relay offers again what the ledger still owes; each mailed exactly once', async () => {
    const b = await bureau(200);
    smtp.fake.slowData(20);
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await until(() => smtp.fake.received.length >= 50, 60_000, 'some messages to arrive');
    expect(await dropQueues(REDIS_URL!, queuesOf(ws))).toBeGreaterThan(0);
    const atFlush = smtp.fake.received.length;
    expect(atFlush).toBeLessThan(200);
    await allSent(b, 'the relay to re-enqueue and the workers to send the rest');
    expect((await p.exited).code, p.stderr()).toBe(0);
    const { flagged, duplicates } = await verified(b, 0);
    expect([flagged, duplicates]).toEqual([0, 0]);
    await stopAll([...ws, d]);
    console.info(`queue flushed after ${atFlush} of 200: all 200 sent exactly once`);
  }, 120_000);

  it('the account\'s rate limit holds across the three workers (rate_per_second 10: 60 messages take 5 s or more, never 30 in a second as three separate limits would allow)', async () => {
    const b = await bureau(60, { rate_per_second: 10 });
    const d = await daemon(b);
    const ws = await workers(b);
    const p = publish(b);
    await allSent(b, 'all 60 to be sent');
    expect((await p.exited).code, p.stderr()).toBe(0);
    await verified(b, 0);
    const times = smtp.fake.received.map((r) => r.at.getTime()).sort((x, y) => x - y);
    const elapsed = times[times.length - 1] - times[0];
    // The most that arrived within any one second: BullMQ counts per fixed window, so up to 2 × 10 can straddle
    // one second (and an arrival lags its job's start by a little); three separate limits would allow 30 and more.
    let peak = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    const handled = await stopAll([...ws, d]);
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    // Starts are at most 10 a fixed window, so 20 can straddle one second; arrivals lag their starts by varying
    // amounts (a loaded machine, a batch gathered), so a second may hold a few more, never the 30 separate limits allow.
    expect(peak).toBeLessThan(30);
    console.info(`rate limit across three workers: 60 messages in ${elapsed} ms, at most ${peak} in any second (limit 10/s); jobs per worker ${handled.slice(0, 3).join(', ')}`);
  }, 120_000);
});

