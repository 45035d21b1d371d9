/**
 * Crash drill: the REAL daemon publishes a campaign to all four channels
 * (hundreds of e-mail recipients) and is SIGKILLed at many points
 * (ADVISORY_FAILPOINT), then restarted, until everything is sent. Then: every
 * delivery sent, nothing lost (each has its outbox file), nothing twice (no key
 * appears twice in the sandbox's sent.log).
 *
 * On PostgreSQL (ADVISORY_TEST_POSTGRES; skipped, named, without it) the daemon
 * runs on the real clock (a drill, --clock-start, rehearses on a SQLite copy of
 * its own), so the work is a `publish --now` killed right after its intent was
 * committed (303 deliveries), and the daemon is killed at the sending points and
 * restarted; with a Redis queue (ADVISORY_TEST_REDIS), the daemon relays and the
 * `advisory worker` process is the one killed and restarted. Killing inside the
 * recording transaction on PostgreSQL is publish-crash-rerun/-daemon's part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outboxFile } from '../../src/channels/sandbox.js';
import { openStore } from '../../src/delivery/store/index.js';
import type { StoreConfig } from '../../src/delivery/store/config.js';
import { tmpProject, withStore } from './helpers.js';
import { assertBuilt, startProcess, until, type Proc } from './daemon-process.js';
import { describeOn, POSTGRES, QUEUE, withLedger, type Backend, type Case } from './ledgers.js';
import { cases, killedPublish } from './recovery.js';

const SUBSCRIBERS = 300;
// bulletin: website, wechat, email×N; drill: website, wechat, weibo, email×N
const EXPECTED = 2 + 1 + 2 * SUBSCRIBERS + 2;
// Spread over the whole publish: while an occurrence is being recorded (after its row, between two
// channels, mid e-mail fan-out: all inside its one transaction), after it is committed, right after
// `sending` is committed (before the channel call), right after the channel call (before `sent` is
// recorded), at small and large counts.
const KILLS = [
  'record-occurrence:1', 'record-channel:2', 'record-fanout:2', 'after-create:1', 'after-create:1', 'after-sending:1', 'after-publish:1', 'after-sending:30', 'after-publish:45',
  'after-sending:60', 'after-publish:75', 'after-sending:90', 'after-publish:100', 'after-sending:110', 'after-publish:120',
];

let root: string;
beforeAll(async () => {
  assertBuilt();
  root = tmpProject();
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  const yaml = join(root, 'advisories/2014-national-day/campaign.yaml');
  writeFileSync(yaml, `${readFileSync(yaml, 'utf8').trimEnd()}\n  - name: drill\n    channels: [website, wechat, weibo, email]\n    at: 2014-09-29T09:00+08:00\n`);
  // Two occurrences at the same moment on the same channels: allowed here on purpose (check refuses it by default).
  for (const c of ['wechat', 'email']) {
    const file = join(root, 'channels', `${c}.yaml`);
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\nmin_interval: 0m\n`);
  }
  await withStore(join(root, 'var'), async (store) => {
    for (let i = 0; i < SUBSCRIBERS; i++) await store.addSubscriber({ address: `resident${i}@example.org`, name: `居民${i}` }, new Date('2014-09-01T00:00:00Z'));
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// `run --clock-start` is a drill: it runs on var/drill/, a copy of the ledger.
async function sentCount(): Promise<number> {
  if (!existsSync(join(root, 'var/drill/advisory.db'))) return 0;
  return withStore(join(root, 'var/drill'), async (store) => (await store.counts()).sent);
}

describe('crash drill, on SQLite (the daemon on its drill copy, --clock-start)', () => {
  it('sends every delivery exactly once across SIGKILLs at many points', async () => {
    const report: string[] = [];
    const started = Date.now();
    for (const failpoint of [...KILLS, '']) {
      const before = await sentCount();
      const p = startProcess(['run', '--root', root, '--port', '0', '--clock-start', '2014-09-29T01:00:00Z'], failpoint ? { ADVISORY_FAILPOINT: failpoint } : {});
      let finished = false;
      // The ledger is read once the daemon serves: before, it may still be copying it into var/drill/.
      await until(async () => p.child.exitCode !== null || p.child.signalCode !== null || (p.stderr().includes('serving') && (finished = (await sentCount()) === EXPECTED)), 30_000, `daemon with ${failpoint || 'no failpoint'}`, 100);
      if (finished) {
        await until(() => p.stderr().includes('serving'), 20_000, 'start-up to finish before SIGTERM');
        p.child.kill('SIGTERM');
        expect((await p.exited).code, p.stderr()).toBe(0);
      } else {
        const r = await p.exited;
        expect(r.signal, `${failpoint}: ${p.stderr()}`).toBe('SIGKILL');
      }
      report.push(`${failpoint || 'final run'}: ${(await sentCount()) - before} sent`);
      if ((await sentCount()) === EXPECTED && !failpoint) break;
    }

    await verifyDrill({ kind: 'sqlite', varDir: join(root, 'var/drill') }, join(root, 'var/drill'), EXPECTED, 2 * SUBSCRIBERS, report, started, 'crash drill');
    // The kills landed where they were meant to: nothing was sent before the two occurrences were recorded (or at the
    // first send), and the sending was spread over the later restarts (each sent something, then was killed).
    expect(report.slice(0, 7).every((r) => r.endsWith(': 0 sent')), report.join('\n')).toBe(true);
    expect(report.slice(7, KILLS.length).filter((r) => r.endsWith(': 0 sent')), report.join('\n')).toEqual([]);
  }, 120_000);
});

/**
 * After the last restart: every delivery sent, each once (no key twice in the sandbox's sent.log), none lost (each has
 * its outbox file), the e-mails whole; and the report printed.
 */
