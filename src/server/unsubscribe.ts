/**
 * Unsubscribing, from the link every message carries (`/unsubscribe?token=`):
 *
 *   GET   one "unsubscribe" button, or why there is none (a link not ours; already unsubscribed)
 *   POST  unsubscribes at once: the button, or the mail client's one-click
 *         (RFC 8058: body `List-Unsubscribe=One-Click`, the token in the URL)
 *
 * Signed tokens (`u.<id>.<mac>`) are checked before anything is looked up and
 * act by subscriber id; a forged or altered one is refused (400). A signed
 * token still works after the link secret changed while it is the token
 * stored for its id, and tokens from before signing (random, stored) work by
 * exact match in the store. The store writes the audit entry.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Subscriber, SubscriberStore } from '../delivery/store/index.js';
import type { Subscriptions } from '../app/subscriptions.js';
import { UNSUBSCRIBE_PATH } from '../channels/website/index.js';
import { methodNotAllowed, readForm } from './page-response.js';
import { answer, maskAddress, type PageContext } from './subscription-pages.js';

export interface UnsubscribeContext extends PageContext {
  store: SubscriberStore;
  log: Logger;
  links: Subscriptions['links'];
}

/** A token from before signing: 18 random bytes, base64url (the store's default). */
const STORED_TOKEN = /^[A-Za-z0-9_-]{24}$/;
/** The shape of a signed token, whatever secret signed it. */
const SIGNED_SHAPE = /^u\.(s-[0-9a-f]{16})\.[A-Za-z0-9_-]{1,64}$/;


const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const receiving = (s: Subscriber) => s.status === 'active' || s.status === 'pending';

export function createUnsubscribeHandler(ctx: UnsubscribeContext) {
  const action = `${ctx.base}/${UNSUBSCRIBE_PATH}`;

  /**
   * The subscriber a token names: by the id of a valid signature; a signed
   * token that fails (the secret changed since it was mailed) only when it is
   * exactly the token stored for that id; a token from before signing by
   * the store's lookup of stored tokens.
   */
  async function holder(token: string): Promise<{ subscriber: Subscriber | null; signed: boolean }> {
    const id = ctx.links.verifyUnsubscribe(token);
    if (id) return { subscriber: (await ctx.store.subscriber(id)) ?? null, signed: true };
    const shaped = SIGNED_SHAPE.exec(token);
    if (shaped) {
      const s = await ctx.store.subscriber(shaped[1]);
      return { subscriber: s && sameToken(s.unsubscribeToken, token) ? s : null, signed: false };
    }
    if (!STORED_TOKEN.test(token)) return { subscriber: null, signed: false };
    return { subscriber: (await ctx.store.subscriberByToken(token)) ?? null, signed: false };
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<true> => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return methodNotAllowed(res, 'GET, HEAD, POST');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
    const token = url.searchParams.get('token') ?? form.get('token') ?? '';
    const self = `${action}?token=${encodeURIComponent(token)}`;
    const page = { path: UNSUBSCRIBE_PATH, self };
    const found = token === '' ? { subscriber: null, signed: false } : await holder(token);
    const s = found.subscriber;
    if (!s) {
      // Altered or made up, or not a token at all: 400. Genuine but naming no one (a removed subscriber; an unknown old token): 404.
      const forged = !found.signed && !STORED_TOKEN.test(token);
      if (req.method === 'POST') ctx.log.warn({ forged }, 'unsubscribe with a token that names no subscriber: refused');
      return answer(ctx, req, res, forged ? 400 : 404, 'invalid-unsubscribe', page);
    }
    const address = maskAddress(s.address);
    if (req.method !== 'POST') {
      if (!receiving(s)) return answer(ctx, req, res, 200, 'already-unsubscribed', page);
      return answer(ctx, req, res, 200, 'unsubscribe', { ...page, address, button: { action: self, token, label: '确认退订' } });
    }
    const oneClick = form.get('List-Unsubscribe') === 'One-Click';
    const now = ctx.now();
    const done = found.signed ? await ctx.store.unsubscribeId(s.id, now, oneClick ? 'one-click' : 'link') : await ctx.store.unsubscribe(token, now);
    if (done) ctx.log.info({ subscriber: s.id, oneClick }, 'unsubscribed');
    // Already unsubscribed is success too: a mail client may send its one-click twice.
    return answer(ctx, req, res, 200, done ? 'unsubscribed' : 'already-unsubscribed', { ...page, address });
  };
}
