/**
 * Shared by the crash tests of `advisory publish --now`: a project with N
 * subscribers, the real CLI in child processes, the two ways an operator
 * recovers (run the same command again; start the daemon), and the check that
 * each channel holds exactly what a clean run produces.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboxFile } from '../../src/channels/sandbox.js';
import { readIndex } from '../../src/channels/website/site/state.js';
import { REPO, withStore } from './helpers.js';
import { afterAll, beforeAll } from 'vitest';
import { assertBuilt, startProcess, until, type Proc } from './daemon-process.js';
import { asCase, useLedgers, withLedger, type Backend, type Case, type LedgerOptions, type Project } from './ledgers.js';

export const CAMPAIGN = '2014-national-day';
/** website, wechat, weibo, and e-mail to every subscriber. */
export const expectedDeliveries = (subscribers: number) => 3 + subscribers;

/** A template project (content, channels, templates, a ledger with `subscribers` subscribers) to copy per case. */
export async function templateProject(subscribers: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-recovery-'));
  for (const d of ['advisories', 'channels', 'templates']) cpSync(join(REPO, d), join(dir, d), { recursive: true });
  rmSync(join(dir, 'advisories/national-day'), { recursive: true });
  await withStore(join(dir, 'var'), async (store) => {
    for (let i = 0; i < subscribers; i++) await store.addSubscriber({ address: `resident${i}@example.org`, name: `居民${i}` }, new Date('2014-09-01T00:00:00Z'));
  });
  return dir;
}

/**
 * For a test file: a template project with `subscribers` made once (before all tests), and `project()` giving each
 * case its own copy; every folder is removed after all tests.
 */
export function projects(subscribers: number): () => string {
  let template: string | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    assertBuilt();
    template = await templateProject(subscribers);
  });
  afterAll(() => {
    for (const d of [template, ...dirs]) if (d) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const root = copyProject(template!);
    dirs.push(root);
    return root;
  };
}

/**
 * As `projects`, on `backend`: each case a copy of the template project with a ledger of its own (a copy of the
 * SQLite file, or a fresh PostgreSQL schema holding the same subscribers) and the environment naming it.
 */
export function cases(subscribers: number, backend: Backend, opts: LedgerOptions = {}): () => Promise<Case> {
  const project = projects(subscribers);
  const ledgers = useLedgers(backend, opts);
  return () => ledgers.ledger(project(), subscribers);
}

export function copyProject(template: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-case-'));
  for (const d of ['advisories', 'channels', 'templates']) cpSync(join(template, d), join(dir, d), { recursive: true });
  mkdirSync(join(dir, 'var'));
  copyFileSync(join(template, 'var/advisory.db'), join(dir, 'var/advisory.db'));
  return dir;
}

export const publish = (p: Project, env: Record<string, string> = {}, extra: string[] = []): Proc =>
  startProcess(['publish', CAMPAIGN, '--now', '--root', asCase(p).root, ...extra], { ...asCase(p).env, ...env });

/** Recovery 1: the operator runs the same command again. It must finish and exit 0. */
export async function recoverByRerun(root: Project): Promise<Proc> {
  const p = publish(root);
  const r = await p.exited;
  if (r.code !== 0) throw new Error(`re-run exited ${r.code} ${r.signal ?? ''}\n${p.stdout()}\n${p.stderr()}`);
  return p;
}

/**
 * Recovery 2: the operator starts the daemon; once nothing is owed it is stopped with SIGTERM and must exit 0.
 * With a Redis queue the daemon keeps the clock and the relay (`--workers 0`) and one `advisory worker` sends,
 * stopped the same way.
 */
export async function recoverByDaemon(project: Project): Promise<{ daemon: Proc; worker?: Proc; jobs?: number }> {
  const c = asCase(project);
  const queue = c.backend.kind === 'queue';
  const p = startProcess(['run', '--root', c.root, '--port', '0', ...(queue ? ['--workers', '0'] : [])], c.env);
  const started = queue ? 'no workers in this process' : 'serving';
  await until(() => p.stderr().includes(started) || p.child.exitCode !== null, 20_000, 'the daemon to start');
  const procs = [p];
  let worker: Proc | undefined;
  try {
    if (queue) {
      const w = (worker = startProcess(['worker', '--root', c.root], c.env));
      procs.push(w);
      await until(() => /advisory worker \d+: sending/.test(w.stderr()) || w.child.exitCode !== null, 20_000, 'the worker to start');
    }
    await until(async () => procs.some((x) => x.child.exitCode !== null) || (await owed(c)) === 0, 30_000, 'the daemon to finish what was owed', 100);
    for (const x of [...procs].reverse()) {
      x.child.kill('SIGTERM');
      const r = await x.exited;
      if (r.code !== 0) throw new Error(`${x === p ? 'daemon' : 'worker'} exited ${r.code} ${r.signal ?? ''}\n${x.stderr()}`);
    }
  } finally {
    // A failed recovery leaves no process behind (the test's servers and folders go away after it).
    for (const x of procs) if (x.child.exitCode === null && x.child.signalCode === null) x.child.kill('SIGKILL');
  }
  // The worker says how many jobs it handled as it stops (`stopped after N job(s)`).
  const jobs = worker ? Number(/stopped after (\d+) job/.exec(worker.stderr())?.[1] ?? NaN) : undefined;
  return { daemon: p, worker, jobs };
}