async function verifyDrill(ledger: StoreConfig, varDir: string, expected: number, emails: number, report: string[], started: number, what: string): Promise<void> {
  const store = await openStore(ledger);
  const [all, counts] = await Promise.all([store.list(), store.counts()]).finally(() => store.close());
  const resent = all.filter((d) => d.attempts > 1);
  const reconciled = all.filter((d) => (d.receipt?.details as Record<string, unknown> | undefined)?.reconciled);
  expect(all).toHaveLength(expected);
  expect(counts).toMatchObject({ sent: expected, pending: 0, sending: 0, failed: 0, held: 0, missed: 0 });

  // Nothing lost: each delivery's outbox file is there. Nothing twice: no key written twice.
  // (The website is a deploy, idempotent by design: checked by its receipt, the build id.)
  const website = all.filter((d) => d.channel === 'website');
  expect(website.every((d) => typeof d.receipt?.id === 'string' && d.receipt.id.length > 0)).toBe(true);
  const outboxed = all.filter((d) => d.channel !== 'website');
  const lines = new Map<string, number>();
  for (const ch of ['wechat', 'weibo', 'email']) {
    const log = join(varDir, 'outbox', ch, 'sent.log');
    for (const l of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const key = (JSON.parse(l) as { key: string }).key;
      lines.set(key, (lines.get(key) ?? 0) + 1);
    }
  }
  const lost = outboxed.filter((d) => !existsSync(outboxFile(varDir, d.channel, d.key)));
  const twice = [...lines].filter(([, n]) => n > 1);
  expect(lost.map((d) => d.key)).toEqual([]);
  expect(twice).toEqual([]);
  const emlFiles = readdirSync(join(varDir, 'outbox/email')).filter((f) => f.endsWith('.eml'));
  expect(emlFiles).toHaveLength(emails);
  const eml = readFileSync(join(varDir, 'outbox/email', emlFiles[0]), 'utf8');
  expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  expect(eml).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:4321\/unsubscribe\?token=[\w-]+>/m);
  expect(eml).toMatch(/^Message-ID: <[0-9a-f]{32}@example\.gov\.cn>$/m);

  const worst = Math.max(...all.map((d) => d.attempts));
  console.log(
    `${what}: ${report.length - 1} SIGKILLs, ${expected} deliveries, all sent once in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `${reconciled.length} found already sent by reconcile, ${resent.length} resent after an interrupted attempt (worst case ${worst} attempts), 0 duplicates, 0 lost.\n  ${report.join('\n  ')}`,
  );
}

/**
 * On the servers: a kill right after the first send is claimed and right after it returned, then spread over the
 * sending (counted per process: about 240 of the 303 sent over the killed runs, the rest by the last).
 */
const SENDING_KILLS = ['after-sending:1', 'after-publish:1', 'after-sending:15', 'after-publish:25', 'after-sending:35', 'after-publish:45', 'after-sending:55', 'after-publish:65'];
/**
 * A worker holds three batches of max_connections (5) at once, all sent before the first is recorded: its 15th
 * send can come before anything is recorded, its 16th cannot (a fourth batch needs a slot the first one freed).
 */
const WORKER_KILLS = SENDING_KILLS.map((k) => (k === 'after-sending:15' ? 'after-sending:20' : k));
/** website, wechat, weibo and e-mail to every subscriber: one manual publish. */
const SERVER_EXPECTED = 3 + SUBSCRIBERS;

for (const backend of [POSTGRES, QUEUE]) {
  describeOn(backend, 'crash drill', () => {
    // Redis database 11 (see ledgers.ts).
    const project = cases(SUBSCRIBERS, backend, { redisDbs: [11] });
    const who = backend === QUEUE ? 'the worker' : 'the daemon';
    it(`${who} SIGKILLed at many points and restarted: every delivery sent exactly once`, async () => {
      const c = await project();
      // The intent, whole, and nothing sent: the publish killed right after its one transaction committed.
      await killedPublish(c, 'after-create:1', true, SUBSCRIBERS);
      const sent = () => withLedger(c, async (s) => (await s.counts()).sent);
      const started = Date.now();
      const report: string[] = [];
      let daemon: Proc | undefined;
      if (backend === QUEUE) {
        daemon = startProcess(['run', '--root', c.root, '--port', '0', '--workers', '0'], c.env);
        await until(() => daemon!.stderr().includes('no workers in this process') || daemon!.child.exitCode !== null, 20_000, 'the daemon to start');
      }
      try {
        for (const failpoint of [...(backend === QUEUE ? WORKER_KILLS : SENDING_KILLS), '']) {
          const before = await sent();
          await killedAt(backend, c, failpoint, SERVER_EXPECTED, sent);
          report.push(`${failpoint || 'final run'}: ${(await sent()) - before} sent`);
        }
        if (daemon) {
          daemon.child.kill('SIGTERM');
          expect((await daemon.exited).code, daemon.stderr()).toBe(0);
        }
      } finally {
        if (daemon?.child.exitCode === null) daemon.child.kill('SIGKILL');
      }
      // The first two kills came before anything was recorded sent; every later one after some sending.
      expect(report.slice(0, 2).every((r) => r.endsWith(': 0 sent')), report.join('\n')).toBe(true);
      expect(report.slice(2, SENDING_KILLS.length).filter((r) => r.endsWith(': 0 sent')), report.join('\n')).toEqual([]);
      await verifyDrill(c.ledger, join(c.root, 'var'), SERVER_EXPECTED, SUBSCRIBERS, report, started, `crash drill on ${backend.label}`);
    }, 240_000);
  }, false);
}

/**
 * One restart of the sending process (the daemon; with the queue, the worker): killed at `failpoint`, or, with none,
 * left until everything is sent and then stopped with SIGTERM (exit 0).
 */
async function killedAt(backend: Backend, c: Case, failpoint: string, expected: number, sent: () => Promise<number>): Promise<void> {
  const args = backend === QUEUE ? ['worker', '--root', c.root] : ['run', '--root', c.root, '--port', '0'];
  const started = backend === QUEUE ? /advisory worker \d+: sending/ : /serving/;
  const p = startProcess(args, { ...c.env, ...(failpoint ? { ADVISORY_FAILPOINT: failpoint } : {}) });
  try {
    let finished = false;
    await until(async () => p.child.exitCode !== null || p.child.signalCode !== null || (started.test(p.stderr()) && (finished = (await sent()) === expected)), 60_000, `${args[0]} with ${failpoint || 'no failpoint'}`, 100);
    if (finished) {
      expect(failpoint, `${failpoint} was never reached: everything was sent first`).toBe('');
      p.child.kill('SIGTERM');
      expect((await p.exited).code, p.stderr()).toBe(0);
    } else {
      const r = await p.exited;
      expect(r.signal, `${failpoint}: ${p.stderr()}`).toBe('SIGKILL');
    }
  } finally {
    // A failed wait leaves no process behind.
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
}
