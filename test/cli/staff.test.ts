/**
 * `advisory staff add/list/remove/passwd` (issue 12): in process (the
 * password from standard input, or typed twice on a terminal), and the real
 * built CLI with a pipe; `advisory run`'s start-up lines (the staff address,
 * the first-account link, the non-loopback warning).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { IO } from '../../src/cli/command.js';
import { verifyPassword } from '../../src/delivery/staff.js';
import { tmpProject, withStore } from '../delivery/helpers.js';
import { assertBuilt, MAIN, startProcess, until } from '../delivery/daemon-process.js';
import { spawnSync } from 'node:child_process';

let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function staff(args: string[], input?: { stdin?: string; typed?: string[] }) {
  let out = '';
  let err = '';
  const asked: string[] = [];
  const typed = [...(input?.typed ?? [])];
  const io: IO = {
    out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env: { ...process.env }, now: () => new Date('2026-12-01T08:00:00Z'),
    ...(input?.stdin !== undefined ? { input: async () => input.stdin! } : {}),
    ...(input?.typed ? { askHidden: async (q: string) => (asked.push(q), typed.shift() ?? '') } : {}),
  };
  const code = await main(['staff', ...args, '--root', root], io);
  return { code, out, err, asked };
}

const account = (name: string) => withStore(join(root, 'var'), (s) => s.staffAccount(name));

describe('advisory staff', () => {
  it('add: the password from standard input (its first line), stored as an scrypt hash that verifies; the name only once', async () => {
    const r = await staff(['add', 'wang', '--password-stdin'], { stdin: 'correct horse battery\nignored second line\n' });
    expect(r).toMatchObject({ code: 0, out: 'added staff account wang.\n' });
    const a = (await account('wang'))!;
    expect(a.passwordHash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a.passwordHash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', a.passwordHash)).toBe(true);
    expect(await verifyPassword('correct horse batter', a.passwordHash)).toBe(false);
    const again = await staff(['add', 'wang'], { stdin: 'another long password\n' });
    expect(again.code).toBe(1);
    expect(again.err).toContain('there is already an account "wang"');
    expect((await account('wang'))!.passwordHash).toBe(a.passwordHash);
  });

  it('add on a terminal: asked twice without echo; two different answers change nothing', async () => {
    const differ = await staff(['add', 'li'], { typed: ['first long password', 'second long password'] });
    expect(differ.code).toBe(2);
    expect(differ.err).toContain('the two passwords differ');
    expect(differ.asked).toEqual(['New password for li: ', 'Again: ']);
    expect(await account('li')).toBeUndefined();
    expect((await staff(['add', 'li'], { typed: ['same long password', 'same long password'] })).code).toBe(0);
    expect(await verifyPassword('same long password', (await account('li'))!.passwordHash)).toBe(true);
  });

  it('refuses a short password, a bad name, no password at all, and salts each hash', async () => {
    const short = await staff(['add', 'wang'], { stdin: 'short\n' });
    expect(short.code).toBe(2);
    expect(short.err).toContain('at least 10 characters');
    expect((await staff(['add', 'bad name!'], { stdin: 'long enough password\n' })).code).toBe(2);
    expect((await staff(['add', 'wang'])).err).toContain('no password');
    expect(await account('wang')).toBeUndefined();
    await staff(['add', 'a1'], { stdin: 'the same password\n' });
    await staff(['add', 'a2'], { stdin: 'the same password\n' });
    expect((await account('a1'))!.passwordHash).not.toBe((await account('a2'))!.passwordHash);
  });

  it('list (text and JSON, never a hash), passwd, remove; unknown names exit 1', async () => {
    await staff(['add', 'wang'], { stdin: 'correct horse battery\n' });
    await staff(['add', '王丽'], { stdin: 'another good password\n' });
    const list = await staff(['list']);
    expect(list.code).toBe(0);
    expect(list.out.split('\n').filter(Boolean).map((l) => l.split('\t')[0])).toEqual(['wang', '王丽']);
    expect(list.out).not.toContain('scrypt');
    const json = JSON.parse((await staff(['list', '--json'])).out);
    expect(json.map((a: { name: string }) => a.name)).toEqual(['wang', '王丽']);
    expect(JSON.stringify(json)).not.toContain('scrypt');

    const before = (await account('wang'))!.passwordHash;
    expect((await staff(['passwd', 'wang'], { stdin: 'a brand new password\n' })).code).toBe(0);
    const after = (await account('wang'))!.passwordHash;
    expect(after).not.toBe(before);
    expect(await verifyPassword('a brand new password', after)).toBe(true);
    expect((await staff(['passwd', 'nobody'], { stdin: 'a brand new password\n' })).code).toBe(1);

    expect((await staff(['remove', 'wang'])).code).toBe(0);
    expect(await account('wang')).toBeUndefined();
    expect((await staff(['remove', 'wang'])).code).toBe(1);
    expect((await staff(['list'])).out).not.toContain('wang');
    expect((await staff(['frobnicate'])).code).toBe(2);
  });
});

describe('the real CLI', () => {
  it('`… | advisory staff add NAME --password-stdin` and `staff list`', async () => {
    assertBuilt();
    const add = spawnSync(process.execPath, [MAIN, 'staff', 'add', 'zhang', '--password-stdin', '--root', root], { input: 'piped password 123\n', encoding: 'utf8' });
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toBe('added staff account zhang.\n');
    expect(await verifyPassword('piped password 123', (await account('zhang'))!.passwordHash)).toBe(true);
    const list = spawnSync(process.execPath, [MAIN, 'staff', 'list', '--root', root], { encoding: 'utf8' });
    expect(list.stdout).toMatch(/^zhang\tadded /);
  });

  it('`advisory run` prints the staff address and, with no account, the one-time first-account link; beyond loopback, warnings', async () => {
    assertBuilt();
    const p = startProcess(['run', '--root', root, '--port', '0', '--host', '0.0.0.0', '--staff-host', '0.0.0.0']);
    try {
      await until(() => p.stderr().includes('warning: the staff') || p.child.exitCode !== null, 20_000, 'the start-up lines');
      const err = p.stderr();
      expect(err).toMatch(/serving http:\/\/0\.0\.0\.0:\d+\/ \(the public site\)/);
      expect(err).toMatch(/ {2}staff pages \(sign-in, preview, status, approve\): http:\/\/0\.0\.0\.0:\d+\//);
      expect(err).toMatch(/ {2}no staff account yet: create the first at http:\/\/127\.0\.0\.1:\d+\/setup\?token=[A-Za-z0-9_-]{43} \(works once, for 15 minutes, from a browser on this machine\), or run: advisory staff add NAME/);
      expect(err).toMatch(/ {2}warning: the public listener is on 0\.0\.0\.0:\d+, not loopback/);
      expect(err).toMatch(/ {2}warning: the staff listener is on 0\.0\.0\.0:\d+, not loopback: staff sign-in, the preview of every campaign/);
      expect(p.stdout()).not.toMatch(/setup\?token=/);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });
});
