/**
 * What an SMTP failure means for the delivery, from nodemailer's error (its
 * `code`: ECONNECTION, EAUTH, EENVELOPE, … and the server's `responseCode`):
 *
 *   server unreachable, timed out, 421      transient, the channel paused (every delivery waits, none spends attempts)
 *   535 and other login failures             the first held for a person (SMTP_USER/SMTP_PASS), the channel paused
 *   5xx for the recipient (RCPT TO)          permanent, a hard bounce counted against the subscriber
 *   5xx for the sender (MAIL FROM)           needs a person (the `from` setting), the channel paused long
 *   5xx for the message (DATA)               permanent for this recipient, not a bounce (the content was refused)
 *   any other 4xx (451, 452, 450)            transient: retried per the delivery retry policy
 *
 * Every message is redacted: SMTP_URL, the user and the password never appear.
 */
import { ChannelError } from '../../errors.js';

interface SmtpFailure extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  originalCode?: string;
  rejected?: unknown[];
}

export interface ErrorContext {
  /** `host:port` of the server. */
  server: string;
  /** Values that must never appear in a message (SMTP_URL, the user, the password). */
  secrets: string[];
  /** How long the channel pauses for this outage (the transport's backoff). */
  outagePauseMs: () => number;
  authPauseMs: number;
  /** Records a refused login; true when one was refused before (by this transport). */
  loginRefused: () => boolean;
}

const CONNECTION = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY']);

/** `text` with every secret replaced by `***` (and the user:password@ of any smtp URL). */
export function redact(text: string, secrets: string[]): string {
  let out = text.replace(/(smtps?:\/\/)[^@\s/]*@/gi, '$1***@');
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out;
}

/** Kinds of failure the transport counts: an outage pauses the channel with growing pauses. */
export function isOutage(err: unknown): boolean {
  const e = err as SmtpFailure;
  return e?.responseCode === 421 || (e?.code !== undefined && CONNECTION.has(e.code) && !(e.responseCode && e.responseCode >= 500));
}

/** The address itself never goes into a message (`hide` it: a server's reply may quote it): ids, keys and status say nothing of it. */
export function classifySmtpError(err: unknown, ctx: ErrorContext, hide: string[] = []): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = (err ?? {}) as SmtpFailure;
  const code = e.responseCode;
  const reply = redact(oneLine(e.response ?? e.message ?? String(err)), [...ctx.secrets, ...hide]);
  const said = code ? `the server answered ${reply}` : reply;
  const opts = { channelCode: code ?? e.code };
  if (isOutage(e)) {
    const why = code ? reply : `${e.originalCode ?? e.code ?? 'no answer'}: ${reply}`;
    return new ChannelError('email', 'transient', `the SMTP server ${ctx.server} is not taking mail (${why}); every e-mail waits and is tried again, nothing is lost`, {
      ...opts, pauseChannel: true, retryAfterMs: ctx.outagePauseMs(),
    });
  }
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    const advice = `the SMTP server ${ctx.server} refused the login (${said}): check SMTP_USER and SMTP_PASS (or the user and password in SMTP_URL) and restart`;
    // The first refusal is held for a person; after it the others only wait (paused), so the list is not spent on it.
    if (ctx.loginRefused()) return new ChannelError('email', 'transient', `${advice}; this e-mail waits and is tried again`, { ...opts, pauseChannel: true, retryAfterMs: ctx.authPauseMs });
    return new ChannelError('email', 'needs-person', `${advice}, then \`advisory retry\` this delivery; the other e-mails wait`, { ...opts, pauseChannel: true, retryAfterMs: ctx.authPauseMs });
  }
  if (code && code >= 500 && code !== 503) {
    if (e.command === 'MAIL FROM') {
      return new ChannelError('email', 'needs-person', `the SMTP server ${ctx.server} refuses the sender (${said}): check the from setting in channels/email.yaml and that this server may send for its domain; the other e-mails wait`, {
        ...opts, pauseChannel: true, retryAfterMs: ctx.authPauseMs,
      });
    }
    if (e.code === 'EENVELOPE' || e.command === 'RCPT TO') {
      return new ChannelError('email', 'permanent', `the SMTP server refused the recipient's address (${said}): a hard bounce, counted against the subscriber`, { ...opts, bounce: true });
    }
    return new ChannelError('email', 'permanent', `the SMTP server refused the message for this recipient (${said}); not retried`, opts);
  }
  if (!code && e.code === 'EENVELOPE') {
    // Refused before anything was sent (an address nodemailer cannot use): it never will; counted like a refusal by the server.
    return new ChannelError('email', 'permanent', `the recipient's address cannot be used (${reply}): a hard bounce, counted against the subscriber`, { ...opts, bounce: true });
  }
  if (!code && e.code === 'EMESSAGE') {
    return new ChannelError('email', 'permanent', `the message cannot be sent (${reply}); not retried`, opts);
  }
  if (code && code >= 400) {
    return new ChannelError('email', 'transient', `the SMTP server deferred the message (${said}); tried again later`, opts);
  }
  return new ChannelError('email', 'transient', `sending through ${ctx.server} failed (${e.code ? `${e.code}: ` : ''}${reply}); tried again later`, opts);
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
