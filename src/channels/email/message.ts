/**
 * The message one subscriber receives, composed at send time from the
 * occurrence's one frozen body and the address, name and unsubscribe token
 * frozen in the delivery: deterministic (the Message-ID from the delivery key,
 * the boundary from it too, the date from the due time), so a resend is
 * byte-identical. RFC 8058 one-click unsubscribe headers on every message.
 */
import type Mail from 'nodemailer/lib/mailer';
import type { ChannelPublishContext, Payload } from '../channel.js';
import { ChannelError } from '../../errors.js';
import { unsubscribeUrl } from '../../render/urls.js';
import { sha256 } from '../../hash.js';
import { personalize, type EmailBody } from './personalize.js';

/** A deterministic Message-ID from the delivery key: a resend carries the same id, so receivers can drop duplicates. */
export function messageId(deliveryKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'advisory.invalid';
  return `<${sha256(deliveryKey).slice(0, 32)}@${domain}>`;
}

export function emailMessage(payload: Payload, ctx: ChannelPublishContext): Mail.Options {
  const recipient = ctx.recipient;
  if (!recipient) throw new ChannelError('email', 'permanent', `e-mail delivery ${ctx.deliveryKey} has no recipient.`);
  const frozen = payload.body as Record<string, unknown>;
  // Rows from before bodies were shared were personalised at creation and carry their unsubscribeUrl.
  const unsubscribe = String(frozen.unsubscribeUrl ?? unsubscribeUrl(ctx.site, recipient.unsubscribeToken ?? ''));
  const b: Record<string, unknown> = typeof frozen.html === 'string' && typeof frozen.text === 'string'
    ? { ...frozen, ...personalize(frozen as unknown as EmailBody, { name: recipient.name }, unsubscribe) }
    : frozen;
  const from = String(b.from ?? ctx.config.settings.from);
  return {
    from,
    to: recipient.name ? { name: recipient.name, address: recipient.address } : recipient.address,
    subject: String(b.subject ?? payload.label),
    text: typeof b.text === 'string' ? b.text : payload.preview?.text ?? payload.label,
    ...(typeof b.html === 'string' ? { html: b.html } : {}),
    messageId: messageId(ctx.deliveryKey, from),
    date: ctx.dueUtc ? new Date(ctx.dueUtc) : ctx.now(),
    baseBoundary: sha256(ctx.deliveryKey).slice(0, 16),
    headers: {
      ...((b.headers as Record<string, string>) ?? {}),
      'List-Unsubscribe': { prepared: true, value: `<${unsubscribe}>` },
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  } as Mail.Options;
}
