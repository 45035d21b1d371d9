/**
 * The live e-mail channel when the SMTP server says no: a 421 in the middle
 * of a batch, a 550 for one address (a hard bounce, three of them and the
 * subscriber is `bounced`), a 451 for one address, the server gone and back
 * on the same port, a refused login. Every test ends with what the server
 * holds: each subscriber's message exactly once, or not at all.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../delivery/helpers.js';
import { approve, emailDeliveries, emailProject, people, publish, smtpEnv, subscribe, useSmtp } from './harness.js';

const smtp = useSmtp();

async function ready(n: number, settings: Record<string, string | number> = {}) {
  const root = emailProject(smtp.dirs, settings);
  const env = smtpEnv(smtp.fake);
  const list = people(n);
  const ids = await subscribe(root, env, list);
  await approve(root, env);
  return { root, env, list, ids };
}

function eachOnce(addresses: string[]): void {
  const got = smtp.fake.recipients().sort();
  expect(got).toEqual([...addresses].sort());
  expect(smtp.fake.duplicates()).toEqual([]);
}

const pauses = (log: string) => log.split('\n').filter((l) => l.includes('email paused until')).length;

describe('live e-mail: SMTP faults', () => {
  it('421 in the middle of a batch: the channel pauses, then every message goes out once', async () => {
    const { root, env, list } = await ready(12, { max_connections: 3 });
    smtp.fake.failAfter(4, 421);
    const run = await publish(root, env);
    expect(run.outcome.counts).toMatchObject({ sent: 12, failed: 0, held: 0, pending: 0 });
    eachOnce(list.map((p) => p.address));
    expect(smtp.fake.refusals).toEqual([{ stage: 'DATA', code: 421 }]);
    expect(pauses(run.log)).toBe(1);
    const ds = await emailDeliveries(root);
    // Only the message that got the 421 was tried twice; the others waited out the pause without spending an attempt.
    expect(ds.filter((d) => d.attempts > 1)).toHaveLength(1);
    expect(ds.find((d) => d.attempts > 1)!.lastError).toMatch(/SMTP server 127\.0\.0\.1:\d+ is not taking mail \(421/);
  });

  it('550 for one address: that delivery failed and counted as a hard bounce, the others sent; after 3 bounces the subscriber is bounced and not mailed again', async () => {
    const { root, env, list, ids } = await ready(4);
    const bad = list[1].address;
    smtp.fake.rejectRecipient(bad, 550);
    for (let n = 1; n <= 3; n++) {
      const run = await publish(root, env, { again: n > 1 });
      expect(run.outcome.counts).toMatchObject({ sent: 3, failed: 1, pending: 0 });
      const failed = run.outcome.failed[0];
      expect(failed.recipient).toBe(ids.get(bad));
      expect(failed.reason).toMatch(/refused the recipient's address \(the server answered 550 .*\): a hard bounce/);
      expect(failed.reason).not.toContain(bad);
      expect(failed.attempts).toBe(1);
      const s = await withStore(join(root, 'var'), (st) => st.subscriber(ids.get(bad)!));
      expect(s).toMatchObject({ bounces: n, status: n < 3 ? 'active' : 'bounced' });
    }
    const fourth = await publish(root, env, { again: true });
    expect(fourth.outcome.counts).toMatchObject({ sent: 3, failed: 0 });
    const latest = (await emailDeliveries(root)).filter((d) => d.occurrence === fourth.outcome.occurrences[0]);
    expect(latest.map((d) => d.recipient)).not.toContain(ids.get(bad));
    expect(smtp.fake.recipients().filter((a) => a === bad)).toEqual([]);
    expect(smtp.fake.recipients()).toHaveLength(12);
    expect(smtp.fake.refusals.filter((r) => r.code === 550)).toHaveLength(3);
  });

  it('451 for one address, twice: retried per the retry policy, sent once, no bounce', async () => {
    const { root, env, list, ids } = await ready(3);
    smtp.fake.deferRecipient(list[0].address, 2, 451);
    const run = await publish(root, env);
    expect(run.outcome.counts).toMatchObject({ sent: 3, failed: 0 });
    eachOnce(list.map((p) => p.address));
    const d = (await emailDeliveries(root)).find((x) => x.recipient === ids.get(list[0].address))!;
    expect(d.attempts).toBe(3);
    expect(pauses(run.log)).toBe(0);
    expect(await withStore(join(root, 'var'), (st) => st.subscriber(ids.get(list[0].address)!))).toMatchObject({ bounces: 0, status: 'active' });
  });

  it('the server goes away mid-publish and comes back on the same port: nothing lost, each once, and the list did not spend its attempts', async () => {
    const { root, env, list } = await ready(10, { max_connections: 2 });
    smtp.fake.slowData(60);
    const running = publish(root, env);
    await until(() => smtp.fake.received.length >= 3);
    await smtp.fake.stop();
    await new Promise((r) => setTimeout(r, 900));
    await smtp.fake.start();
    const run = await running;
    expect(run.outcome.counts).toMatchObject({ sent: 10, failed: 0, pending: 0 });
    eachOnce(list.map((p) => p.address));
    const ds = await emailDeliveries(root);
    const extra = ds.reduce((a, d) => a + d.attempts, 0) - ds.length;
    const n = pauses(run.log);
    expect(n).toBeGreaterThanOrEqual(1);
    // Each extra attempt is one that met the closed port (and paused the channel); the rest waited without trying.
    expect(extra).toBe(n);
    expect(ds.filter((d) => d.attempts > 1).length).toBeLessThanOrEqual(6);
  });

  it('535 (a wrong password): the first held with advice naming SMTP_USER and SMTP_PASS, the others wait untried; with the right login they go out', async () => {
    const { root, env, list } = await ready(6, { max_connections: 2, auth_failure_pause: '0.5s' });
    smtp.fake.wrongLogin(true);
    const first = await publish(root, env, { maxWaitMs: 100 });
    const held = first.outcome.held;
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(held[0].reason).toMatch(/refused the login \(the server answered 535 .*\): check SMTP_USER and SMTP_PASS .*advisory retry/);
    const ds = await emailDeliveries(root);
    expect(ds.filter((d) => d.attempts > 0).length).toBeLessThanOrEqual(2);
    expect(ds.filter((d) => d.state === 'pending').length).toBeGreaterThanOrEqual(4);
    expect(smtp.fake.received).toHaveLength(0);
    const password = new URL(smtp.fake.url()).password;
    expect(JSON.stringify(ds) + first.log + first.progress.join('\n')).not.toContain(password);
    expect(JSON.stringify(ds) + first.log).not.toContain(decodeURIComponent(password));

    smtp.fake.wrongLogin(false);
    await withStore(join(root, 'var'), async (s) => {
      for (const h of held) expect(await s.retry(h.key, new Date())).toBe(true);
    });
    const again = await publish(root, env);
    expect(again.outcome.counts).toMatchObject({ sent: 6, held: 0, pending: 0 });
    eachOnce(list.map((p) => p.address));
  });
});

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
