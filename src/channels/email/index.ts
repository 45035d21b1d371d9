/**
 * The e-mail channel: one message per subscriber, HTML (inlined CSS) and
 * plain text, one-click unsubscribe. The body is rendered once per occurrence;
 * each subscriber's message is composed at send time (message.ts) and handed
 * to nodemailer's transport: the stream transport into the outbox in sandbox,
 * the SMTP pool live (with its credentials).
 */
import type { ChannelDefinition } from '../channel.js';
import { createOutbox } from '../sandbox.js';
import { check, render } from './rendition.js';
import { preview } from './preview.js';
import { emailMessage, messageId } from './message.js';
import { sandboxMailTransport, type MailTransport } from './transport.js';
import { sha256 } from '../../hash.js';

export const email: ChannelDefinition<MailTransport> = {
  name: 'email',
  perRecipient: true,
  concurrency: (config) => Math.max(1, Number(config.settings.max_connections ?? 5)),
  render,
  check,
  preview,
  liveAvailable: false,
  transport: (_config, deps) => sandboxMailTransport(createOutbox(deps.varDir, 'email')),
  async publish(payload, ctx, transport) {
    const sent = await transport.send(ctx.deliveryKey, emailMessage(payload, ctx), ctx.attempt, ctx.now());
    return { id: sent.messageId, at: sent.at, details: sent.details };
  },
  async notify(message, transport, config) {
    const from = String(config.settings.from);
    const mail = {
      from,
      to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      messageId: messageId(message.key, from),
      date: message.at,
      baseBoundary: sha256(message.key).slice(0, 16),
      ...(message.headers ? { headers: message.headers } : {}),
    };
    const sent = await transport.send(message.key, mail, 1, message.at);
    return { id: sent.messageId };
  },
  async reconcile(payload, ctx, transport) {
    const entry = await transport.find(ctx.deliveryKey);
    if (!entry) return null;
    const from = String((payload.body as Record<string, unknown>).from ?? ctx.config.settings.from);
    return { id: messageId(ctx.deliveryKey, from), at: entry.at, details: { sandbox: true, file: entry.file, reconciled: true } };
  },
};