function owed(c: Case): Promise<number> {
  return withLedger(c, async (store) => {
    const c = await store.counts();
    return c.pending + c.sending + (await store.waitingChannels()).length;
  });
}

export interface Outcome {
  /** Manual occurrences recorded (0: killed before its one transaction committed). */
  occurrences: number;
  deliveries: number;
  sent: number;
  /** Keys written to the sandbox outbox more than once, by channel. */
  twice: Record<string, string[]>;
  /** Deliveries recorded sent whose outbox file is missing. */
  lost: string[];
  /** Deliveries in any state but sent. */
  unfinished: string[];
}

/** What the ledger and the sandbox outbox hold for the campaign's manual publishes. */
export async function outcome(project: Project): Promise<Outcome> {
  const varDir = join(asCase(project).root, 'var');
  return withLedger(project, async (store) => {
    const occurrences = await store.occurrences({ campaign: CAMPAIGN, kind: 'manual' });
    const all = (await Promise.all(occurrences.map((o) => store.list({ occurrence: o.key })))).flat();
    const twice: Record<string, string[]> = {};
    for (const ch of ['wechat', 'weibo', 'email']) {
      const log = join(varDir, 'outbox', ch, 'sent.log');
      const seen = new Map<string, number>();
      if (existsSync(log)) for (const l of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
        const key = (JSON.parse(l) as { key: string }).key;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      twice[ch] = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
    }
    const lost = all.filter((d) => d.state === 'sent' && (d.channel === 'website'
      ? readIndex(varDir)[CAMPAIGN]?.deliveryKey !== d.key
      : !existsSync(outboxFile(varDir, d.channel, d.key)))).map((d) => d.key);
    return {
      occurrences: occurrences.length, deliveries: all.length, sent: all.filter((d) => d.state === 'sent').length,
      twice, lost, unfinished: all.filter((d) => d.state !== 'sent').map((d) => `${d.key} ${d.state}`),
    };
  });
}

/**
 * Each channel holds exactly what a clean run produced: one WeChat post, one
 * Weibo text, the website once, each subscriber mailed once. Or, when the kill
 * came before the one transaction committed and only the daemon was started,
 * nothing at all. Returns the e-mails repeated (only those in flight at the
 * kill may be; the sandbox's outbox is checked before any resend, so 0).
 */
export function assertExactlyOnce(o: Outcome, subscribers: number, what: string, allowNothing: boolean): number {
  const ctx = `${what}: ${JSON.stringify(o)}`;
  if (allowNothing && o.occurrences === 0) {
    if (o.deliveries !== 0) throw new Error(`nothing recorded, yet deliveries exist: ${ctx}`);
    return 0;
  }
  if (o.occurrences !== 1) throw new Error(`expected one manual publish, found ${o.occurrences}: ${ctx}`);
  if (o.deliveries !== expectedDeliveries(subscribers) || o.sent !== o.deliveries) throw new Error(`not all sent: ${ctx}`);
  if (o.lost.length > 0) throw new Error(`lost: ${ctx}`);
  if (o.twice.wechat.length > 0 || o.twice.weibo.length > 0) throw new Error(`a post went out twice: ${ctx}`);
  return o.twice.email.length;
}

/**
 * Kill points between every two steps of a manual publish: inside its one
 * transaction (after the occurrence row, after a channel, mid fan-out: never
 * committed), after it committed, mid-send (committed `sending`, channel not
 * called) and after a send before it was recorded.
 */
export const KILL_POINTS: Array<{ failpoint: string; committed: boolean }> = [
  { failpoint: 'record-occurrence:1', committed: false },
  { failpoint: 'record-channel:2', committed: false },
  { failpoint: 'record-fanout:1', committed: false },
  { failpoint: 'after-create:1', committed: true },
  { failpoint: 'after-sending:1', committed: true },
  { failpoint: 'after-publish:2', committed: true },
  { failpoint: 'after-sending:30', committed: true },
  { failpoint: 'after-publish:80', committed: true },
];

/**
 * Runs `publish --now` that SIGKILLs itself at `failpoint`; checks it really died there and what it left committed,
 * and returns that.
 */
export async function killedPublish(root: Project, failpoint: string, committed: boolean, subscribers: number): Promise<Outcome> {
  const p = publish(root, { ADVISORY_FAILPOINT: failpoint });
  const r = await p.exited;
  if (r.signal !== 'SIGKILL') throw new Error(`${failpoint}: expected the publish to be killed there, it exited ${r.code}\n${p.stdout()}\n${p.stderr()}`);
  const left = await outcome(root);
  if (!committed && (left.occurrences !== 0 || left.deliveries !== 0)) throw new Error(`${failpoint}: killed inside the transaction, yet something was committed: ${JSON.stringify(left)}`);
  if (committed && (left.occurrences !== 1 || left.deliveries !== expectedDeliveries(subscribers))) {
    throw new Error(`${failpoint}: killed after the transaction, yet the intent is not whole: ${JSON.stringify(left)}`);
  }
  return left;
}
