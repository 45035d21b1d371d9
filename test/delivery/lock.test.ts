/** One dispatcher per ledger, proven with real processes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpProject, withStore } from './helpers.js';
import { assertBuilt, startProcess, until, type Proc } from './daemon-process.js';

let root: string;
const procs: Proc[] = [];
beforeAll(() => {
  assertBuilt();
  root = tmpProject();
});
afterAll(() => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const run = () => {
  const p = startProcess(['run', '--root', root, '--port', '0', '--clock-start', '2014-09-20T00:00:00Z']);
  procs.push(p);
  return p;
};

describe('two daemons on one ledger', () => {
  it('the second refuses with exit 3 and names the holder; after the first dies (even by SIGKILL) another may start', async () => {
    const first = run();
    await until(() => first.stderr().includes('serving http://127.0.0.1:'), 20_000, 'the first daemon to start');
    const second = run();
    const r2 = await second.exited;
    expect(r2.code).toBe(3);
    expect(second.stderr()).toMatch(new RegExp(`another dispatcher already runs on .*advisory\\.db \\(advisory run, pid ${first.child.pid} `));

    first.child.kill('SIGKILL');
    await first.exited;
    const third = run();
    await until(() => third.stderr().includes('serving'), 20_000, 'the third daemon to start');
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
    // `run --clock-start` is a drill: its ledger is var/drill/.
    await withStore(join(root, 'var/drill'), async (store) => {
      expect(await store.lockHolder('dispatcher')).toBeNull();
    });
  });

  it('SIGTERM in the middle of a publish: in-flight sends finish, nothing is left in sending, exit 0', async () => {
    await withStore(join(root, 'var'), async (store) => {
      for (let i = 0; i < 200; i++) await store.addSubscriber({ address: `r${i}@example.org` }, new Date('2014-09-01T00:00:00Z'));
    });
    const p = startProcess(['run', '--root', root, '--port', '0', '--clock-start', '2014-09-29T01:00:00Z']);
    procs.push(p);
    const sent = async () => {
      if (!existsSync(join(root, 'var/drill/advisory.db'))) return { sent: 0, sending: 0 };
      return withStore(join(root, 'var/drill'), (s) => s.counts());
    };
    await until(async () => p.stderr().includes('serving') && (await sent()).sent > 20, 30_000, 'some e-mail to go out');
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    const c = await sent();
    expect(c.sending).toBe(0);
    expect(c.sent).toBeGreaterThan(20);
  });
});
