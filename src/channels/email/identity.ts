/**
 * Who the mail is from and which list it belongs to, from `channels/email.yaml`:
 * the From address (with its display name), Reply-To, the List-Id (RFC 2919)
 * and the mailto half of List-Unsubscribe. Pure.
 */
import type { ChannelConfig } from '../../config/channels.js';

export interface MailIdentity {
  /** As configured, e.g. `章丘市公安局 <advisories@example.gov.cn>` (nodemailer encodes the name). */
  from: string;
  replyTo?: string;
  /** `holiday-safety.example.gov.cn` (without the angle brackets). */
  listId: string;
  /** Where an unsubscribe by mail goes, e.g. `unsubscribe@example.gov.cn` (someone must read it). */
  unsubscribeMailto: string;
}

/** The domain of an address like `Name <user@domain>` or `user@domain`. */
export function fromDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? 'advisory.invalid';
}

export function mailIdentity(settings: ChannelConfig['settings'], from = String(settings.from)): MailIdentity {
  const domain = fromDomain(from);
  const text = (key: string) => String(settings[key] ?? '').trim();
  const listId = text('list_id').replace(/[^\x21-\x7e]|[<>]/g, '') || `holiday-safety.${domain}`;
  const unsubscribeMailto = text('unsubscribe_mailto').replace(/^mailto:/i, '') || `unsubscribe@${domain}`;
  const replyTo = text('reply_to');
  return { from, ...(replyTo ? { replyTo } : {}), listId, unsubscribeMailto };
}

/**
 * `<https://…/unsubscribe?token=…>,` and on a folded line `<mailto:unsubscribe@…?subject=unsubscribe%20…>`:
 * one-click first (RFC 8058), mail as the fallback (RFC 2369). The value goes out as written (a prepared header).
 */
export function listUnsubscribe(url: string, mailto: string, token: string | undefined): string {
  const subject = encodeURIComponent(token ? `unsubscribe ${token}` : 'unsubscribe');
  return `<${safe(url)}>,\r\n <mailto:${safe(mailto)}?subject=${subject}>`;
}

/** Nothing that could end the header or the URI (a setting or a stored URL with a line break or an angle bracket). */
function safe(s: string): string {
  return s.replace(/[\r\n<>\s]/g, (c) => encodeURIComponent(c));
}
