/**
 * Sandbox publishing: what a live channel would send, written to
 * `var/outbox/<channel>/` instead of the network. Each file is written
 * atomically and only if absent (temp file + hard link), so "the file exists"
 * means "it was sent": that is how `reconcile` answers after a crash, and a
 * second attempt at the same key never writes a second copy. Every completed write also
 * appends one line to `var/outbox/<channel>/sent.log`, the sandbox's record of
 * what went out, in order (a key appearing twice there is a double send).
 */
import { existsSync, statSync } from 'node:fs';
import { appendDurable, writeAtomic } from '../fs/write-atomic.js';
import { dirname, join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ChannelName, Payload, PublishContext, Receipt } from './channel.js';
import type { ChannelConfig, SiteConfig } from '../config/channels.js';
import { ChannelError } from '../errors.js';
import { unsubscribeUrl } from '../render/urls.js';
import { sha256 } from '../hash.js';
import { personalize, type EmailBody } from './email/personalize.js';

const hash = sha256;

/** A file name from a delivery key: readable, and unique thanks to the hash suffix. */
export function safeKey(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.${hash(key).slice(0, 10)}`;
}

export function outboxFile(varDir: string, channel: ChannelName, key: string): string {
  return join(varDir, 'outbox', channel, `${safeKey(key)}${channel === 'email' ? '.eml' : '.json'}`);
}

/** A deterministic Message-ID from the delivery key: a resend carries the same id, so receivers can drop duplicates. */
export function messageId(deliveryKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'advisory.invalid';
  return `<${hash(deliveryKey).slice(0, 32)}@${domain}>`;
}

/**
 * The complete MIME message live SMTP would send for this e-mail payload to
 * `ctx.recipient`: the occurrence's one frozen body, personalised now (name,
 * unsubscribe link) from the recipient data frozen in the delivery, so a resend
 * is byte-identical.
 */
export async function buildEmailMessage(payload: Payload, ctx: PublishContext, config: ChannelConfig, site: SiteConfig): Promise<{ raw: Buffer; messageId: string }> {
  const recipient = ctx.recipient;
  if (!recipient) throw new ChannelError('email', 'permanent', `e-mail delivery ${ctx.deliveryKey} has no recipient.`);
  const frozen = payload.body as Record<string, unknown>;
  // Rows from before bodies were shared were personalised at creation and carry their unsubscribeUrl.
  const unsubscribe = String(frozen.unsubscribeUrl ?? unsubscribeUrl(site, recipient.unsubscribeToken ?? ''));
  const b: Record<string, unknown> = typeof frozen.html === 'string' && typeof frozen.text === 'string'
    ? { ...frozen, ...personalize(frozen as unknown as EmailBody, { name: recipient.name }, unsubscribe) }
    : frozen;
  const from = String(b.from ?? config.settings.from);
  const id = messageId(ctx.deliveryKey, from);
  const composer = new MailComposer({
    from,
    to: recipient.name ? { name: recipient.name, address: recipient.address } : recipient.address,
    subject: String(b.subject ?? payload.label),
    text: typeof b.text === 'string' ? b.text : payload.preview?.text ?? payload.label,
    ...(typeof b.html === 'string' ? { html: b.html } : {}),
    messageId: id,
    date: ctx.now(),
    baseBoundary: hash(ctx.deliveryKey).slice(0, 16),
    // RFC 8058 one-click unsubscribe. (MailComposer ignores the `list` option; only the transport applies it.)
    headers: {
      ...((b.headers as Record<string, string>) ?? {}),
      'List-Unsubscribe': { prepared: true, value: `<${unsubscribe}>` },
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
  const raw = await composer.compile().build();
  return { raw, messageId: id };
}

/** Publishes into the outbox. Returns the receipt the live channel would return, with a sandbox id. */
export async function publishToOutbox(
  channel: ChannelName, payload: Payload, ctx: PublishContext, config: ChannelConfig, site: SiteConfig,
): Promise<Receipt> {
  const file = outboxFile(ctx.varDir, channel, ctx.deliveryKey);
  let bytes: string | Buffer;
  let id: string;
  if (channel === 'email') {
    const m = await buildEmailMessage(payload, ctx, config, site);
    bytes = m.raw;
    id = m.messageId;
  } else {
    bytes = JSON.stringify(payload.body);
    id = sandboxId(channel, ctx.deliveryKey);
  }
  try {
    // Created only if absent: like WeChat's or Weibo's duplicate check, the outbox itself refuses a second copy,
    // even from a dispatcher that was frozen past its lock and resumed.
    writeAtomic(file, bytes, { exclusive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    ctx.log.warn({ key: ctx.deliveryKey, attempt: ctx.attempt }, 'already in the outbox (an earlier attempt wrote it): not written again');
    return (await reconcileOutbox(channel, payload, ctx, config))!;
  }
  const at = ctx.now().toISOString();
  appendDurable(join(dirname(file), 'sent.log'), `${JSON.stringify({ at, key: ctx.deliveryKey, attempt: ctx.attempt, file: file.slice(file.lastIndexOf('/') + 1), sha256: hash(typeof bytes === 'string' ? bytes : bytes.toString('latin1')) })}\n`);
  return { id, at, details: { sandbox: true, file } };
}

/** After a crash: the outbox file exists if and only if the earlier attempt went out. */
export async function reconcileOutbox(channel: ChannelName, payload: Payload, ctx: PublishContext, config: ChannelConfig): Promise<Receipt | null> {
  const file = outboxFile(ctx.varDir, channel, ctx.deliveryKey);
  if (!existsSync(file)) return null;
  const from = String((payload.body as Record<string, unknown>).from ?? config.settings.from);
  const id = channel === 'email' ? messageId(ctx.deliveryKey, from) : sandboxId(channel, ctx.deliveryKey);
  return { id, at: statSync(file).mtime.toISOString(), details: { sandbox: true, file, reconciled: true } };
}

/** Shaped like the live ids (WeChat publish_id, Weibo idstr): digits, stable per delivery. */
function sandboxId(channel: ChannelName, key: string): string {
  return `sandbox-${channel}-${BigInt(`0x${hash(key).slice(0, 15)}`).toString()}`;
}
