/**
 * The public sign-up (double opt-in), under the site's base path:
 *
 *   GET  /subscribe/                 the form (also built with the site)
 *   POST /subscribe/                 address, optional name → a `pending` subscriber and a confirmation mail
 *   GET  /subscribe/confirm?token=   one "confirm" button (mail scanners open links: GET changes nothing)
 *   POST /subscribe/confirm          confirms: the subscriber is `active`, and receives campaigns
 *
 * The answer to the form is the same page whether the address was unknown,
 * pending or already subscribed (an active one is mailed a note instead of a
 * link), so the form tells no one who subscribes. Rate-limited per client and
 * per address (rate-limit.ts). Unsubscribing is in unsubscribe.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { DirectMessage } from '../channels/channel.js';
import type { Subscriptions } from '../app/subscriptions.js';
import type { SubscriberStore } from '../delivery/store/index.js';
import { normalizeAddress } from '../delivery/store/index.js';
import { validAddress } from '../delivery/subscriber-list.js';
import {
  ADDRESS_MAX, CONFIRM_PATH, NAME_MAX, renderSitePage, SUBSCRIBE_DESCRIPTION, SUBSCRIBE_PATH, SUBSCRIBE_TITLE, subscribeFormView, type FormError,
} from '../channels/website/index.js';
import { methodNotAllowed, readForm, sendPage } from './page-response.js';
import { answer, maskAddress, type PageContext } from './subscription-pages.js';
import { clientAddress, DEFAULT_SUBSCRIBE_LIMITS, RateLimiter, type SubscribeLimits } from './rate-limit.js';
import { alreadySubscribedMail, confirmationMail } from './subscribe-mail.js';

/** What the public subscription needs from the runtime (the daemon wires it: app/subscriptions.ts, the e-mail channel). */
export interface SubscriptionDeps {
  /** The signed links (app/subscriptions.ts `links`). */
  links: Subscriptions['links'];
  /** Adds the way every surface must (a random id, a signed unsubscribe token): app/subscriptions.ts `add`. */
  add: Subscriptions['add'];
  /** The e-mail channel's direct message; absent: the form answers "cannot send now" (503). */
  notify?(message: DirectMessage): Promise<{ id: string }>;
  limits?: SubscribeLimits;
}

export interface SubscribeContext extends PageContext {
  store: SubscriberStore;
  log: Logger;
  subscriptions: SubscriptionDeps;
}

/** The honeypot: a field people never see (hidden by the style sheet); form-filling robots fill it. */
const HONEYPOT = 'website';

/** What is wrong with the entered address, in words a reader can act on; null when it can receive mail. */
function addressProblem(address: string): string | null {
  if (validAddress(address) === null) return null;
  if (address === '') return '请填写电子邮箱地址。';
  if (address.length > ADDRESS_MAX) return '邮箱地址太长了，请检查是否写对。';
  if (!address.includes('@')) return '邮箱地址里缺少 @ 符号，应该像 zhangsan@163.com 这样。';
  if (address.indexOf('@') !== address.lastIndexOf('@')) return '邮箱地址里只能有一个 @ 符号。';
  if (/\s/.test(address)) return '邮箱地址里不能有空格。';
  return '邮箱地址的格式不对，应该像 zhangsan@163.com 这样。';
}

/** Full-width ＠ and ．, and the Chinese full stop, as a phone's Chinese keyboard types them, read as @ and dots. */
export function cleanAddress(raw: string): string {
  return raw.normalize('NFKC').replace(/[。｡]/g, '.').trim();
}

function cleanName(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function nameProblem(name: string): string | null {
  if ([...name].length > NAME_MAX) return `称呼最多 ${NAME_MAX} 个字，请改短一些。`;
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(name)) return '称呼里有不能使用的字符，请只用文字。';
  return null;
}

