/**
 * The live e-mail transport: nodemailer's SMTP pool (max_connections
 * connections, at most rate_per_second messages a second), optionally
 * DKIM-signed. One message per recipient, so a reply concerns that recipient
 * alone. nodemailer is told never to resend on its own (maxRequeues 0): what
 * is resent, and when, is the delivery ledger's decision, so it can be counted.
 *
 * An outage (refused, timed out, 421) pauses the whole channel, the pause
 * doubling from the first of `server_down_pause` up to the second while the
 * outage lasts; a refused login pauses it for `auth_failure_pause`.
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { isLoopbackUrl } from '../../config/channels.js';
import type { MailTransport } from './transport.js';
import type { DkimOptions, SmtpServer } from './smtp-config.js';
import { classifySmtpError, isOutage, redact, type ErrorContext } from './smtp-errors.js';
import { channelModeMessages } from '../../i18n/messages-channel-modes.js';

export interface SmtpTransportOptions {
  server: SmtpServer;
  maxConnections: number;
  /** Messages a second across all connections; 0: no limit. */
  ratePerSecond: number;
  timeoutMs: number;
  dkim: DkimOptions | null;
  /** The first pause after the server went down, and the longest. */
  outagePauseMs: [number, number];
  authPauseMs: number;
  /** Values that must never appear in a message or receipt (SMTP_URL, user, password). */
  secrets: string[];
  now: () => Date;
}

export function smtpMailTransport(o: SmtpTransportOptions): MailTransport {
  const { server } = o;
  const pool = nodemailer.createTransport({
    pool: true,
    host: server.host,
    port: server.port,
    secure: server.secure,
    // A password never crosses the network in the clear, but to a relay on this machine.
    requireTLS: Boolean(server.auth) && !server.secure && !isLoopbackUrl(`smtp://${server.host}`),
    ...(server.auth ? { auth: { user: server.auth.user, pass: server.auth.pass } } : {}),
    maxConnections: o.maxConnections,
    ...(o.ratePerSecond > 0 ? { rateLimit: o.ratePerSecond, rateDelta: 1000 } : {}),
    maxRequeues: 0,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    logger: false,
    debug: false,
    ...(o.dkim ? { dkim: o.dkim } : {}),
  } as SMTPPool.Options);
  // One outage, one growing pause: sends failing together during the same pause do not double it again.
  let streak = 0;
  let pausedUntil = 0;
  let refusedLogin = false;
  const errors: ErrorContext = {
    server: server.label,
    secrets: o.secrets,
    authPauseMs: o.authPauseMs,
    loginRefused() {
      const before = refusedLogin;
      refusedLogin = true;
      return before;
    },
    outagePauseMs() {
      const t = Date.now();
      if (t < pausedUntil) return pausedUntil - t;
      streak++;
      const pause = Math.min(o.outagePauseMs[1], o.outagePauseMs[0] * 2 ** (streak - 1));
      pausedUntil = t + pause;
      return pause;
    },
  };
  return {
    kind: 'live',
    async send(_key, mail) {
      const hide = addresses(mail);
      let info: SMTPPool.SentMessageInfo;
      try {
        info = await pool.sendMail(mail);
        if (info.rejected.length > 0) throw rejected(info);
      } catch (err) {
        if (!isOutage(err)) streak = 0;
        throw classifySmtpError(err, errors, hide);
      }
      streak = 0;
      return {
        messageId: info.messageId || String(mail.messageId),
        at: o.now().toISOString(),
        details: { server: server.label, response: redact(String(info.response ?? ''), [...o.secrets, ...hide]).slice(0, 200) },
      };
    },
    async find() {
      return null;
    },
    async verify() {
      try {
        await pool.verify();
      } catch (err) {
        throw classifySmtpError(err, errors);
      }
      const dkim = o.dkim ? { domain: o.dkim.domainName, selector: o.dkim.keySelector } : null;
      return channelModeMessages().smtpLive(server.label, server.source, Boolean(server.auth), dkim);
    },
    close() {
      pool.close();
    },
  };
}

/** A message with a recipient refused while another was accepted (not the case with one recipient a message, but said plainly if it happens). */
function rejected(info: SMTPPool.SentMessageInfo): Error {
  const first = (info as { rejectedErrors?: Array<Error & { responseCode?: number; response?: string }> }).rejectedErrors?.[0];
  return Object.assign(new Error('recipient refused'), { code: 'EENVELOPE', command: 'RCPT TO', responseCode: first?.responseCode ?? 550, response: first?.response ?? '550 recipient refused' });
}

function addresses(mail: Mail.Options): string[] {
  const to = mail.to;
  const list: unknown[] = Array.isArray(to) ? to.flat() : to ? [to] : [];
  return list.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? ''))).filter((a) => a.length > 0);
}
