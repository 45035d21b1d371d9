/**
 * The live e-mail channel against a real SMTP server: what arrives. One
 * message per subscriber, sent with the login from SMTP_URL; the headers a
 * mailbox provider looks at (List-Unsubscribe with the one-click URL and a
 * mailto, List-Unsubscribe-Post, List-Id, Reply-To, the deterministic
 * Message-ID, RFC 2047 encoded Chinese subject and names), both parts with
 * HTTPS links, a DKIM signature that verifies and covers the List-* headers;
 * and the sandbox's .eml byte for byte what the server received.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silent } from '../../delivery/helpers.js';
import { createChannelRegistry } from '../../../src/channels/registry.js';
import { createRuntime } from '../../../src/app/runtime.js';
import { messageId } from '../../../src/channels/email/message.js';
import { approve, emailDeliveries, emailProject, LIVE_BASE_URL, publish, smtpEnv, subscribe, USER, useSmtp, cleanEnv } from './harness.js';
import { verifyDkim } from './dkim-verify.js';

const smtp = useSmtp();
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const FROM = '章丘市公安局 <advisories@example.gov.cn>';
const SUBJECT = '2014年国庆节期间安全防范常识';
const PEOPLE = [{ address: 'wang@example.org', name: '王小明' }, { address: 'li@example.org', name: 'Li Lei' }, { address: 'zhao@example.org' }];

function header(raw: Buffer, name: string): string {
  const m = new RegExp(`^${name}:(.*(?:\\r\\n[ \\t].*)*)`, 'im').exec(raw.toString('latin1'));
  return m ? m[1].replace(/\r\n/g, '').trim() : '';
}

async function published(o: { dkim?: boolean } = {}) {
  const root = emailProject(smtp.dirs, { reply_to: "'\"宣传科\" <press@example.gov.cn>'", ...(o.dkim ? { dkim_selector: 'advisory2026' } : {}) });
  const env = smtpEnv(smtp.fake, o.dkim ? { SMTP_DKIM_KEY: PEM } : {});
  const ids = await subscribe(root, env, PEOPLE);
  await approve(root, env);
  const run = await publish(root, env);
  return { root, env, ids, run, deliveries: await emailDeliveries(root) };
}

describe('live e-mail: what the SMTP server receives', () => {
  it('one message per subscriber, logged in with the user of SMTP_URL; the receipt is the Message-ID built from the delivery key', async () => {
    const { run, deliveries } = await published();
    expect(run.outcome.counts).toMatchObject({ sent: 3, failed: 0, pending: 0, sending: 0 });
    const got = smtp.fake.received;
    expect(got.map((r) => r.to).sort()).toEqual(PEOPLE.map((p) => [p.address]).sort());
    expect(got.every((r) => r.user === USER && r.from === 'advisories@example.gov.cn')).toBe(true);
    expect(smtp.fake.logins.every((l) => l.ok && l.user === USER)).toBe(true);
    for (const d of deliveries) {
      const mail = got.find((r) => r.to[0] === d.recipientData!.address)!;
      expect(mail.messageId).toBe(messageId(d.key, FROM));
      expect(d.receipt).toMatchObject({ id: mail.messageId, details: { server: `127.0.0.1:${smtp.fake.port}`, response: expect.stringMatching(/^250 /) } });
      expect(d.receipt!.details).not.toHaveProperty('resentAfterCrash');
    }
  });

  it('headers: List-Unsubscribe (one-click URL + mailto with the frozen token), List-Unsubscribe-Post, List-Id, Reply-To, Date; Chinese encoded (RFC 2047)', async () => {
    const { deliveries } = await published();
    for (const d of deliveries) {
      const token = d.recipientData!.unsubscribeToken!;
      expect(token).toMatch(/^u\.s-[0-9a-f]{16}\.[\w-]+$/);
      const i = smtp.fake.received.findIndex((r) => r.to[0] === d.recipientData!.address);
      const raw = smtp.fake.received[i].raw;
      const url = `${LIVE_BASE_URL}/unsubscribe?token=${encodeURIComponent(token)}`;
      expect(header(raw, 'List-Unsubscribe')).toBe(`<${url}>, <mailto:unsubscribe@example.gov.cn?subject=unsubscribe%20${encodeURIComponent(token)}>`);
      expect(header(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(header(raw, 'List-Id')).toBe('<holiday-safety.example.gov.cn>');
      // Encoded words on the wire, the Chinese back after decoding.
      expect(header(raw, 'Subject')).toMatch(/^=\?UTF-8\?[BQ]\?/);
      expect(header(raw, 'From')).toMatch(/^=\?UTF-8\?[BQ]\?.*\?= <advisories@example\.gov\.cn>$/);
      expect(raw.toString('latin1')).not.toMatch(/[^\x00-\x7f]/);
      const parsed = await smtp.fake.parse(i);
      expect(parsed.subject).toBe(SUBJECT);
      expect(parsed.from!.value[0]).toEqual({ name: '章丘市公安局', address: 'advisories@example.gov.cn' });
      expect(parsed.replyTo!.value[0]).toEqual({ name: '宣传科', address: 'press@example.gov.cn' });
      const to = (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)!.value[0];
      const person = PEOPLE.find((p) => p.address === d.recipientData!.address)!;
      expect(to).toEqual({ name: person.name ?? '', address: person.address });
      if (person.name === '王小明') expect(header(raw, 'To')).toMatch(/^=\?UTF-8\?[BQ]\?.*\?= <wang@example\.org>$/);
      expect(parsed.date!.toISOString()).toBe(new Date(d.dueUtc).toISOString());
      expect(parsed.messageId).toBe(messageId(d.key, FROM));
      // Both parts, personalised, every link HTTPS on the public site.
      expect(header(raw, 'Content-Type')).toMatch(/^multipart\/alternative; boundary=/);
      expect(parsed.text).toContain(url);
      expect(parsed.html).toContain(url.replace(/&/g, '&amp;'));
      expect(parsed.text).toContain(person.name ?? '市民朋友');
      expect(parsed.html).toContain(`${LIVE_BASE_URL}/2014-national-day/`);
      expect(`${parsed.html}${parsed.text}`).not.toMatch(/http:\/\/|%%[A-Z_]+%%/);
    }
  });

  it('DKIM: signed with SMTP_DKIM_KEY under dkim_selector, the signature verifies and covers From, Subject, List-Id, List-Unsubscribe and List-Unsubscribe-Post', async () => {
    const { run } = await published({ dkim: true });
    expect(run.outcome.counts.sent).toBe(3);
    for (const r of smtp.fake.received) {
      const v = verifyDkim(r.raw, keys.publicKey);
      expect(v.why).toBeUndefined();
      expect(v.ok).toBe(true);
      expect(v.tags).toMatchObject({ d: 'example.gov.cn', s: 'advisory2026', a: 'rsa-sha256', c: 'relaxed/relaxed' });
      expect(v.signed).toEqual(expect.arrayContaining(['from', 'subject', 'to', 'date', 'message-id', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'reply-to']));
      // A changed List-Unsubscribe no longer verifies (the check can fail).
      const text = r.raw.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const forgedHead = text.slice(0, end).replace('/unsubscribe?token=', '/unsubscribe?token=x');
      expect(forgedHead).not.toBe(text.slice(0, end));
      const forged = Buffer.from(forgedHead + text.slice(end), 'latin1');
      expect(verifyDkim(forged, keys.publicKey).ok).toBe(false);
    }
  });

  it('the sandbox writes byte for byte what SMTP carried (one message builder, the same DKIM signature)', async () => {
    const { root, deliveries } = await published({ dkim: true });
    const rt = createRuntime({ root, env: cleanEnv() });
    const registry = createChannelRegistry({ root, env: cleanEnv({ SMTP_DKIM_KEY: PEM }), renderer: rt.renderer, varDir: join(root, 'var-sandbox') });
    const sandbox = registry.get('email');
    expect(sandbox.mode).toBe('sandbox');
    try {
      for (const d of deliveries) {
        const f = d.recipientData!;
        const receipt = await sandbox.publish(d.payload!, {
          deliveryKey: d.key, attempt: 1, recipient: { id: d.recipient!, address: f.address, name: f.name ?? undefined, unsubscribeToken: f.unsubscribeToken },
          log: silent, now: () => new Date(), root, varDir: join(root, 'var-sandbox'), dueUtc: d.dueUtc,
        });
        const eml = readFileSync(String(receipt.details!.file));
        const live = smtp.fake.received.find((r) => r.to[0] === f.address)!.raw;
        expect(eml.equals(live)).toBe(true);
      }
    } finally {
      await registry.get('email').close();
      await rt.close();
    }
  });
});