export function createSubscribeHandlers(ctx: SubscribeContext) {
  const limits = ctx.subscriptions.limits ?? DEFAULT_SUBSCRIBE_LIMITS;
  const perIp = new RateLimiter(limits.perIp);
  const perAddress = new RateLimiter(limits.perAddress);
  const confirmAction = `${ctx.base}/${CONFIRM_PATH}`;

  const formPage = (req: IncomingMessage, res: ServerResponse, status: number, entered: { address?: string; name?: string; errors?: FormError[] } = {}) =>
    sendPage(req, res, status, renderSitePage(ctx.renderer, ctx.site, {
      template: 'subscribe',
      title: entered.errors?.length ? `请修改后重新提交 - ${SUBSCRIBE_TITLE}` : SUBSCRIBE_TITLE,
      description: SUBSCRIBE_DESCRIPTION,
      path: SUBSCRIBE_PATH,
      data: { form: subscribeFormView(ctx.base, entered) },
    }));

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const form = await readForm(req);
    const entered = { address: (form.get('address') ?? '').trim(), name: form.get('name') ?? '' };
    const address = cleanAddress(entered.address);
    const name = cleanName(entered.name);
    const errors: FormError[] = [];
    const badAddress = addressProblem(address);
    if (badAddress) errors.push({ field: 'address', message: badAddress });
    const badName = nameProblem(name);
    if (badName) errors.push({ field: 'name', message: badName });
    if (errors.length > 0) return formPage(req, res, 400, { ...entered, errors });

    const now = ctx.now();
    const key = normalizeAddress(address);
    const sent = { address: key, path: SUBSCRIBE_PATH };
    const ipWait = perIp.take(clientAddress(req), now.getTime());
    if (ipWait !== null) return answer(ctx, req, res, 429, 'limited-ip', { path: SUBSCRIBE_PATH, retryAt: ipWait });
    if ((form.get(HONEYPOT) ?? '') !== '') {
      ctx.log.info({ client: clientAddress(req) }, 'sign-up form: honeypot filled, nothing stored or sent');
      return answer(ctx, req, res, 200, 'sent', sent);
    }
    const addressWait = perAddress.take(key, now.getTime());
    if (addressWait !== null) return answer(ctx, req, res, 429, 'limited-address', { path: SUBSCRIBE_PATH, retryAt: addressWait });
    const notify = ctx.subscriptions.notify;
    if (!notify) return answer(ctx, req, res, 503, 'unavailable', { path: SUBSCRIBE_PATH });

    const before = await ctx.store.subscriberByAddress(key);
    const to = { address: key, ...(name ? { name } : {}) };
    let message: DirectMessage;
    if (before?.status === 'active') {
      // Nothing changes (not even the name: anyone may type any address), and its owner hears that it is already subscribed.
      message = alreadySubscribedMail(ctx.site, { key: `subscribe/${before.id}/${now.getTime()}/already`, to: { address: key, ...(before.name ? { name: before.name } : {}) }, at: now }, before.unsubscribeToken);
    } else {
      const s = await ctx.subscriptions.add({ address: key, ...(name ? { name } : {}), status: 'pending', source: 'web' }, now);
      message = confirmationMail(ctx.site, { key: `subscribe/${s.id}/${now.getTime()}`, to, at: now }, ctx.subscriptions.links.confirmToken(s.id, now), s.unsubscribeToken);
    }
    try {
      await notify(message);
    } catch (err) {
      ctx.log.warn({ err, key: message.key }, 'sign-up: the confirmation mail could not be sent');
      return answer(ctx, req, res, 503, 'unavailable', { path: SUBSCRIBE_PATH });
    }
    ctx.log.info({ key: message.key, was: before?.status ?? 'new' }, 'sign-up: mail sent');
    return answer(ctx, req, res, 200, 'sent', sent);
  }

  /** GET shows the button (or why there is none); POST confirms. */
  async function confirm(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
    const token = form.get('token') ?? url.searchParams.get('token') ?? '';
    const self = `${confirmAction}?token=${encodeURIComponent(token)}`;
    const page = { path: CONFIRM_PATH, self };
    const now = ctx.now();
    const v = ctx.subscriptions.links.verifyConfirm(token, now);
    if (!v) return answer(ctx, req, res, 400, 'invalid-confirm', page);
    const s = await ctx.store.subscriber(v.id);
    if (!s || (s.status !== 'pending' && s.status !== 'active')) return answer(ctx, req, res, 410, 'invalid-confirm', page);
    const address = maskAddress(s.address);
    if (s.status === 'active') return answer(ctx, req, res, 200, 'already-confirmed', { ...page, address });
    if (v.expired) return answer(ctx, req, res, 410, 'expired', page);
    if (req.method !== 'POST') {
      return answer(ctx, req, res, 200, 'confirm', { ...page, address, button: { action: self, token, label: '确认订阅' } });
    }
    const outcome = await ctx.store.confirmSubscriber(s.id, now);
    if (outcome === 'unknown') return answer(ctx, req, res, 410, 'invalid-confirm', page);
    if (outcome === 'confirmed') ctx.log.info({ subscriber: s.id }, 'sign-up confirmed');
    return answer(ctx, req, res, 200, outcome === 'confirmed' ? 'confirmed' : 'already-confirmed', { ...page, address });
  }

  return {
    /** `/subscribe/` (and `/subscribe`): the form, and its answer. */
    async form(req: IncomingMessage, res: ServerResponse): Promise<true> {
      if (req.method === 'GET' || req.method === 'HEAD') return formPage(req, res, 200);
      if (req.method === 'POST') return submit(req, res);
      return methodNotAllowed(res, 'GET, HEAD, POST');
    },
    async confirm(req: IncomingMessage, res: ServerResponse): Promise<true> {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'POST') return confirm(req, res);
      return methodNotAllowed(res, 'GET, HEAD, POST');
    },
  };
}
