/**
 * Regressions from an independent check of crash recovery (issue 8), each
 * through the real CLI: two publishes of one campaign at once; content edited
 * between a kill and the re-run; two channels published in the same second; a
 * ledger link whose target is gone; a fault of the outbox's disk; a ledger older
 * than what went out; a sent.log line a kill left out; the dry run after a
 * crash; output piped into a reader that stops early.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outboxFile } from '../../src/channels/sandbox.js';
import { MAIN, startProcess } from './daemon-process.js';
import { assertExactlyOnce, CAMPAIGN, outcome, projects, publish, recoverByRerun } from './recovery.js';
import { withStore } from './helpers.js';
import { runCli } from '../cli/in-process.js';
import { mount, mountingPermitted, remount, unmount } from '../fs/tmpfs.js';

const SUBSCRIBERS = 60;
const project = projects(SUBSCRIBERS);
const unmounts: string[] = [];
afterAll(() => {
  for (const d of unmounts) unmount(d);
});

const sentLog = (root: string, channel: string) => {
  const file = join(root, 'var/outbox', channel, 'sent.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; recovered?: boolean }) : [];
};

describe('publish --now, regressions', () => {
  it('two runs of the same campaign half a second apart: one publish, each channel once, both exit 0', async () => {
    const root = project();
    const a = publish(root);
    await new Promise((r) => setTimeout(r, 500));
    const b = publish(root);
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect([ra.code, rb.code], `${a.stderr()}\n${b.stderr()}`).toEqual([0, 0]);
    const o = await outcome(root);
    expect(assertExactlyOnce(o, SUBSCRIBERS, 'two runs at once', false)).toBe(0);
    expect(o.occurrences).toBe(1);
  }, 60_000);

  it('two runs on different channels in the same second: both channels are published, neither reported sent when it was not', async () => {
    const root = project();
    const a = publish(root, {}, ['--channel', 'weibo']);
    const b = publish(root, {}, ['--channel', 'wechat']);
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(a.stdout()).toContain('1 sent, 0 failed');
    expect(b.stdout()).toContain('1 sent, 0 failed');
    expect(sentLog(root, 'weibo')).toHaveLength(1);
    expect(sentLog(root, 'wechat')).toHaveLength(1);
    expect((await outcome(root)).occurrences).toBe(2);
  }, 60_000);

  it('content edited between a kill and the re-run: the unsent deliveries take the new content; nothing goes out twice', async () => {
    const root = project();
    const killed = publish(root, { ADVISORY_FAILPOINT: 'after-sending:20' });
    expect((await killed.exited).signal).toBe('SIGKILL');
    const file = join(root, 'advisories', CAMPAIGN, '01-burglary.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('外出前检查水电', '外出前务必检查水电'));
    const dry = await runCli(['publish', CAMPAIGN, '--root', root]);
    expect(dry.out).toMatch(/would finish the unfinished publish 2014-national-day\/manual\/\S+ \(website, wechat, weibo, email\): \d+ not finished, \d+ already sent; the content changed since/);
    expect(dry.out).not.toContain('would publish');
    const rerun = await recoverByRerun(root);
    expect(rerun.stderr()).toMatch(/email: the content changed after 2014-national-day\/manual\/\S+ was interrupted: its \d+ unsent deliveries now carry the current content/);
    const o = await outcome(root);
    expect(assertExactlyOnce(o, SUBSCRIBERS, 'edited after the kill', false)).toBe(0);
    expect(o.occurrences).toBe(1);
    const superseded = await withStore(join(root, 'var'), (s) => s.auditLog({ event: 'superseded' }));
    expect(superseded.reduce((n, e) => n + Number(e.detail.deliveries ?? 0), 0)).toBeGreaterThan(0);
  }, 60_000);

  it('a sent.log line a kill left out (file written, line not yet appended) is added when the send is reconciled', async () => {
    const root = project();
    const killed = publish(root, { ADVISORY_FAILPOINT: 'after-sending:1' }, ['--channel', 'weibo']);
    expect((await killed.exited).signal).toBe('SIGKILL');
    const [sending] = await withStore(join(root, 'var'), (s) => s.list({ state: 'sending' }));
    expect(sending.channel).toBe('weibo');
    // As a kill right after the outbox file was linked in, before its sent.log line, would leave it.
    const file = outboxFile(join(root, 'var'), 'weibo', sending.key);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(sending.payload?.body));
    const rerun = await runCli(['publish', CAMPAIGN, '--now', '--channel', 'weibo', '--root', root]);
    expect(rerun.code).toBe(0);
    expect(await withStore(join(root, 'var'), (s) => s.get(sending.key))).toMatchObject({ state: 'sent', receipt: { details: { reconciled: true } } });
    expect(sentLog(root, 'weibo')).toEqual([expect.objectContaining({ key: sending.key, recovered: true })]);
  }, 60_000);

  it('a ledger older than what went out (an older backup, a lost -wal): publish and run refuse (exit 3), status warns (exit 4), nothing is sent twice', async () => {
    const root = project();
    copyFileSync(join(root, 'var/advisory.db'), join(root, 'backup.db'));
    const killed = publish(root, { ADVISORY_FAILPOINT: 'after-sending:25' });
    expect((await killed.exited).signal).toBe('SIGKILL');
    for (const f of ['advisory.db-wal', 'advisory.db-shm']) rmSync(join(root, 'var', f), { force: true });
    copyFileSync(join(root, 'backup.db'), join(root, 'var/advisory.db'));
    const before = sentLog(root, 'email').length;
    const again = await runCli(['publish', CAMPAIGN, '--now', '--root', root]);
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/advisory\.db does not know \d+ deliver(y|ies) that went out \(e\.g\. 2014-national-day\/manual\/.*\): the ledger is older than what was sent .* Nothing was sent\./);
    const daemon = startProcess(['run', '--root', root, '--port', '0']);
    expect((await daemon.exited).code).toBe(3);
    expect(daemon.stderr()).toMatch(/does not know \d+ deliver/);
    const st = await runCli(['status', '--root', root]);
    expect(st.code).toBe(4);
    expect(st.out).toMatch(/the ledger does not know \d+ deliver(y|ies) that went out/);
    expect(sentLog(root, 'email')).toHaveLength(before);
  }, 60_000);

  it('a ledger that is a link to a file that is not there (a volume not mounted): refused, and not replaced by a new one', async () => {
    const root = project();
    rmSync(join(root, 'var/advisory.db'));
    symlinkSync('/nonexistent-volume/advisory.db', join(root, 'var/advisory.db'));
    for (const args of [['publish', CAMPAIGN, '--now', '--channel', 'weibo'], ['status']]) {
      const r = await runCli([...args, '--root', root]);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.err).toMatch(/advisory\.db is a symbolic link to \/nonexistent-volume\/advisory\.db, which does not exist \(is its disk or volume mounted\?\)/);
    }
    expect(existsSync(join(root, 'var/outbox'))).toBe(false);
  });

  it('the dry run after a finished publish says it is already published, not that it would publish', async () => {
    const root = project();
    expect((await runCli(['publish', CAMPAIGN, '--now', '--channel', 'weibo', '--root', root])).code).toBe(0);
    const dry = await runCli(['publish', CAMPAIGN, '--channel', 'weibo', '--root', root]);
    expect(dry.out).toContain('already published by hand with this content: weibo (1 sent); --again would publish it once more');
    expect(dry.out).not.toContain('would publish 2014-national-day');
  });

  it('output piped into a reader that stops early: the publish still finishes, exit 0, no stack trace', async () => {
    const root = project();
    const child = spawn(process.execPath, [MAIN, 'publish', CAMPAIGN, '--now', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.destroy(); // the reader went away before the first line
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(err).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
    expect(assertExactlyOnce(await outcome(root), SUBSCRIBERS, 'stdout closed', false)).toBe(0);
  }, 60_000);
});

describe.skipIf(!mountingPermitted())('a fault of the outbox\'s disk mid-publish (real tmpfs; skipped unless this user may mount one: needs root)', () => {
  it('exit 3 with one line, nothing marked failed; once writable again, the same command finishes, each once', async () => {
    const root = project();
    const outbox = join(root, 'var/outbox/email');
    mkdirSync(outbox, { recursive: true });
    mount(outbox, '200k');
    unmounts.push(outbox);
    const full = publish(root);
    const r = await full.exited;
    expect(r.code, full.stderr()).toBe(3);
    expect(full.stderr().trim().split('\n').at(-1)).toMatch(/^advisory publish: .*(no space left|full)/i);
    const left = await outcome(root);
    expect(left.unfinished.filter((u) => u.endsWith(' failed'))).toEqual([]);
    expect(left.sent).toBeGreaterThan(0);
    // The disk made bigger (its files stay), as an operator would free or grow it.
    remount(outbox, { size: '20m' });
    expect(readdirSync(outbox).filter((f) => f.includes('.tmp-'))).toEqual([]);
    await recoverByRerun(root);
    expect(assertExactlyOnce(await outcome(root), SUBSCRIBERS, 'after the disk was freed', false)).toBe(0);
  }, 60_000);
});
