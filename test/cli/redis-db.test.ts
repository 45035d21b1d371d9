/**
 * Regression: a Redis database the server does not have (`redis://…/16` on a default server) left `advisory worker`
 * on database 0 with only a JSON warning (two bureaus would share it); `/abc` crashed it with a ReplyError stack after
 * its banner. The real CLI (dist/cli/main.js; `npm run build` first) against our own servers: one line, exit 3, no
 * banner. Skipped, visibly, unless ADVISORY_TEST_POSTGRES and ADVISORY_TEST_REDIS name servers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/cli/main.js');
const PG = process.env.ADVISORY_TEST_POSTGRES?.trim();
const REDIS = process.env.ADVISORY_TEST_REDIS?.trim()?.replace(/\/\d*$/, '');
const root = mkdtempSync(join(tmpdir(), 'advisory-redis-db-'));
mkdirSync(join(root, 'advisories'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function worker(queue: string, args = ['worker']) {
  const store = `${PG}${PG?.includes('?') ? '&' : '?'}schema=t_redis_db_${process.pid}`;
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: root, ADVISORY_LANG: 'en', NO_COLOR: '1', ADVISORY_STORE: store, ADVISORY_QUEUE: queue },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

const run = PG && REDIS ? describe : describe.skip;
run(PG && REDIS ? 'advisory worker with a Redis database the server does not have' : 'advisory worker and the Redis database: skipped, ADVISORY_TEST_POSTGRES and ADVISORY_TEST_REDIS not both set', () => {
  it.each(['16', '99'])('redis://…/%s: one line naming the database, exit 3, never database 0', (db) => {
    const r = worker(`${REDIS}/${db}`);
    expect(r.code, r.out).toBe(3);
    expect(r.out.trim().split('\n'), r.out).toHaveLength(1);
    expect(r.out).toContain(`has no database ${db}`);
    expect(r.out).not.toContain('sending');
  });
  it('advisory run with redis://…/16: refused the same way before it serves (it went on with database 0)', () => {
    const r = worker(`${REDIS}/16`, ['run', '--port', '0', '--staff-port', '0']);
    expect(r.code, r.out).toBe(3);
    expect(r.out).toContain('has no database 16');
    expect(r.out).not.toMatch(/serving|ReplyError/);
  });
  it.each(['abc', '-1'])('redis://…/%s: refused before connecting, no stack', (db) => {
    const r = worker(`${REDIS}/${db}`);
    expect(r.code, r.out).toBe(3);
    expect(r.out.trim().split('\n'), r.out).toHaveLength(1);
    expect(r.out).toContain(`Redis database "${db}" is not a whole number`);
    expect(r.out).not.toContain('ReplyError');
  });
});
