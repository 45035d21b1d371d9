/**
 * The e-mail channel's transport: nodemailer's. In sandbox, nodemailer's own
 * stream transport composes the complete message exactly as SMTP would send
 * it (CRLF line ends) and the outbox keeps it as `.eml`, once per delivery
 * key. The live SMTP pool comes with the credentials.
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { Closable } from '../channel.js';
import type { Outbox, OutboxEntry } from '../sandbox.js';

export interface SentMail {
  /** The Message-ID header as sent. */
  messageId: string;
  at: string;
  details: Record<string, unknown>;
}

export interface MailTransport extends Closable {
  /** Sends the message of delivery `key`; a key already sent is not sent again (the earlier one is returned). */
  send(key: string, mail: Mail.Options, attempt: number, at: Date): Promise<SentMail>;
  /** Whether the message of `key` went out (after a crash). */
  find(key: string): Promise<OutboxEntry | null>;
}

export function sandboxMailTransport(outbox: Outbox): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(key, mail, attempt, at) {
      const info = await composer.sendMail(mail);
      const entry = outbox.record(key, info.message as Buffer, attempt, at);
      return { messageId: String(mail.messageId), at: entry.at, details: { sandbox: true, file: entry.file, ...(entry.existed ? { reconciled: true } : {}) } };
    },
    async find(key) {
      return outbox.find(key);
    },
    close() {
      composer.close();
    },
  };
}
