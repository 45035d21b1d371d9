/**
 * Split brain: a daemon frozen mid-publish (SIGSTOP, as a VM pause or a swap
 * storm does) past its lock's lease, a second daemon started, then the first
 * resumed (SIGCONT). Real processes, a short lease (ADVISORY_LOCK_LEASE=2).
 * - Same host: the frozen process still exists, so the second refuses and says
 *   it may be frozen; the first resumes and finishes. Nothing twice.
 * - Another host (the second daemon in its own UTS namespace, so its host name
 *   differs): the second takes over after the lease; the first, resumed, finds
 *   it lost the lock (fencing), stops at once and exits 3. Nothing twice. Here
 *   the first freezes itself at a known point (ADVISORY_FAILPOINT
 *   after-sending:30:stop: a delivery committed `sending`, its channel not yet
 *   called, the worst moment); frozen at a random moment it may be inside a
 *   SQLite write, whose lock then stops the second from writing at all (also
 *   safe, but not the case under test).
 *
 * On PostgreSQL (ADVISORY_TEST_POSTGRES; skipped, named, without it) the lock is
 * the same lease with a fencing generation, kept in PostgreSQL. The drill above
 * (--clock-start) would not test it: a drill rehearses on a SQLite copy of its
 * own in var/drill/. So the work there is real: a `publish --now` killed right
 * after its intent was committed (every delivery pending), then the daemon
 * freezes itself at the same failpoint on the real clock. With a Redis queue
 * (ADVISORY_TEST_REDIS also) the frozen daemon is the clock and the relay with
 * its one in-process worker (`--workers 1`, the default), so it holds the
 * dispatcher lock and e-mail claims at once (a worker frozen alone is
 * queue/workers.test.ts's case).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withStore } from './helpers.js';
import { assertBuilt, MAIN, startProcess, until, type Proc } from './daemon-process.js';
import { cases, copyProject, expectedDeliveries, killedPublish, templateProject } from './recovery.js';
import { describeOn, POSTGRES, QUEUE, withLedger, type Case } from './ledgers.js';

const SUBSCRIBERS = 120;
// bulletin: website, wechat, e-mail to each subscriber
const EXPECTED = 2 + SUBSCRIBERS;
const LEASE = { ADVISORY_LOCK_LEASE: '2' };
const DRILL = ['--port', '0', '--clock-start', '2014-09-29T01:00:00Z'];
const canUnshare = spawnSync('unshare', ['--uts', 'true']).status === 0;

let template: string;
const dirs: string[] = [];
const procs: Proc[] = [];
beforeAll(async () => {
  assertBuilt();
  template = await templateProject(SUBSCRIBERS);
});
afterAll(() => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) (p.child.kill('SIGCONT'), p.child.kill('SIGKILL'));
  for (const d of [template, ...dirs]) rmSync(d, { recursive: true, force: true });
});

/**
 * The other-host takeover, on any ledger: a second daemon in its own UTS namespace (host name other-host) starts
 * beside the frozen `a`, takes over after the lease and sends past `sentOver`; `a`, resumed, finds it lost the lock
 * and exits 3; the second finishes (`expected` sent) and stops with 0.
 */
async function takenOverFromAnotherHost(
  a: Proc,
  o: { args: string; env: Record<string, string>; startMs: number; sendMs: number; pollMs: number; finishPollMs: number },
  sent: () => Promise<number>,
  sentOver: number,
  expected: number,
): Promise<void> {
  const b: Proc = startProcess(['--uts', 'sh', '-c', `hostname other-host && exec "${process.execPath}" "${MAIN}" run ${o.args}`], o.env, 'unshare');
  procs.push(b);
  await until(() => b.stderr().includes('serving') || b.child.exitCode !== null, o.startMs, 'the second daemon to take over');
  expect(b.child.exitCode, b.stderr()).toBeNull();
  await until(async () => (await sent()) > sentOver, o.sendMs, 'the second daemon to send', o.pollMs);
  a.child.kill('SIGCONT');
  const ra = await a.exited;
  expect(ra.code, a.stderr()).toBe(3);
  expect(a.stderr()).toMatch(/advisory run: this process lost the dispatcher lock \(generation \d+\), now held by advisory run \(pid \d+ on other-host, generation \d+\)\. It stopped sending at once/);
  await until(async () => (await sent()) === expected, o.sendMs, 'the second daemon to finish', o.finishPollMs);
  b.child.kill('SIGTERM');
  expect((await b.exited).code, b.stderr()).toBe(0);
}

