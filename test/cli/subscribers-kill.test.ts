/**
 * `advisory subscribers import` killed with SIGKILL in the middle of its one
 * transaction adds nothing, and running it again adds the whole file; and
 * `import -` reads standard input. Real processes of the built CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/delivery/store/index.js';
import { tmpProject, withStore } from '../delivery/helpers.js';
import { assertBuilt, MAIN, startProcess, until } from '../delivery/daemon-process.js';

const N = 20_000;
let root: string;
beforeAll(() => {
  assertBuilt();
  root = tmpProject();
  writeFileSync(join(root, 'big.csv'), ['邮箱,姓名', ...Array.from({ length: N }, (_, i) => `resident${i}@example.org,居民${i}`)].join('\r\n'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ledger = <T>(f: (s: Store) => T | Promise<T>): Promise<T> => withStore(join(root, 'var'), f);
const run = async (args: string[]) => {
  const p = startProcess([...args, '--root', root]);
  return { ...(await p.exited), out: p.stdout(), err: p.stderr() };
};
/**
 * How far the import's transaction got, seen from outside without reading the ledger: SQLite writes the
 * pages a transaction changes into the write-ahead log once they no longer fit its cache, uncommitted.
 */
const walBytes = () => {
  try {
    return statSync(join(root, 'var/advisory.db-wal')).size;
  } catch {
    return 0;
  }
};

describe('advisory subscribers import, killed', () => {
  it('killed half-way through its transaction it adds nothing; run again it adds every line, and once more nothing', async () => {
    // A ledger with one subscriber and its link secret, so the import's only write is the import.
    expect((await run(['subscribers', 'add', 'seed@example.org'])).code).toBe(0);
    const before = await ledger(async (s) => ({ count: (await s.subscribers()).length, audit: (await s.auditLog()).length }));
    expect(before.count).toBe(1);
    const wal = walBytes();

    const p = startProcess(['subscribers', 'import', join(root, 'big.csv'), '--root', root]);
    // Rows already written (a MiB of uncommitted pages in the log), not yet committed: kill it there.
    await until(() => walBytes() > wal + 1024 * 1024 || p.child.exitCode !== null, 90_000, 'the import to be writing its transaction', 10);
    p.child.kill('SIGKILL');
    const killed = await p.exited;
    expect(killed.signal, `the import finished before it could be killed:\n${p.stdout()}${p.stderr()}`).toBe('SIGKILL');
    expect(p.stdout()).toBe('');

    const after = await ledger(async (s) => ({ count: (await s.subscribers()).length, audit: (await s.auditLog()).length }));
    expect(after).toEqual(before);

    const again = await run(['subscribers', 'import', join(root, 'big.csv')]);
    expect(again).toMatchObject({ code: 0, signal: null, err: '' });
    expect(again.out).toContain(`big.csv (UTF-8): ${N} added, 0 already present, 0 unsubscribed earlier (skipped), 0 invalid.`);
    const done = await ledger(async (s) => (await s.subscribers('active')).filter((x) => x.source === 'import:big.csv'));
    expect(done).toHaveLength(N);
    expect(done.find((x) => x.address === `resident${N - 1}@example.org`)?.name).toBe(`居民${N - 1}`);

    expect((await run(['subscribers', 'import', join(root, 'big.csv')])).out).toContain(`big.csv (UTF-8): 0 added, ${N} already present`);
  }, 180_000);

  it('import - reads standard input (GBK there too), recorded as import:stdin', async () => {
    const child = spawn(process.execPath, [MAIN, 'subscribers', 'import', '-', '--root', root], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // 邮箱,姓名 / stdin@example.org,王丽 in GBK.
    child.stdin.end(Buffer.from('d3cacfe42cd0d5c3fb0d0a737464696e406578616d706c652e6f72672ccdf5c0f60d0a', 'hex'));
    expect(await closed).toBe(0);
    expect(out).toContain('(standard input) (GBK/GB18030): 1 added');
    expect(await ledger((s) => s.subscriberByAddress('stdin@example.org'))).toMatchObject({ name: '王丽', source: 'import:stdin', status: 'active' });
  });
});
