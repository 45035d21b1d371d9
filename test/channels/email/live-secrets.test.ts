/**
 * `channels verify` for live e-mail (connect and log in, nothing sent), the
 * confirmation mail of a sign-up (`notify`) through the pool and into the
 * sandbox, and the secrets: SMTP_URL, the user and the password appear in
 * nothing a command prints or logs (even at LOG_LEVEL trace), in nothing the
 * ledger keeps, in no file under var/: after a publish, a refused login, the
 * server gone, and verify of each.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, ledgerTexts, varFiles, type Transcript } from '../weibo/live-harness.js';
import { leaks } from '../live.js';
import { createRuntime } from '../../../src/app/runtime.js';
import { messageId } from '../../../src/channels/email/message.js';
import { approve, CAMPAIGN, cleanEnv, emailProject, PASS, people, publish, smtpEnv, subscribe, USER, useSmtp } from './harness.js';

const smtp = useSmtp();
const lineOf = (out: string, channel: string) => out.split('\n').find((l) => l.startsWith(`${channel} `)) ?? '';

describe('advisory channels verify: e-mail', () => {
  it('live: connects and logs in, sends nothing; a wrong password or a server that is not there FAILS in plain words (exit 1)', async () => {
    const t: Transcript = [];
    const root = emailProject(smtp.dirs);
    const ok = await cli(t, ['channels', 'verify', '--channel', 'email', '--root', root], smtpEnv(smtp.fake));
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(lineOf(ok.out, 'email')).toMatch(new RegExp(`^email\\s+ok\\s+live: 127\\.0\\.0\\.1:${smtp.fake.port} \\(from SMTP_URL\\) answered and accepted the login`));
    expect(smtp.fake.logins).toEqual([{ user: USER, ok: true }]);
    expect(smtp.fake.received).toHaveLength(0);

    const wrong = await cli(t, ['channels', 'verify', '--channel', 'email', '--root', root], smtpEnv(smtp.fake, { SMTP_URL: smtp.fake.url(USER, 'wrong-password-xyz') }));
    expect(wrong.code).toBe(1);
    expect(lineOf(wrong.out, 'email')).toMatch(/^email\s+FAILED\s+the SMTP server 127\.0\.0\.1:\d+ refused the login \(the server answered 535 .*\): check SMTP_USER and SMTP_PASS/);

    const viaUser = await cli(t, ['channels', 'verify', '--channel', 'email', '--root', emailProject(smtp.dirs, { port: smtp.fake.port })], cleanEnv({ SMTP_USER: USER, SMTP_PASS: PASS }));
    expect(lineOf(viaUser.out, 'email')).toMatch(/^email\s+ok\s+live: 127\.0\.0\.1:\d+ \(from channels\/email\.yaml \(host, port\)\) answered and accepted the login/);

    await smtp.fake.stop();
    const down = await cli(t, ['channels', 'verify', '--channel', 'email', '--root', root], smtpEnv(smtp.fake));
    expect(down.code).toBe(1);
    expect(lineOf(down.out, 'email')).toMatch(/^email\s+FAILED\s+the SMTP server 127\.0\.0\.1:\d+ is not taking mail \(ECONNREFUSED/);
    expect(leaks(t, [PASS, encodeURIComponent(PASS), smtp.fake.url(), 'wrong-password-xyz'])).toEqual([]);
  });
});

describe('notify: a sign-up confirmation', () => {
  const message = (at: Date) => ({
    key: 'subscribe/confirm/s-0123456789abcdef/1', to: { address: 'new@example.org', name: '新读者' }, subject: '请确认订阅', at,
    text: '请打开链接确认订阅。', html: '<p>请打开链接确认订阅。</p>', headers: { 'X-Advisory-Kind': 'confirmation' },
  });

  it('live: through the SMTP pool, with the same From, Reply-To and a Message-ID from its key', async () => {
    const root = emailProject(smtp.dirs, { reply_to: 'press@example.gov.cn' });
    const rt = createRuntime({ root, env: smtpEnv(smtp.fake) });
    try {
      const at = new Date('2026-12-02T08:00:00Z');
      const r = await rt.channels.get('email').notify!(message(at));
      expect(r.id).toBe(messageId(message(at).key, '章丘市公安局 <advisories@example.gov.cn>'));
      expect(smtp.fake.received).toHaveLength(1);
      const parsed = await smtp.fake.parse(0);
      expect(parsed).toMatchObject({ subject: '请确认订阅', messageId: r.id, text: '请打开链接确认订阅。' });
      expect(parsed.replyTo!.text).toBe('press@example.gov.cn');
      expect(parsed.headers.get('x-advisory-kind')).toBe('confirmation');
      expect(smtp.fake.received[0].to).toEqual(['new@example.org']);
    } finally {
      await rt.close();
    }
  });

  it('sandbox: the same message into var/outbox/email/, once per key', async () => {
    const root = emailProject(smtp.dirs);
    const rt = createRuntime({ root, env: cleanEnv() });
    try {
      const channel = rt.channels.get('email');
      expect(channel.mode).toBe('sandbox');
      const at = new Date('2026-12-02T08:00:00Z');
      const a = await channel.notify!(message(at));
      const b = await channel.notify!(message(at));
      expect(b.id).toBe(a.id);
      const log = readFileSync(join(root, 'var/outbox/email/sent.log'), 'utf8').trim().split('\n');
      expect(log).toHaveLength(1);
      expect(smtp.fake.received).toHaveLength(0);
    } finally {
      await rt.close();
    }
  });
});

describe('e-mail secrets', () => {
  it('SMTP_URL, the user and the password appear in no output, log line, ledger text or var/ file', async () => {
    const t: Transcript = [];
    const root = emailProject(smtp.dirs, { auth_failure_pause: '0.2s' });
    const env = { ...smtpEnv(smtp.fake), LOG_LEVEL: 'trace' };
    await subscribe(root, env, people(3));
    await approve(root, env);
    // A publish that goes out; status and verify.
    const ok = await cli(t, ['publish', CAMPAIGN, '--channel', 'email', '--now', '--root', root], env);
    expect(ok.code, ok.out + ok.err).toBe(0);
    await cli(t, ['status', '--root', root], env);
    await cli(t, ['status', '--json', '--root', root], env);
    await cli(t, ['channels', 'verify', '--root', root], env);
    // A refused login (held), then the server gone (paused), each published in this process with its log kept.
    smtp.fake.wrongLogin(true);
    const refused = await publish(root, env, { again: true, maxWaitMs: 100 });
    t.push(refused.log, refused.progress.join('\n'));
    expect(refused.outcome.counts.held).toBeGreaterThanOrEqual(1);
    smtp.fake.wrongLogin(false);
    await smtp.fake.stop();
    await new Promise((r) => setTimeout(r, 250));
    const down = await publish(root, env, { maxWaitMs: 100 });
    t.push(down.log, down.progress.join('\n'));
    expect(down.log).toMatch(/email paused until/);
    await cli(t, ['status', '--root', root], env);
    await cli(t, ['channels', 'verify', '--root', root], env);
    const texts = [...t, ...(await ledgerTexts(root)), ...varFiles(root).map((f) => f.text)];
    expect(texts.join('\n')).toMatch(/refused the login/);
    expect(leaks(texts, [PASS, encodeURIComponent(PASS), smtp.fake.url(), USER, encodeURIComponent(USER)])).toEqual([]);
  });
});