async function drillCounts(root: string) {
  if (!existsSync(join(root, 'var/drill/advisory.db'))) return { sent: 0, pending: 0, sending: 0 };
  return withStore(join(root, 'var/drill'), (s) => s.counts());
}

/** Keys in the sandbox outbox logs (the drill's, or the project's own) more than once, and how many lines in all. */
function outboxLines(root: string, varDir = 'var/drill', channels = ['wechat', 'email']): { lines: number; twice: string[] } {
  const seen = new Map<string, number>();
  for (const ch of channels) {
    const log = join(root, varDir, 'outbox', ch, 'sent.log');
    if (!existsSync(log)) continue;
    for (const l of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const key = (JSON.parse(l) as { key: string }).key;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return { lines: [...seen.values()].reduce((a, n) => a + n, 0), twice: [...seen].filter(([, n]) => n > 1).map(([k]) => k) };
}

/** Whether the process is stopped (SIGSTOP), from /proc. */
const stopped = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return false;
  }
};

/** The first daemon mid-publish, then frozen: by the test at a random moment, or by itself at a failpoint. */
async function frozenMidPublish(root: string, how: 'random' | 'failpoint'): Promise<Proc> {
  const a = startProcess(['run', '--root', root, ...DRILL], { ...LEASE, ...(how === 'failpoint' ? { ADVISORY_FAILPOINT: 'after-sending:30:stop' } : {}) });
  procs.push(a);
  if (how === 'random') {
    // Not before it serves: until then it may still be copying the ledger into var/drill/ (an empty or partial file).
    await until(async () => a.child.exitCode !== null || (a.stderr().includes('serving') && (await drillCounts(root)).sent >= 30), 30_000, 'the first daemon to be mid-publish', 20);
    expect(a.child.exitCode, a.stderr()).toBeNull();
    a.child.kill('SIGSTOP');
  } else {
    await until(() => stopped(a.child.pid!) || a.child.exitCode !== null, 30_000, 'the first daemon to freeze at its failpoint', 20);
    expect(a.child.exitCode, a.stderr()).toBeNull();
  }
  // Past the lease (2 s), with room to spare.
  await new Promise((r) => setTimeout(r, 3_200));
  return a;
}

