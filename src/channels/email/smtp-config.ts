/**
 * Where the live e-mail goes and how it is signed, from `channels/email.yaml`
 * and the environment. Pure: the configuration in, plain options out.
 *
 *   SMTP_URL=smtp://user:password@host:port    (smtps://… : TLS from the first byte)
 *   or host / port / secure settings + SMTP_USER / SMTP_PASS
 *   SMTP_DKIM_KEY (PEM) + dkim_selector (+ dkim_domain) : DKIM signature
 *
 * SMTP_URL wins when set. The values are never put in a message: an error
 * about SMTP_URL names the variable, not what it holds (the password is in it).
 */
import { createPrivateKey } from 'node:crypto';
import type { ChannelConfig } from '../../config/channels.js';
import { ConfigError } from '../../errors.js';
import { fromDomain } from './identity.js';
import { channelModeMessages, type SmtpUrlProblem } from '../../i18n/messages-channel-modes.js';

export interface SmtpServer {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** `host:port`, for messages (never the credentials). */
  label: string;
  /** Where it came from, for messages: `SMTP_URL` or the settings. */
  source: string;
}

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
  /** The signed headers: nodemailer's defaults (List-Unsubscribe and List-Unsubscribe-Post among them), spelled out so they cannot drift. */
  headerFieldNames: string;
}

/** Headers the DKIM signature covers; RFC 8058 §4 requires List-Unsubscribe and List-Unsubscribe-Post among them. */
export const DKIM_SIGNED_HEADERS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding',
  'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post',
].join(':');

export function smtpServer(config: ChannelConfig): SmtpServer {
  const { url, user, pass } = config.secrets;
  const file = config.file ?? 'channels/email.yaml';
  if (url) return fromUrl(url, 'SMTP_URL', file);
  const host = String(config.settings.host);
  const port = Number(config.settings.port);
  const secure = config.settings.secure === true;
  return { host, port, secure, ...(user ? { auth: { user, pass: pass ?? '' } } : {}), label: `${host}:${port}`, source: channelModeMessages().smtpFromFile(file) };
}

function fromUrl(url: string, name: string, file: string): SmtpServer {
  const bad = (why: SmtpUrlProblem, scheme = '') => new ConfigError(channelModeMessages().smtpUrlBad(name, why, scheme), { file });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('notUrl');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw bad('scheme', u.protocol.replace(/[^a-z]/g, ''));
  if (!u.hostname) throw bad('noHost');
  const secure = u.protocol === 'smtps:';
  const port = u.port ? Number(u.port) : secure ? 465 : 587;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let auth: SmtpServer['auth'];
  try {
    auth = u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined;
  } catch {
    throw bad('encoding');
  }
  if (auth && !auth.pass) throw bad('noPassword');
  return { host, port, secure, ...(auth ? { auth } : {}), label: `${host}:${port}`, source: name };
}

/** DKIM signing when SMTP_DKIM_KEY holds a key, else null. A key that is not a private key, or no selector, is a configuration error. */
export function dkimOptions(config: ChannelConfig): DkimOptions | null {
  const raw = config.secrets.dkim_key;
  if (!raw) return null;
  const name = 'SMTP_DKIM_KEY';
  const file = config.file ?? 'channels/email.yaml';
  // A PEM in one line of an env file often has its newlines written as \n.
  const privateKey = raw.includes('-----BEGIN') && !raw.includes('\n') ? raw.replace(/\\n/g, '\n') : raw;
  try {
    createPrivateKey(privateKey);
  } catch {
    throw new ConfigError(channelModeMessages().dkimNotAKey(name), { file });
  }
  const keySelector = String(config.settings.dkim_selector ?? '').trim();
  if (!keySelector) {
    throw new ConfigError(channelModeMessages().dkimNoSelector(file, name), { file });
  }
  const domainName = String(config.settings.dkim_domain ?? '').trim() || fromDomain(String(config.settings.from));
  return { domainName, keySelector, privateKey, headerFieldNames: DKIM_SIGNED_HEADERS };
}
