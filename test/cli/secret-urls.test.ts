/**
 * Regression: a password holding an unencoded `/`, `@`, `#` or `?` was shown in errors (the mask stopped at the
 * first `/` or `@`), and a `password=` parameter was shown whole. The real CLI (dist/cli/main.js) with the
 * tester's exact inputs: the password appears nowhere in its output; one line, exit 3, the hint to
 * percent-encode where the URL text is the cause. Run `npm run build` first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/cli/main.js');
const root = mkdtempSync(join(tmpdir(), 'advisory-secret-urls-'));
mkdirSync(join(root, 'advisories'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: root, ADVISORY_LANG: 'en', NO_COLOR: '1', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('passwords in ADVISORY_STORE and ADVISORY_QUEUE are never shown', () => {
  it.each([
    ['postgres://advisory:ab/secret2@127.0.0.1:42337/advisory', ['secret2', 'ab/']],
    ['postgres://advisory:p@ss:w/rd#?%&x@127.0.0.1:42337/advisory', ['ss:w', 'rd#', '%&x']],
  ])('advisory status with ADVISORY_STORE=%s: one line, exit 3, the hint to percent-encode', (url, secrets) => {
    const r = cli(['status'], { ADVISORY_STORE: url });
    expect(r.code, r.out).toBe(3);
    for (const s of secrets) expect(r.out).not.toContain(s);
    expect(r.out).toContain('%40');
    expect(r.out.trim().split('\n')).toHaveLength(1);
  });

  it('advisory status with ?password=: masked', () => {
    const r = cli(['status'], { ADVISORY_STORE: 'postgres://advisory@127.0.0.1:1/advisory?password=secret6' });
    expect(r.code, r.out).toBe(3);
    expect(r.out).not.toContain('secret6');
    expect(r.out).toContain('password=***');
  });

  it('advisory worker with ADVISORY_QUEUE=redis://:r:p@ss/w#1@…: refused before connecting, the password not shown', () => {
    const r = cli(['worker'], { ADVISORY_STORE: 'postgres://advisory@127.0.0.1:1/advisory', ADVISORY_QUEUE: 'redis://:r:p@ss/w#1@127.0.0.1:43325/3' });
    expect(r.code, r.out).toBe(3);
    expect(r.out).not.toContain('ss/w');
    expect(r.out).not.toContain('ENOTFOUND');
    expect(r.out).toContain('redis://:***@127.0.0.1:43325/3');
    expect(r.out).toContain('%2F');
  });
});

describe('advisory status names the ledger and the queue it reads in its header line', () => {
  it('in English and Chinese, the first line', () => {
    const en = cli(['status'], {});
    expect(en.out.split('\n')[0]).toBe(`ledger: ${join(root, 'var', 'advisory.db')}; queue: local`);
    const zh = cli(['status'], { ADVISORY_LANG: 'zh-CN' });
    expect(zh.out.split('\n')[0]).toBe(`账本：${join(root, 'var', 'advisory.db')}；队列：local`);
  });
  const PG = process.env.ADVISORY_TEST_POSTGRES?.trim();
  (PG ? it : it.skip)(PG ? 'a PostgreSQL ledger with its password masked' : 'a PostgreSQL ledger with its password masked: skipped, ADVISORY_TEST_POSTGRES not set', () => {
    const url = new URL(PG!);
    url.password = 'pw@secret9';
    url.searchParams.set('schema', `t_header_${process.pid}`);
    const r = cli(['status'], { ADVISORY_STORE: url.toString() });
    expect(r.out).not.toContain('secret9');
    expect(r.out.split('\n')[0]).toMatch(/^ledger: postgres:\/\/[^:]+:\*\*\*@.*; queue: local$/);
  });
});
