/**
 * The signed links of a subscription: the unsubscribe link every message
 * carries and the confirmation link of a sign-up (double opt-in). A token is
 * the subscriber's random id and an HMAC-SHA256 of it under the link secret, so
 * a forged or altered token is refused without looking anything up, and a
 * token says nothing about the address.
 *
 *   unsubscribe:  u.<id>.<mac>            (valid as long as the secret is)
 *   confirm:      c.<id>.<expires>.<mac>  (expires: unix seconds, base 36)
 *
 * The secret comes from the environment variable that `channels/email.yaml`
 * names (`optional_env.link_secret`, EMAIL_LINK_SECRET); without it, one is
 * made at random once and kept in the ledger, so links stay valid across runs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChannelConfig } from '../../config/channels.js';
import type { ChannelState } from '../channel.js';

/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 7 * 24 * 3600 * 1000;
const SECRET_STATE = 'email.link-secret';
const ID = /^s-[0-9a-f]{16}$/;

export interface SubscriptionLinks {
  unsubscribeToken(id: string): string;
  /** The subscriber id of a valid unsubscribe token, else null. */
  verifyUnsubscribe(token: string): string | null;
  confirmToken(id: string, now: Date): string;
  /** The id of a valid confirmation token; `expired` when it was genuine but is too old; null when forged or malformed. */
  verifyConfirm(token: string, now: Date): { id: string; expired: boolean } | null;
}

/** Where the secret came from, for `status` and `channels verify`. */
export type LinkSecretSource = 'environment' | 'ledger';

export async function linkSecret(config: ChannelConfig, state: ChannelState): Promise<{ secret: string; source: LinkSecretSource }> {
  const fromEnv = config.secrets.link_secret;
  if (fromEnv) return { secret: fromEnv, source: 'environment' };
  let kept = await state.get(SECRET_STATE);
  if (!kept) {
    kept = randomBytes(32).toString('base64url');
    await state.set(SECRET_STATE, kept);
    // Two processes racing to make one: the first one written wins, both use it.
    kept = (await state.get(SECRET_STATE)) ?? kept;
  }
  return { secret: kept, source: 'ledger' };
}

export function subscriptionLinks(secret: string): SubscriptionLinks {
  const mac = (text: string) => createHmac('sha256', secret).update(text).digest('base64url').slice(0, 32);
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return {
    unsubscribeToken: (id) => `u.${id}.${mac(`unsubscribe\0${id}`)}`,
    verifyUnsubscribe(token) {
      const [kind, id, sig, ...rest] = token.split('.');
      if (kind !== 'u' || rest.length > 0 || !ID.test(id ?? '') || !sig) return null;
      return same(sig, mac(`unsubscribe\0${id}`)) ? id : null;
    },
    confirmToken(id, now) {
      const expires = Math.floor((now.getTime() + CONFIRM_TTL_MS) / 1000).toString(36);
      return `c.${id}.${expires}.${mac(`confirm\0${id}\0${expires}`)}`;
    },
    verifyConfirm(token, now) {
      const [kind, id, expires, sig, ...rest] = token.split('.');
      if (kind !== 'c' || rest.length > 0 || !ID.test(id ?? '') || !/^[0-9a-z]{1,10}$/.test(expires ?? '') || !sig) return null;
      if (!same(sig, mac(`confirm\0${id}\0${expires}`))) return null;
      return { id, expired: parseInt(expires, 36) * 1000 < now.getTime() };
    },
  };
}
