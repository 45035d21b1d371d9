/**
 * The e-mail body is rendered (and frozen, and approved) once per occurrence;
 * what differs per subscriber is filled in at send time by replacing literal
 * placeholders. Pure: the delivery layer calls it for each recipient.
 */
import type { Recipient } from '../channel.js';

export const UNSUBSCRIBE_TOKEN = '%%UNSUBSCRIBE_URL%%';
export const RECIPIENT_NAME_TOKEN = '%%RECIPIENT_NAME%%';
/** Greeting used when a subscriber gave no name. */
export const DEFAULT_RECIPIENT_NAME = '市民朋友';

export interface EmailBody {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  listUnsubscribe: boolean;
}

export interface PersonalizedEmail extends EmailBody {
  /** The recipient's one-click unsubscribe URL, for the List-Unsubscribe header (RFC 8058). */
  unsubscribeUrl: string;
}

export function personalize(body: EmailBody, recipient: Pick<Recipient, 'name'>, unsubscribeUrl: string): PersonalizedEmail {
  const name = recipient.name?.replace(/[\r\n]+/g, ' ').trim() || DEFAULT_RECIPIENT_NAME;
  return {
    ...body,
    html: fill(body.html, escapeHtml(name), escapeHtml(unsubscribeUrl)),
    text: fill(body.text, name, unsubscribeUrl),
    unsubscribeUrl,
  };
}

const TOKENS = new RegExp(`${RECIPIENT_NAME_TOKEN}|${UNSUBSCRIBE_TOKEN}`, 'g');

/** One pass, so a name that happens to contain a placeholder is not filled in turn. */
function fill(s: string, name: string, url: string): string {
  return s.replace(TOKENS, (token) => (token === RECIPIENT_NAME_TOKEN ? name : url));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
