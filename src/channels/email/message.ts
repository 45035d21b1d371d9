/**
 * The message one subscriber receives, composed at send time from the
 * occurrence's one frozen body and the address, name and unsubscribe token
 * frozen in the delivery: deterministic (the Message-ID from the delivery key,
 * the boundary from it too, the date from the due time), so a resend is
 * byte-identical, and the sandbox's .eml is what SMTP carries. Every message
 * has List-Unsubscribe (the one-click URL and a mailto), List-Unsubscribe-Post
 * (RFC 8058) and List-Id.
 */
import type Mail from 'nodemailer/lib/mailer';
import type { ChannelPublishContext, DirectMessage, Payload } from '../channel.js';
import type { ChannelConfig } from '../../config/channels.js';
import { ChannelError } from '../../errors.js';
import { unsubscribeUrl } from '../../render/urls.js';
import { sha256 } from '../../hash.js';
import { personalize, slotValues, type EmailBody } from './personalize.js';
import { transferEncodings } from './transfer-encoding.js';
import { fromDomain, listUnsubscribe, mailIdentity } from './identity.js';

/** A deterministic Message-ID from the delivery key: a resend carries the same id, so receivers can drop duplicates. */
export function messageId(deliveryKey: string, from: string): string {
  return `<${sha256(deliveryKey).slice(0, 32)}@${fromDomain(from)}>`;
}

/** What every message of `key` has: From, Reply-To, the Message-ID, Date and MIME boundary fixed by the key. */
function envelope(settings: ChannelConfig['settings'], from: string, key: string, at: Date): Mail.Options {
  const id = mailIdentity(settings, from);
  return {
    from: id.from,
    ...(id.replyTo ? { replyTo: id.replyTo } : {}),
    messageId: messageId(key, from),
    date: at,
    baseBoundary: sha256(key).slice(0, 16),
  };
}

/** A header written as given: nodemailer would fold `List-Unsubscribe` right after its colon, leaving the first line empty. */
const prepared = (value: string) => ({ prepared: true, value });

export function emailMessage(payload: Payload, ctx: ChannelPublishContext): Mail.Options {
  const recipient = ctx.recipient;
  if (!recipient) throw new ChannelError('email', 'permanent', `e-mail delivery ${ctx.deliveryKey} has no recipient.`);
  const frozen = payload.body as Record<string, unknown>;
  // Rows from before bodies were shared were personalised at creation and carry their unsubscribeUrl.
  const unsubscribe = String(frozen.unsubscribeUrl ?? unsubscribeUrl(ctx.site, recipient.unsubscribeToken ?? ''));
  const body = typeof frozen.html === 'string' && typeof frozen.text === 'string' ? (frozen as unknown as EmailBody) : null;
  const b: Record<string, unknown> = body ? { ...frozen, ...personalize(body, { name: recipient.name }, unsubscribe) } : frozen;
  // The encoding nodemailer would choose for each part, given so that it does not scan each copy (transfer-encoding.ts).
  const encoding = body ? transferEncodings(body, slotValues({ name: recipient.name }, unsubscribe)) : {};
  const part = (content: string, kind: 'html' | 'text') => (encoding[kind] ? { content, contentTransferEncoding: encoding[kind] } : content);
  const from = String(b.from ?? ctx.config.settings.from);
  const id = mailIdentity(ctx.config.settings, from);
  return {
    ...envelope(ctx.config.settings, from, ctx.deliveryKey, ctx.dueUtc ? new Date(ctx.dueUtc) : ctx.now()),
    to: recipient.name ? { name: recipient.name, address: recipient.address } : recipient.address,
    subject: String(b.subject ?? payload.label),
    text: typeof b.text === 'string' ? part(b.text, 'text') : payload.preview?.text ?? payload.label,
    ...(typeof b.html === 'string' ? { html: part(b.html, 'html') } : {}),
    headers: {
      ...((b.headers as Record<string, string>) ?? {}),
      'List-Id': prepared(`<${id.listId}>`),
      'List-Unsubscribe': prepared(listUnsubscribe(unsubscribe, id.unsubscribeMailto, recipient.unsubscribeToken)),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  } as Mail.Options;
}

/** A message outside any campaign (a sign-up's confirmation): the same From, Reply-To and fixed ids; its own headers. */
export function directMessage(message: DirectMessage, config: ChannelConfig): Mail.Options {
  const from = String(config.settings.from);
  return {
    ...envelope(config.settings, from, message.key, message.at),
    to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.headers ? { headers: message.headers } : {}),
  };
}
