/**
 * The transfer encoding nodemailer would choose for a text part, worked out
 * without reading each subscriber's copy: nodemailer scans every part it is
 * given (MimeNode._getTextEncoding: more Latin letters than other symbols →
 * quoted-printable, else base64; no other symbol at all → left to it, 7bit),
 * a pass over some 30 kB per message, and on a queue worker one of its
 * costliest steps (about 0.16 ms a message, 8 % of the worker's CPU). A
 * subscriber's copy is the frozen part with its slots filled, so its counts
 * are the part's (counted once per frozen body) with each slot's token taken
 * out and its value put in: the same choice, the same bytes.
 */
import { TOKEN, type EmailBody, type SlotKind } from './personalize.js';

/** What nodemailer counts: Latin letters, and symbols it cannot send as they are (controls, anything past ASCII). */
export interface Tally {
  latin: number;
  other: number;
}

export function tally(s: string): Tally {
  let latin = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x08 || c === 0x0b || c === 0x0c || (c >= 0x0e && c <= 0x1f) || c >= 0x80) other++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
  }
  return { latin, other };
}

const frozen = new WeakMap<EmailBody, { html: Tally; text: Tally }>();
/** What each slot's token counts for, taken out where a value goes in. */
const TOKEN_TALLY: Record<SlotKind, Tally> = { name: tally(TOKEN.name), unsubscribe: tally(TOKEN.unsubscribe) };

/**
 * The Content-Transfer-Encoding of each part of `body` filled with `values` (as personalize.ts fills it), or
 * undefined where nodemailer is left to choose: a part with nothing to encode, or a body without recorded slots.
 */
export function transferEncodings(body: EmailBody, values: Record<'html' | 'text', Record<SlotKind, string>>): Partial<Record<'html' | 'text', 'quoted-printable' | 'base64'>> {
  if (!body.slots) return {};
  let counted = frozen.get(body);
  if (!counted) frozen.set(body, (counted = { html: tally(body.html), text: tally(body.text) }));
  const out: Partial<Record<'html' | 'text', 'quoted-printable' | 'base64'>> = {};
  for (const part of ['html', 'text'] as const) {
    let { latin, other } = counted[part];
    for (const [, kind] of body.slots[part]) {
      const token = TOKEN_TALLY[kind];
      const value = tally(values[part][kind]);
      latin += value.latin - token.latin;
      other += value.other - token.other;
    }
    if (other > 0) out[part] = other < latin ? 'quoted-printable' : 'base64';
  }
  return out;
}
