/**
 * Unsubscribing, from the link every message carries (`/unsubscribe?token=`):
 *
 *   GET   one "unsubscribe" button, or why there is none (a link not ours; already unsubscribed)
 *   POST  unsubscribes at once: the button, or the mail client's one-click
 *         (RFC 8058: body `List-Unsubscribe=One-Click`, the token in the URL)
 *
 * Signed tokens (`u.<id>.<mac>`) are checked before anything is looked up and
 * act by subscriber id; a forged or altered one is refused (400). Tokens from
 * before signing (random, stored) still work by exact match in the store,
 * which also keeps signed links working should the link secret change. The
 * store writes the audit entry.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** What a stored (pre-signing) token can look like: no need to look up anything else. */
const STORED_TOKEN = /^[A-Za-z0-9_.-]{8,200}$/;

const receiving = (s: Subscriber) => s.status === 'active' || s.status === 'pending';

export function createUnsubscribeHandler(ctx: UnsubscribeContext) {
  const action = `${ctx.base}/${UNSUBSCRIBE_PATH}`;

  /** The subscriber a token names: by its signed id, else by the stored token (a scan: only old links take it). */
  async function holder(token: string): Promise<{ subscriber: Subscriber | null; signed: boolean }> {
    const id = ctx.links.verifyUnsubscribe(token);
    if (id) return { subscriber: (await ctx.store.subscriber(id)) ?? null, signed: true };
    if (!STORED_TOKEN.test(token)) return { subscriber: null, signed: false };
    return { subscriber: (await ctx.store.subscribers()).find((s) => s.unsubscribeToken === token) ?? null, signed: false };
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
      // Signed but altered or made up, or not a token at all: 400. Well-formed but naming no one (an old link of a removed subscriber): 404.
      const forged = !found.signed && (token.startsWith('u.') || !STORED_TOKEN.test(token));
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
