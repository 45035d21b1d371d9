/**
 * The answer pages of the public subscription (templates/website/
 * subscribe-page.hbs, where staff edit the wording): which page, its title,
 * its status code, and the one button some of them carry. Everything shown
 * is escaped by the template; addresses behind a link's token are masked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SiteConfig } from '../config/channels.js';
import type { Renderer } from '../render/renderer.js';
import { renderSitePage, SUBSCRIBE_PATH } from '../channels/website/index.js';
import { sendPage } from './page-response.js';

export type AnswerKind =
  | 'sent' | 'confirm' | 'confirmed' | 'already-confirmed' | 'expired' | 'invalid-confirm'
  | 'unsubscribe' | 'unsubscribed' | 'already-unsubscribed' | 'invalid-unsubscribe'
  | 'limited-ip' | 'limited-address' | 'unavailable';

/** Each page's title and heading (the text under it is in the template). */
export const ANSWER_TITLES: Readonly<Record<AnswerKind, string>> = {
  sent: '请查收确认邮件',
  confirm: '确认订阅',
  confirmed: '订阅成功',
  'already-confirmed': '已经订阅成功',
  expired: '确认链接已过期',
  'invalid-confirm': '确认链接无效',
  unsubscribe: '退订节日安全提示邮件',
  unsubscribed: '已退订',
  'already-unsubscribed': '已经退订',
  'invalid-unsubscribe': '退订链接无效',
  'limited-ip': '请稍后再试',
  'limited-address': '请稍后再试',
  unavailable: '暂时无法发送邮件',
};

export interface PageContext {
  renderer: Renderer;
  site: SiteConfig;
  /** The site's base path ('' or '/advisories'). */
  base: string;
  now(): Date;
}

export interface Answer {
  /** Shown in the page (escaped by the template). */
  address?: string;
  button?: { action: string; token: string; label: string };
  retryAt?: number;
  /** Site-relative path of the page (canonical link), and where the text-size switch returns to. */
  path: string;
  self?: string;
}

/** `r***@example.org`: enough for the owner to recognise, little for whoever else holds the link. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${[...address.slice(0, at)][0]}***${address.slice(at)}`;
}

/** Minutes to wait and the wall-clock time in Beijing (HH:mm, with the date when not today). */
function retryView(now: Date, at: number): { minutes: number; at: string } {
  const fmt = (d: Date, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', ...o }).format(d);
  const when = new Date(at);
  const time = fmt(when, { hour: '2-digit', minute: '2-digit', hour12: false });
  const sameDay = fmt(when, { dateStyle: 'short' }) === fmt(now, { dateStyle: 'short' });
  return {
    minutes: Math.max(1, Math.ceil((at - now.getTime()) / 60_000)),
    at: sameDay ? time : `${fmt(when, { month: 'long', day: 'numeric' })} ${time}`,
  };
}

export function answer(ctx: PageContext, req: IncomingMessage, res: ServerResponse, status: number, kind: AnswerKind, a: Answer): true {
  const now = ctx.now();
  const html = renderSitePage(ctx.renderer, ctx.site, {
    template: 'subscribe-page',
    title: ANSWER_TITLES[kind],
    description: ANSWER_TITLES[kind],
    path: a.path,
    self: a.self,
    data: {
      page: {
        kind,
        heading: ANSWER_TITLES[kind],
        address: a.address ?? '',
        button: a.button ?? null,
        retry: a.retryAt === undefined ? null : retryView(now, a.retryAt),
        links: { home: `${ctx.base}/`, subscribe: `${ctx.base}/${SUBSCRIBE_PATH}` },
      },
    },
  });
  // Answers, and pages reached by a personal link, are no search result.
  const headers: Record<string, string> = { 'x-robots-tag': 'noindex' };
  if (a.retryAt !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil((a.retryAt - now.getTime()) / 1000)));
  return sendPage(req, res, status, html, headers);
}
