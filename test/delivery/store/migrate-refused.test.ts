/**
 * Regression: a refused copy into a new SQLite ledger (`advisory migrate --to sqlite:/path` while --from is in use)
 * left the folder it had made, with an empty ledger in it. Now nothing is left; an existing folder keeps what it had.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, transferStore, type StoreConfig } from '../../../src/delivery/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function busySource(): Promise<{ from: StoreConfig; release: () => Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'advisory-migrate-refused-'));
  dirs.push(root);
  const from: StoreConfig = { kind: 'sqlite', varDir: join(root, 'var') };
  const store = await openStore(from);
  const got = await store.acquireLock('dispatcher', 'advisory run', undefined, { fence: false });
  if (!('held' in got)) throw new Error('lock not taken');
  return { from, release: async () => { await store.releaseLock(got.held); await store.close(); } };
}

describe('a refused migrate --to sqlite:… leaves nothing behind', () => {
  it('new folders it would have made are removed', async () => {
    const { from, release } = await busySource();
    const out = mkdtempSync(join(tmpdir(), 'advisory-migrate-target-'));
    dirs.push(out);
    const to: StoreConfig = { kind: 'sqlite', varDir: join(out, 'new', 'var') };
    await expect(transferStore(from, to)).rejects.toThrow(/in use by/);
    expect(existsSync(join(out, 'new'))).toBe(false);
    await release();
  });

  it('an existing folder keeps its other files; no ledger is left in it', async () => {
    const { from, release } = await busySource();
    const out = mkdtempSync(join(tmpdir(), 'advisory-migrate-target-'));
    dirs.push(out);
    mkdirSync(join(out, 'var'));
    writeFileSync(join(out, 'var', 'keep.txt'), 'x');
    await expect(transferStore(from, { kind: 'sqlite', varDir: join(out, 'var') })).rejects.toThrow(/in use by/);
    expect(readdirSync(join(out, 'var')).filter((f) => f.startsWith('advisory.db'))).toEqual([]);
    expect(existsSync(join(out, 'var', 'keep.txt'))).toBe(true);
    await release();
  });
});
