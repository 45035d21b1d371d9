/**
 * The e-mail channel's transport: nodemailer's. In sandbox, nodemailer's own
 * stream transport composes the complete message exactly as SMTP would send
 * it (CRLF line ends, the same DKIM signature) and the outbox keeps it as
 * `.eml`, once per delivery key. Live, the SMTP pool (smtp.ts).
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { Closable } from '../channel.js';
import type { Outbox, OutboxEntry } from '../sandbox.js';
import type { DkimOptions } from './smtp-config.js';
import { channelModeMessages } from '../../i18n/messages-channel-modes.js';

export interface SentMail {
  /** The Message-ID header as sent. */
  messageId: string;
  at: string;
  details: Record<string, unknown>;
}

export interface MailTransport extends Closable {
  /** `sandbox`: the outbox, which knows what went out; `live`: an SMTP server, which cannot be asked afterwards. */
  readonly kind: 'sandbox' | 'live';
  /** Sends the message of delivery `key`; throws ChannelError (smtp-errors.ts). The sandbox does not write a key twice. */
  send(key: string, mail: Mail.Options, attempt: number, at: Date): Promise<SentMail>;
  /** Whether the message of `key` went out (after a crash): the sandbox's outbox knows; SMTP cannot tell (null). */
  find(key: string): Promise<OutboxEntry | null>;
  /** `channels verify`: what was checked, in plain words; throws ChannelError when it does not work. */
  verify(): Promise<string>;
}

export function sandboxMailTransport(outbox: Outbox, dkim: DkimOptions | null = null): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...(dkim ? { dkim } : {}) });
  return {
    kind: 'sandbox',
    async send(key, mail, attempt, at) {
      const info = await composer.sendMail(mail);
      const entry = outbox.record(key, info.message as Buffer, attempt, at);
      return { messageId: String(mail.messageId), at: entry.at, details: { sandbox: true, file: entry.file, ...(entry.existed ? { reconciled: true } : {}) } };
    },
    async find(key) {
      return outbox.find(key);
    },
    async verify() {
      return channelModeMessages().emailSandbox(dkim ? { domain: dkim.domainName, selector: dkim.keySelector } : null);
    },
    close() {
      composer.close();
    },
  };
}
