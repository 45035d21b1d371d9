/**
 * The transfer encodings the e-mail channel gives nodemailer (transfer-encoding.ts) are the ones nodemailer would
 * choose itself by scanning each copy: each message built both ways (parts given as they are, and with the
 * encodings) is the same bytes, for bodies where the choice goes either way and where a name tips it.
 */
import { describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer';
import { placeSlots, slotValues, type EmailBody } from '../../../src/channels/email/personalize.js';
import { transferEncodings, tally } from '../../../src/channels/email/transfer-encoding.js';
import { emailMessage } from '../../../src/channels/email/message.js';
import type { ChannelPublishContext, Payload } from '../../../src/channels/channel.js';

const MARKERS = { name: '\u0000N\u0000', unsubscribe: '\u0000U\u0000' };

/** A frozen body of these two parts, `\u0000N\u0000` and `\u0000U\u0000` marking the slots. */
function body(html: string, text: string): EmailBody {
  const h = placeSlots(html, MARKERS);
  const t = placeSlots(text, MARKERS);
  return { subject: '国庆安全提示', preheader: '', html: h.text, text: t.text, listUnsubscribe: true, slots: { html: h.slots, text: t.slots } };
}

function built(options: Mail.Options): Promise<string> {
  return new Promise((resolve, reject) => new MailComposer(options).compile().build((err, b) => (err ? reject(err) : resolve(b.toString()))));
}

const ctx = (name: string | undefined): ChannelPublishContext => ({
  deliveryKey: 'c/s/email/2014-09-29T01:00:00Z/p1', dueUtc: '2014-09-29T01:00:00Z', now: () => new Date('2014-09-29T01:00:00Z'),
  recipient: { id: 'p1', address: 'p1@example.org', ...(name === undefined ? {} : { name }), unsubscribeToken: 'tok' },
  site: { baseUrl: 'https://advisories.example.gov.cn' },
  config: { name: 'email', settings: { from: '章丘市公安局 <advisories@example.gov.cn>' } },
} as unknown as ChannelPublishContext);

const cases: Array<[string, EmailBody, string | undefined]> = [
  ['Chinese text, Latin-heavy HTML', body(`<p style="font-family:sans-serif">${'国庆'.repeat(40)}，\u0000N\u0000</p><a href="\u0000U\u0000">退订</a>`, `\u0000N\u0000，您好。${'防盗'.repeat(300)}\n退订：\u0000U\u0000`), '王丽'],
  ['ASCII only: left to nodemailer (7bit)', body('<p>Dear \u0000N\u0000</p><a href="\u0000U\u0000">unsubscribe</a>', 'Dear \u0000N\u0000,\nunsubscribe: \u0000U\u0000'), 'Ann'],
  ['ASCII body, a Chinese name makes it 8-bit', body('<p>Dear \u0000N\u0000</p><a href="\u0000U\u0000">unsubscribe</a>', 'Dear \u0000N\u0000, unsubscribe: \u0000U\u0000'), '张三丰'],
  ['no name given: the default greeting', body('<p>\u0000N\u0000</p><a href="\u0000U\u0000">x</a>', '\u0000N\u0000 \u0000U\u0000'), undefined],
  ['HTML-escaped name', body('<p>\u0000N\u0000</p><a href="\u0000U\u0000">x</a>', '\u0000N\u0000 \u0000U\u0000'), '<李&"四">'],
];

describe('the transfer encoding of each part, worked out once per frozen body', () => {
  it.each(cases)('%s: the message is byte for byte what nodemailer builds choosing for itself', async (_name, b, name) => {
    const payload = { channel: 'email', kind: 'email', label: 'x', body: b } as unknown as Payload;
    const given = emailMessage(payload, ctx(name));
    const asIs = { ...given, html: (given.html as { content: string }).content ?? given.html, text: (given.text as { content: string }).content ?? given.text };
    expect(await built(given)).toBe(await built(asIs));
  });

  it('a name can tip the choice: the counts are those of the filled copy, not of the frozen body', () => {
    // Balanced so that the frozen body (with its tokens) is quoted-printable and a long Chinese name makes it base64.
    const b = body('\u0000N\u0000', `${'a'.repeat(30)}${'字'.repeat(20)}\u0000N\u0000\u0000U\u0000`);
    const plain = tally(b.text);
    expect(plain.other).toBeLessThan(plain.latin);
    expect(transferEncodings(b, slotValues({ name: '名'.repeat(40) }, 'https://x.cn/u'))).toMatchObject({ text: 'base64' });
    expect(transferEncodings(b, slotValues({ name: 'Ann' }, 'https://x.cn/u'))).toMatchObject({ text: 'quoted-printable' });
  });
});
