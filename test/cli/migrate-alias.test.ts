/**
 * Regression: `advisory migrate --from X --to Y`, Y being X's PostgreSQL server under another name (127.0.0.1 and
 * localhost), said the ledger "is in use by advisory migrate, pid N": its own pid, the lock it had just taken on
 * --from. Now: it cannot be copied onto itself, exit 3. The real CLI (dist/cli/main.js; `npm run build` first).
 * Skipped, visibly, unless ADVISORY_TEST_POSTGRES names a server on 127.0.0.1 or localhost.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/cli/main.js');
const PG = process.env.ADVISORY_TEST_POSTGRES?.trim();
const local = PG !== undefined && /^(127\.0\.0\.1|localhost)$/.test(new URL(PG).hostname);
const root = mkdtempSync(join(tmpdir(), 'advisory-migrate-alias-'));
mkdirSync(join(root, 'advisories'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: root, ADVISORY_LANG: 'en', NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout + r.stderr };
};

(local ? describe : describe.skip)(local ? 'advisory migrate onto the same ledger under another host name' : 'advisory migrate onto the same ledger under another host name: skipped, ADVISORY_TEST_POSTGRES not set (or not on this machine)', () => {
  it('says it cannot be copied onto itself, not that it is in use by its own pid', () => {
    const from = new URL(PG!);
    from.searchParams.set('schema', `t_alias_${process.pid}`);
    const to = new URL(from);
    from.hostname = '127.0.0.1';
    to.hostname = 'localhost';
    expect(cli(['migrate'], { ADVISORY_STORE: from.toString() }).code).toBe(0);
    const r = cli(['migrate', '--from', from.toString(), '--to', to.toString()]);
    expect(r.code, r.out).toBe(3);
    expect(r.out).toContain('are the same ledger');
    expect(r.out).toContain('cannot be copied onto itself');
    expect(r.out).not.toContain('in use by');
  });
});
