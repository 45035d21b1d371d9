/**
 * The e-mail channel: one message per subscriber, HTML (inlined CSS) and
 * plain text, one-click unsubscribe. The body is rendered once per occurrence;
 * each subscriber's message is composed at send time (message.ts) and handed
 * to nodemailer: the stream transport into the outbox in sandbox, the SMTP
 * pool live (smtp.ts), both signing with DKIM when a key is set, so the
 * sandbox's .eml is byte for byte what SMTP carries.
 *
 * After a crash, a delivery left `sending` live cannot be looked up (SMTP has
 * no "did you get it?"): it is sent again with the same Message-ID, and its
 * receipt says `resentAfterCrash`, so the possible duplicates are counted
 * (the ledger claims e-mail in groups, see sender.ts GROUP_COMMIT: of the
 * up to 3 × max_connections − 1 resent, only those in flight, at most
 * max_connections, can have reached the server).
 */
import type { ChannelDefinition } from '../channel.js';
import type { ChannelConfig } from '../../config/channels.js';
import { createOutbox } from '../sandbox.js';
import { durationList, durationMs } from '../api-call.js';
import { check, render } from './rendition.js';
import { preview } from './preview.js';
import { directMessage, emailMessage, messageId } from './message.js';
import { sandboxMailTransport, type MailTransport } from './transport.js';
import { smtpMailTransport } from './smtp.js';
import { dkimOptions, smtpServer } from './smtp-config.js';

export type { MailTransport } from './transport.js';
export { CONFIRM_TTL_MS, linkSecret, subscriptionLinks, type LinkSecretSource, type SubscriptionLinks } from './links.js';

export const email: ChannelDefinition<MailTransport> = {
  name: 'email',
  perRecipient: true,
  concurrency: (config) => Math.max(1, Number(config.settings.max_connections ?? 5)),
  render,
  check,
  preview,
  liveAvailable: true,
  transport(config, deps) {
    const dkim = dkimOptions(config);
    if (config.mode !== 'live') return sandboxMailTransport(createOutbox(deps.varDir, 'email'), dkim);
    const [first, longest] = durationList(config.settings.server_down_pause, [10_000, 300_000]);
    return smtpMailTransport({
      server: smtpServer(config),
      maxConnections: email.concurrency(config),
      ratePerSecond: Math.max(0, Number(config.settings.rate_per_second ?? 0)),
      timeoutMs: durationMs(config.settings.timeout, 60_000),
      dkim,
      outagePauseMs: [first, Math.max(first, longest ?? first)],
      authPauseMs: durationMs(config.settings.auth_failure_pause, 300_000),
      secrets: secretValues(config),
      now: deps.now,
    });
  },
  async publish(payload, ctx, transport) {
    const sent = await transport.send(ctx.deliveryKey, emailMessage(payload, ctx), ctx.attempt, ctx.now());
    const resent = ctx.previous?.resentAfterCrash === true;
    return { id: sent.messageId, at: sent.at, details: { ...sent.details, ...(resent ? { resentAfterCrash: true } : {}) } };
  },
  async notify(message, transport, config) {
    const sent = await transport.send(message.key, directMessage(message, config), 1, message.at);
    return { id: sent.messageId };
  },
  async reconcile(payload, ctx, transport) {
    if (transport.kind === 'live') {
      // The server cannot be asked whether it took the message: send it again (same Message-ID), marked as a possible duplicate.
      await ctx.checkpoint?.({ resentAfterCrash: true });
      ctx.log.warn({ attempt: ctx.attempt }, 'e-mail in flight at a crash: sending it again (a possible duplicate, same Message-ID)');
      return null;
    }
    const entry = await transport.find(ctx.deliveryKey);
    if (!entry) return null;
    const from = String((payload.body as Record<string, unknown>).from ?? ctx.config.settings.from);
    return { id: messageId(ctx.deliveryKey, from), at: entry.at, details: { sandbox: true, file: entry.file, reconciled: true } };
  },
  async verify(transport) {
    return { level: 'ok', message: await transport.verify() };
  },
};

/** What must never be shown: SMTP_URL whole, and the user and password however given. */
function secretValues(config: ChannelConfig): string[] {
  const { url, user, pass } = config.secrets;
  const out = [url, user, pass].filter((s): s is string => Boolean(s));
  if (url) {
    try {
      const u = new URL(url);
      out.push(decodeURIComponent(u.password), u.password, decodeURIComponent(u.username), u.username);
    } catch {
      // smtpServer has refused it already.
    }
  }
  return [...new Set(out.filter((s) => s.length > 0))];
}
