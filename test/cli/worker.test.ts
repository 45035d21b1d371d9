/**
 * `advisory worker` and `advisory run --workers` as a user meets them without
 * servers: the options said wrong, a local queue (nothing to take), and a
 * Redis queue over the SQLite ledger (refused: workers on other machines could
 * not reach it). The workers at work: test/delivery/queue/workers.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './in-process.js';
import { tmpProject } from '../delivery/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function project(): string {
  const root = tmpProject();
  dirs.push(root);
  return root;
}
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, LOG_LEVEL: 'silent', ADVISORY_LANG: 'en', ...extra });

describe('advisory worker', () => {
  it('--help says what it does, in both languages', async () => {
    const en = await runCli(['worker', '--help'], { env: env() });
    expect(en.code).toBe(0);
    expect(en.out).toMatch(/Usage: advisory worker \[--channels email,weibo,…\] \[--concurrency N\]/);
    const zh = await runCli(['worker', '--help'], { env: env({ ADVISORY_LANG: 'zh' }) });
    expect(zh.out).toMatch(/用法：advisory worker/);
  });

  it('wrong options are usage errors (exit 2) that say what was expected', async () => {
    const root = project();
    const a = await runCli(['worker', '--root', root, '--channels', 'email,fax'], { env: env({ ADVISORY_QUEUE: 'redis://127.0.0.1:1' }) });
    expect([a.code, a.err.trim()]).toEqual([2, 'advisory worker: --channels email,fax: expected some of website, wechat, weibo, email, comma-separated.']);
    const b = await runCli(['worker', '--root', root, '--concurrency', '0'], { env: env() });
    expect([b.code, b.err.trim()]).toEqual([2, 'advisory worker: --concurrency 0: expected a whole number from 1 to 100.']);
    const c = await runCli(['run', '--root', root, '--workers', 'many', '--port', '0'], { env: env() });
    expect([c.code, c.err.trim()]).toEqual([2, 'advisory run: --workers many: expected a whole number from 0 to 100.']);
  });

  it('with the queue local (the default) there is nothing to take: exit 3, saying how to set one', async () => {
    const r = await runCli(['worker', '--root', project()], { env: env() });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/the queue is local \(in `advisory run`\): there is nothing for a worker to take\. Set ADVISORY_QUEUE/);
  });

  it('a Redis queue over the SQLite ledger is refused (exit 3), by the worker and by the daemon, before any connection', async () => {
    const root = project();
    const e = env({ ADVISORY_QUEUE: 'redis://127.0.0.1:1/0' });
    const w = await runCli(['worker', '--root', root], { env: e });
    expect(w.code).toBe(3);
    expect(w.err).toContain(`the queue redis://127.0.0.1:1/0 spreads the sending over workers, which all need the same ledger, but the ledger is ${join(root, 'var', 'advisory.db')} (SQLite, on this machine only)`);
    const d = await runCli(['run', '--root', root, '--port', '0', '--staff-port', '0'], { env: e });
    expect(d.code).toBe(3);
    expect(d.err).toContain('(SQLite, on this machine only)');
  });
});
