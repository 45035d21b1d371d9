/**
 * What staff see after a crash and around it, through the CLI: `status` after a
 * killed publish, `--again` on an unfinished publish, nobody subscribed, an
 * empty ledger file, two publishes at once, a publish handed to a daemon that
 * dies, a broken template of one channel, leftovers swept at start, and live
 * credentials this version cannot use. Messages and exit codes; in process
 * where no real process is needed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { startProcess, until } from './daemon-process.js';
import { withStore } from './helpers.js';
import { CAMPAIGN, copyProject, outcome, publish, templateProject } from './recovery.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const templates = new Map<number, string>();
async function project(subscribers: number): Promise<string> {
  if (!templates.has(subscribers)) {
    templates.set(subscribers, await templateProject(subscribers));
    dirs.push(templates.get(subscribers)!);
  }
  const root = copyProject(templates.get(subscribers)!);
  dirs.push(root);
  return root;
}

async function cli(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en', ...env }, now: () => new Date() });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('after a killed publish', () => {
  it('status says the dispatcher died, which sends were interrupted, that work is owed, and exits 4; --again finishes the unfinished publish instead of doubling it', async () => {
    const root = await project(40);
    const killed = publish(root, { ADVISORY_FAILPOINT: 'after-sending:10' });
    expect((await killed.exited).signal).toBe('SIGKILL');
    const st = await cli(root, ['status']);
    expect(st.code).toBe(4);
    expect(st.out).toMatch(new RegExp(`^dispatcher: not running: the last holder \\(advisory publish, pid ${killed.child.pid} on .*\\) has died without releasing the lock; the next \`advisory run\` or \`advisory publish\` takes over`, 'm'));
    expect(st.out).toMatch(/^ {2}\d+ pending, \d+ interrupted in sending, and no dispatcher is running: nothing goes out until one runs\./m);
    expect(st.out).toMatch(/^interrupted while sending \(the next run or publish checks whether each went out before resending\):\n {2}2014-national-day\/manual\//m);
    const json = JSON.parse((await cli(root, ['status', '--json'])).out);
    expect(json.dispatcher).toBeNull();
    expect(json.sending[0]).toMatchObject({ interrupted: true });

    const again = await cli(root, ['publish', CAMPAIGN, '--now', '--again']);
    expect(again.err).toContain('--again: the earlier publish of this content on website, wechat, weibo, email is unfinished; finishing it instead of publishing a second time.');
    expect(again.out).toMatch(/^resumed: \d+ finished, \d+ were already sent/m);
    expect(again.code).toBe(0);
    expect(await outcome(root)).toMatchObject({ occurrences: 1, deliveries: 43, sent: 43, lost: [], twice: { wechat: [], weibo: [], email: [] } });
    expect((await cli(root, ['status'])).code).toBe(0);
    // Now that it is complete, --again publishes once more.
    const second = await cli(root, ['publish', CAMPAIGN, '--now', '--again', '--channel', 'weibo']);
    expect(second.out).toContain('1 sent, 0 failed');
    expect((await outcome(root)).occurrences).toBe(2);
  }, 60_000);
});

describe('publish --now', () => {
  it('to e-mail with nobody subscribed says so plainly and exits 4; the other channels go out; e-mail goes out once someone subscribes', async () => {
    const root = await project(0);
    const r = await cli(root, ['publish', CAMPAIGN, '--now']);
    expect(r.code).toBe(4);
    expect(r.err).toContain('email: nobody is subscribed (0 active subscribers), so no e-mail was sent.');
    expect(r.out).toContain('2014-national-day: 3 sent, 0 failed, 0 held, 0 missed');
    expect(r.out).toContain('e-mail not sent: nobody is subscribed.');
    const only = await cli(root, ['publish', CAMPAIGN, '--now', '--channel', 'email']);
    expect(only.code).toBe(4);
    expect(only.out).toContain('e-mail not sent: nobody is subscribed.');
    await cli(root, ['subscribers', 'add', 'a@example.org']);
    const later = await cli(root, ['publish', CAMPAIGN, '--now']);
    expect(later.err).toContain('website: this content was already published by hand');
    expect(later.out).toContain('2014-national-day: 1 sent');
    expect(later.code).toBe(0);
  });

  it('an empty var/advisory.db is refused (exit 3, what to do), nothing is published and the file is left as it was', async () => {
    const root = await project(3);
    writeFileSync(join(root, 'var/advisory.db'), '');
    for (const args of [['publish', CAMPAIGN, '--now'], ['status'], ['subscribers', 'list'], ['approve', CAMPAIGN, '--by', 'x']]) {
      const r = await cli(root, args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.err).toMatch(/advisory\.db is empty \(0 bytes\), so it is not opened as the ledger \(a new one would forget what was sent, and send it again, and the subscribers and approvals\)\. Restore the ledger from a backup/);
    }
    expect(statSync(join(root, 'var/advisory.db')).size).toBe(0);
    expect(existsSync(join(root, 'var/site'))).toBe(false);
    expect(existsSync(join(root, 'var/outbox'))).toBe(false);
  });

  it('two at once, different channels: the second waits for the first and both finish', async () => {
    const root = await project(80);
    const a = publish(root, {}, ['--channel', 'email']);
    await until(() => /\d+ deliveries for/.test(a.stderr()), 20_000, 'the first publish to record its intent');
    const b = publish(root, {}, ['--channel', 'weibo']);
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect(ra.code, a.stderr()).toBe(0);
    expect(rb.code, b.stderr()).toBe(0);
    expect(a.stdout()).toContain('80 sent, 0 failed');
    expect(b.stdout()).toContain('1 sent, 0 failed');
    expect(await outcome(root)).toMatchObject({ occurrences: 2, sent: 81, twice: { weibo: [], email: [] } });
  }, 60_000);

  it('handed to a daemon that dies mid-way: it stops waiting, says so, and finishes in the foreground', async () => {
    const root = await project(200);
    const daemon = startProcess(['run', '--root', root, '--port', '0'], { ADVISORY_FAILPOINT: 'after-sending:30' });
    await until(() => daemon.stderr().includes('serving'), 20_000, 'the daemon to start');
    const p = publish(root);
    const rp = await p.exited;
    expect((await daemon.exited).signal).toBe('SIGKILL');
    expect(p.stderr()).toMatch(/handed to the running dispatcher \(pid \d+\); waiting for it to finish/);
    expect(p.stderr()).toMatch(/the dispatcher \(pid \d+\) stopped before finishing; finishing in the foreground/);
    expect(rp.code, p.stderr()).toBe(0);
    expect(p.stdout()).toContain('203 sent, 0 failed, 0 held, 0 missed');
    expect(await outcome(root)).toMatchObject({ occurrences: 1, deliveries: 203, sent: 203, lost: [], twice: { wechat: [], weibo: [], email: [] } });
  }, 60_000);

  it('removes what a killed writer left in the outbox before sending', async () => {
    const root = await project(1);
    const dead = 2 ** 22 + 17; // above the usual pid range: no such process
    const orphan = join(root, 'var/outbox/email', `x.eml.tmp-${dead}-abc123`);
    writeFileSync(join(root, 'keep.txt'), '');
    await cli(root, ['subscribers', 'list']);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'var/outbox/email'), { recursive: true });
    writeFileSync(orphan, 'half a message');
    expect((await cli(root, ['publish', CAMPAIGN, '--now', '--channel', 'email'])).code).toBe(0);
    expect(existsSync(orphan)).toBe(false);
    expect(readdirSync(join(root, 'var/outbox/email')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('a broken template of one channel', () => {
  it('does not stop the others: publish --channel website works; a publish that includes e-mail is refused whole with the file and line', async () => {
    const root = await project(2);
    const file = join(root, 'templates/email/message.hbs');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n{{#if}}\n`);
    const web = await cli(root, ['publish', CAMPAIGN, '--now', '--channel', 'website']);
    expect(web.code, web.err).toBe(0);
    const all = await cli(root, ['publish', CAMPAIGN, '--now']);
    expect(all.code).toBe(1);
    expect(all.err).toMatch(/rendering failed, nothing was recorded or sent: email: .*templates\/email\/message\.hbs:\d+/);
    expect((await outcome(root)).occurrences).toBe(1);
  });
});

describe('status and live credentials', () => {
  it('does not claim a channel is plainly live when run and publish would refuse it', async () => {
    const root = await project(0);
    const r = await cli(root, ['status'], { SMTP_USER: 'mailer', SMTP_PASS: 's3cret' });
    expect(r.out).toMatch(/email live \(live, but base_url in channels\/website\.yaml is this machine's address: advisory run and publish refuse to start until it is the public site\)/);
    expect(r.out).not.toContain('s3cret');
    // Live WeChat while base_url is still this machine: status says run and publish refuse it.
    const wx = await cli(root, ['status'], { WECHAT_APPID: 'wx1', WECHAT_SECRET: 's3cret' });
    expect(wx.out).toMatch(/wechat live \(live, but base_url in channels\/website\.yaml is this machine's address: advisory run and publish refuse to start until it is the public site\)/);
    expect(wx.out).not.toContain('s3cret');
  });
});

describe('ledger of a project', () => {
  it('a drill never touches the real ledger', async () => {
    const root = await project(2);
    const n = await withStore(join(root, 'var'), async (before) => (await before.list()).length);
    const d = startProcess(['run', '--root', root, '--port', '0', '--clock-start', '2014-09-29T01:00:00Z']);
    // The start-up lines arrive as the child writes them: wait for the drill's own line, not only the first one.
    await until(() => d.stderr().includes('serving') && d.stderr().includes('drill:'), 20_000, 'the drill to start');
    expect(d.stderr()).toContain('drill: the clock starts at 2014-09-29T01:00:00.000Z; state in var/drill/ (a copy of the ledger), the real ledger is not touched');
    await until(() => existsSync(join(root, 'var/drill/outbox/wechat/sent.log')), 20_000, 'the drill to send');
    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expect(await withStore(join(root, 'var'), async (after) => (await after.list()).length)).toBe(n);
    expect(existsSync(join(root, 'var/outbox'))).toBe(false);
    const st = await cli(root, ['status', '--drill']);
    expect(st.out).toMatch(/^deliveries: [1-9]\d* sent/m);
  }, 60_000);
});