describe('a frozen daemon and a second one', () => {
  it('same host: the second refuses (the first may be frozen) and the resumed first finishes; nothing twice', async () => {
    const root = copyProject(template);
    dirs.push(root);
    const a = await frozenMidPublish(root, 'random');
    const status = startProcess(['status', '--drill', '--root', root]);
    await status.exited;
    expect(status.stdout()).toMatch(/dispatcher: not responding \(advisory run, pid \d+ .*its last heartbeat was \d+ s ago .*may be frozen/);
    const b = startProcess(['run', '--root', root, ...DRILL], LEASE);
    procs.push(b);
    const rb = await b.exited;
    expect(rb.code, b.stderr()).toBe(3);
    expect(b.stderr()).toMatch(/another dispatcher holds .*advisory\.db and is not responding .*may be frozen .*kill \d+/);
    a.child.kill('SIGCONT');
    await until(async () => (await drillCounts(root)).sent === EXPECTED, 30_000, 'the resumed daemon to finish', 50);
    a.child.kill('SIGTERM');
    expect((await a.exited).code, a.stderr()).toBe(0);
    expect(await drillCounts(root)).toMatchObject({ sent: EXPECTED, pending: 0, sending: 0 });
    expect(outboxLines(root)).toEqual({ lines: EXPECTED - 1, twice: [] });
  }, 90_000);

  it.skipIf(!canUnshare)('another host: the second takes over after the lease; the resumed first finds it lost the lock and exits 3; nothing twice (needs unshare --uts: root)', async () => {
    const root = copyProject(template);
    dirs.push(root);
    const a = await frozenMidPublish(root, 'failpoint');
    await takenOverFromAnotherHost(a, { args: `--root "${root}" ${DRILL.join(' ')}`, env: LEASE, startMs: 20_000, sendMs: 30_000, pollMs: 20, finishPollMs: 50 }, async () => (await drillCounts(root)).sent, 60, EXPECTED);
    expect(await drillCounts(root)).toMatchObject({ sent: EXPECTED, pending: 0, sending: 0 });
    const out = outboxLines(root);
    expect(out.twice).toEqual([]);
    expect(out.lines).toBe(EXPECTED - 1);
  }, 90_000);
});

/** A manual publish on the servers: website, wechat, weibo, e-mail to each subscriber. */
const SERVER_EXPECTED = expectedDeliveries(SUBSCRIBERS);

for (const backend of [POSTGRES, QUEUE]) {
  describeOn(backend, 'a frozen daemon and a second one', () => {
    // Redis database 15 (see ledgers.ts): the queue's two cases one after the other.
    const project = cases(SUBSCRIBERS, backend, { redisDbs: [15] });
    const counts = (c: Case) => withLedger(c, (s) => s.counts());
    const run = (c: Case, env: Record<string, string> = {}) => startProcess(['run', '--root', c.root, '--port', '0'], { ...c.env, ...LEASE, ...env });

    /** The work recorded (a publish killed right after its one transaction), then the daemon frozen at its 30th send, past the lease. */
    async function frozenDaemon(c: Case): Promise<Proc> {
      await killedPublish(c, 'after-create:1', true, SUBSCRIBERS);
      const a = run(c, { ADVISORY_FAILPOINT: 'after-sending:30:stop' });
      procs.push(a);
      await until(() => stopped(a.child.pid!) || a.child.exitCode !== null, 60_000, 'the first daemon to freeze at its failpoint', 20);
      expect(a.child.exitCode, a.stderr()).toBeNull();
      await new Promise((r) => setTimeout(r, 3_200));
      return a;
    }

    async function exactlyOnce(c: Case): Promise<void> {
      expect(await counts(c)).toMatchObject({ sent: SERVER_EXPECTED, pending: 0, sending: 0, failed: 0, held: 0, missed: 0 });
      expect(outboxLines(c.root, 'var', ['wechat', 'weibo', 'email'])).toEqual({ lines: SERVER_EXPECTED - 1, twice: [] });
    }

    it('same host: the second refuses (the first may be frozen) and the resumed first finishes; nothing twice', async () => {
      const c = await project();
      const a = await frozenDaemon(c);
      const status = startProcess(['status', '--root', c.root], c.env);
      await status.exited;
      expect(status.stdout()).toMatch(/dispatcher: not responding \(advisory run, pid \d+ .*its last heartbeat was \d+ s ago .*may be frozen/);
      const b = run(c);
      procs.push(b);
      const rb = await b.exited;
      expect(rb.code, b.stderr()).toBe(3);
      expect(b.stderr()).toMatch(/another dispatcher holds postgres:\/\/\S+schema=t_\w+ and is not responding .*may be frozen .*kill \d+/);
      a.child.kill('SIGCONT');
      await until(async () => (await counts(c)).sent === SERVER_EXPECTED, 60_000, 'the resumed daemon to finish', 100);
      a.child.kill('SIGTERM');
      expect((await a.exited).code, a.stderr()).toBe(0);
      await exactlyOnce(c);
    }, 120_000);

    it.skipIf(!canUnshare)('another host: the second takes over after the lease; the resumed first finds it lost the lock and exits 3; nothing twice (needs unshare --uts: root)', async () => {
      const c = await project();
      const a = await frozenDaemon(c);
      const sentBefore = (await counts(c)).sent;
      const env = { ...c.env, ...LEASE };
      await takenOverFromAnotherHost(a, { args: `--root "${c.root}" --port 0`, env, startMs: 30_000, sendMs: 60_000, pollMs: 100, finishPollMs: 100 }, async () => (await counts(c)).sent, sentBefore + 30, SERVER_EXPECTED);
      await exactlyOnce(c);
    }, 120_000);
  }, false);
}
