/**
 * The e-mail body is rendered (and frozen, and approved) once per occurrence;
 * what differs per subscriber (the greeting's name, the unsubscribe link) is
 * filled in at send time, by structure: the rendition records where the
 * template put each slot (`slots`), and only those places are filled. Text
 * from the content never reaches this step: an advisory that writes
 * `%%UNSUBSCRIBE_URL%%` shows exactly that, it is not replaced by each
 * reader's link. Pure: the delivery layer calls it for each recipient.
 */
import type { Recipient } from '../channel.js';

/** What the frozen body shows where a slot is (previews, payloads.json); the slot's position is what counts. */
export const UNSUBSCRIBE_TOKEN = '%%UNSUBSCRIBE_URL%%';
export const RECIPIENT_NAME_TOKEN = '%%RECIPIENT_NAME%%';
/** Greeting used when a subscriber gave no name. */
export const DEFAULT_RECIPIENT_NAME = '市民朋友';

export type SlotKind = 'name' | 'unsubscribe';
/** A slot: where in the part it starts (a UTF-16 offset), and what fills it. Its length is its token's. */
export type Slot = [at: number, kind: SlotKind];

export interface EmailBody {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  listUnsubscribe: boolean;
  /** Where the template put the slots in each part. Absent in bodies frozen before slots were recorded. */
  slots?: { html: Slot[]; text: Slot[] };
}

export interface PersonalizedEmail extends EmailBody {
  /** The recipient's one-click unsubscribe URL, for the List-Unsubscribe header (RFC 8058). */
  unsubscribeUrl: string;
}

export const TOKEN: Record<SlotKind, string> = { name: RECIPIENT_NAME_TOKEN, unsubscribe: UNSUBSCRIBE_TOKEN };

/**
 * A rendered part with the template's slot markers (which content cannot
 * know: see slotMarkers) turned into the display tokens, and where they are.
 */
export function placeSlots(rendered: string, markers: Record<SlotKind, string>): { text: string; slots: Slot[] } {
  const slots: Slot[] = [];
  const find = new RegExp(`${markers.name}|${markers.unsubscribe}`, 'g');
  let out = '';
  let last = 0;
  for (const m of rendered.matchAll(find)) {
    out += rendered.slice(last, m.index);
    const kind: SlotKind = m[0] === markers.name ? 'name' : 'unsubscribe';
    slots.push([out.length, kind]);
    out += TOKEN[kind];
    last = m.index + m[0].length;
  }
  return { text: out + rendered.slice(last), slots };
}

/** What fills each slot of each part, for this recipient. */
export function slotValues(recipient: Pick<Recipient, 'name'>, unsubscribeUrl: string): Record<'html' | 'text', Record<SlotKind, string>> {
  const name = recipient.name?.replace(/[\r\n]+/g, ' ').trim() || DEFAULT_RECIPIENT_NAME;
  return { html: { name: escapeHtml(name), unsubscribe: escapeHtml(unsubscribeUrl) }, text: { name, unsubscribe: unsubscribeUrl } };
}

export function personalize(body: EmailBody, recipient: Pick<Recipient, 'name'>, unsubscribeUrl: string): PersonalizedEmail {
  const { html, text } = slotValues(recipient, unsubscribeUrl);
  return {
    ...body,
    html: body.slots ? fillSlots(body.html, body.slots.html, html) : legacyFill(body.html, html),
    text: body.slots ? fillSlots(body.text, body.slots.text, text) : legacyFill(body.text, text),
    unsubscribeUrl,
  };
}

function fillSlots(part: string, slots: Slot[], values: Record<SlotKind, string>): string {
  let out = '';
  let last = 0;
  for (const [at, kind] of slots) {
    // A slot must hold its token where it was recorded: a body that does not is not ours to fill.
    if (part.slice(at, at + TOKEN[kind].length) !== TOKEN[kind] || at < last) throw new Error(`e-mail body slot ${kind} at ${at} does not hold ${TOKEN[kind]}`);
    out += part.slice(last, at) + values[kind];
    last = at + TOKEN[kind].length;
  }
  return out + part.slice(last);
}

const TOKENS = new RegExp(`${RECIPIENT_NAME_TOKEN}|${UNSUBSCRIBE_TOKEN}`, 'g');

/** Bodies frozen before slots were recorded (older ledgers): their tokens, in one pass. */
function legacyFill(s: string, values: Record<SlotKind, string>): string {
  return s.replace(TOKENS, (token) => (token === RECIPIENT_NAME_TOKEN ? values.name : values.unsubscribe));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
