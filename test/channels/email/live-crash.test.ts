/**
 * Crashes of a live e-mail publish against a real SMTP server: the CLI in
 * child processes killed (SIGKILL) in the middle of sending, then recovered
 * the two ways a user would (the same command again; the daemon), and the
 * daemon itself killed and started again. Afterwards every subscriber has
 * the message; only those left in `sending` at the kill (claimed
 * 2 × max_connections at a time: at most 3 × max_connections − 1) are
 * resent, each counted: its receipt says `resentAfterCrash` (and carries the
 * same Message-ID, so a mailbox can drop the copy); of those only the ones
 * in flight (at most max_connections) can have reached the server and
 * arrive twice. Nobody is skipped.
 */
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, startProcess, until, type Proc } from '../../delivery/daemon-process.js';
import { GROUP_COMMIT } from '../../../src/delivery/sender.js';
import { approve, CAMPAIGN, emailDeliveries, emailProject, people, smtpEnv, subscribe, useSmtp } from './harness.js';

const smtp = useSmtp();
const MAX_CONNECTIONS = 3;
const N = 24;
/** Deliveries a kill can leave in `sending`: a claim (2 × max_connections) and the others' last (max_connections − 1). */
const IN_SENDING_MAX = (GROUP_COMMIT.CLAIM_PER_CONNECTION + 1) * MAX_CONNECTIONS - 1;
/** Of those, the ones the server can have taken: those in flight (one of them perhaps accepted and being recorded), and any others accepted but not yet recorded (fewer than SENT_PER_COMMIT). */
const DUPLICATES_MAX = MAX_CONNECTIONS + GROUP_COMMIT.SENT_PER_COMMIT - 1;
const procs: Proc[] = [];
beforeAll(() => assertBuilt());
afterEach(() => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

async function ready() {
  const root = emailProject(smtp.dirs, { max_connections: MAX_CONNECTIONS, rate_per_second: 0 });
  const env = smtpEnv(smtp.fake);
  const list = people(N);
  await subscribe(root, env, list);
  await approve(root, env);
  // Each message answered only after 40 ms: several are in flight whenever the kill comes.
  smtp.fake.slowData(40);
  return { root, env, list };
}

function start(args: string[], env: Record<string, string>): Proc {
  const p = startProcess(args, env);
  procs.push(p);
  return p;
}

const publish = (root: string, env: Record<string, string>) => start(['publish', CAMPAIGN, '--now', '--channel', 'email', '--root', root], env);

async function daemon(root: string, env: Record<string, string>): Promise<Proc> {
  const d = start(['run', '--root', root, '--port', String(await freePort()), '--staff-port', '0'], env);
  await until(() => d.stderr().includes('serving') || d.child.exitCode !== null, 20_000, 'the daemon to start');
  if (d.child.exitCode !== null) throw new Error(`daemon exited ${d.child.exitCode}\n${d.stderr()}`);
  return d;
}

/**
 * Everyone got it; the copies beyond one are all of deliveries the ledger marks resentAfterCrash,
 * those at most IN_SENDING_MAX per crash, and at most DUPLICATES_MAX arrive twice a crash. Returns the counts (for the record).
 */
async function verified(root: string, list: Array<{ address: string }>, crashes: number): Promise<{ flagged: number; duplicates: number }> {
  const ds = await emailDeliveries(root);
  expect(ds).toHaveLength(N);
  expect(ds.filter((d) => d.state !== 'sent').map((d) => `${d.state}: ${d.reason}`)).toEqual([]);
  expect([...new Set(smtp.fake.recipients())].sort()).toEqual(list.map((p) => p.address).sort());
  const flagged = ds.filter((d) => d.receipt?.details?.resentAfterCrash === true);
  const flaggedIds = new Set(flagged.map((d) => d.receipt!.id));
  const copies = smtp.fake.copies();
  const duplicated = [...copies].filter(([, n]) => n > 1);
  for (const [id, n] of duplicated) {
    expect(flaggedIds.has(id), `${id} arrived ${n} times but its receipt does not say resentAfterCrash`).toBe(true);
    expect(n).toBeLessThanOrEqual(1 + crashes);
  }
  expect(flagged.length).toBeLessThanOrEqual(IN_SENDING_MAX * crashes);
  expect(duplicated.length).toBeLessThanOrEqual(DUPLICATES_MAX * crashes);
  expect(smtp.fake.received).toHaveLength(N + duplicated.reduce((a, [, n]) => a + n - 1, 0));
  return { flagged: flagged.length, duplicates: duplicated.length };
}

describe('live e-mail killed mid-send', () => {
  it('publish --now killed right after the server took a message, before the ledger recorded it; the same command again: that one is resent (counted), nobody skipped', async () => {
    const { root, env, list } = await ready();
    const killed = await start(['publish', CAMPAIGN, '--now', '--channel', 'email', '--root', root], { ...env, ADVISORY_FAILPOINT: 'after-publish:6' }).exited;
    expect(killed.signal).toBe('SIGKILL');
    const before = smtp.fake.received.length;
    expect(before).toBeGreaterThanOrEqual(6);
    expect(before).toBeLessThan(N);
    const again = publish(root, env);
    const r = await again.exited;
    expect(r.code, again.stderr()).toBe(0);
    expect(again.stdout()).toMatch(/24 sent, 0 failed/);
    const { flagged, duplicates } = await verified(root, list, 1);
    // The 6th was accepted and not recorded: it is certainly sent twice, and counted.
    expect(duplicates).toBeGreaterThanOrEqual(1);
    expect(flagged).toBeGreaterThanOrEqual(duplicates);
  }, 60_000);

  it('publish --now killed at a random moment mid-batch; the daemon finishes it', async () => {
    const { root, env, list } = await ready();
    const p = publish(root, env);
    await until(() => smtp.fake.received.length >= 7, 20_000, 'some messages to arrive');
    p.child.kill('SIGKILL');
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(smtp.fake.received.length).toBeLessThan(N);
    const inFlight = (await emailDeliveries(root)).filter((x) => x.state === 'sending').length;
    expect(inFlight).toBeLessThanOrEqual(IN_SENDING_MAX);
    const d = await daemon(root, env);
    try {
      await until(async () => (await emailDeliveries(root)).every((x) => x.state === 'sent'), 30_000, 'the daemon to send the rest');
    } finally {
      d.child.kill('SIGTERM');
      expect((await d.exited).code).toBe(0);
    }
    const counts = await verified(root, list, 1);
    // Exactly the deliveries the crash left in flight were resent, each counted.
    expect(counts.flagged).toBe(inFlight);
    expect(counts.flagged).toBeGreaterThanOrEqual(counts.duplicates);
  }, 60_000);

  it('killed three times at random moments, re-run each time: at most 3 × max_connections − 1 in sending at each kill, each of them counted, nobody skipped', async () => {
    const { root, env, list } = await ready();
    const inFlight: number[] = [];
    for (const at of [4, 11, 18]) {
      const p = publish(root, env);
      await until(() => smtp.fake.received.length >= at, 20_000, `${at} messages to arrive`);
      p.child.kill('SIGKILL');
      await p.exited;
      inFlight.push((await emailDeliveries(root)).filter((x) => x.state === 'sending').length);
    }
    const last = publish(root, env);
    expect((await last.exited).code, last.stderr()).toBe(0);
    expect(Math.max(...inFlight)).toBeLessThanOrEqual(IN_SENDING_MAX);
    const counts = await verified(root, list, 3);
    expect(counts.flagged).toBeLessThanOrEqual(inFlight.reduce((a, b) => a + b, 0));
    expect(counts.duplicates).toBeLessThanOrEqual(counts.flagged);
    console.info(`e-mail crash drill: in sending at each kill ${inFlight.join(', ')} (max_connections ${MAX_CONNECTIONS}, at most ${IN_SENDING_MAX}); resent and counted ${counts.flagged}; arrived twice ${counts.duplicates}`);
  }, 60_000);

  it('the daemon killed while it sends a publish handed to it, then started again: it resumes where the ledger says', async () => {
    const { root, env, list } = await ready();
    const first = await daemon(root, env);
    const waiter = publish(root, env);
    await until(() => waiter.stderr().includes('handed to the running dispatcher'), 20_000, 'the publish to be handed over');
    waiter.child.kill('SIGKILL');
    await waiter.exited;
    await until(() => smtp.fake.received.length >= 7, 20_000, 'some messages to arrive');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(smtp.fake.received.length).toBeLessThan(N);
    const second = await daemon(root, env);
    try {
      await until(async () => (await emailDeliveries(root)).every((x) => x.state === 'sent'), 30_000, 'the restarted daemon to send the rest');
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
    await verified(root, list, 1);
  }, 60_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
