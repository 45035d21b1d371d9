/**
 * Site pages the daemon renders on request rather than at build time (the
 * sign-up form with what was typed, its answers, confirm and unsubscribe):
 * the same frame (`partials/top.hbs`, `partials/bottom.hbs`), style sheet and
 * large-text mode as the built pages. The sign-up form is also built with the
 * site (pages.ts), from the same view, for a host that serves the site as
 * static files and hands only the POSTs to `advisory run`.
 */
import type { SiteConfig } from '../../config/channels.js';
import type { Renderer } from '../../render/renderer.js';
import { chrome, publicOptions } from './chrome.js';

/** The longest name the form takes (characters): what fits a greeting line on a phone. */
export const NAME_MAX = 40;
/** The longest address (RFC 5321's path limit). */
export const ADDRESS_MAX = 254;

/** Site-relative paths of the subscription pages, under the site's base path. */
export const SUBSCRIBE_PATH = 'subscribe/';
export const CONFIRM_PATH = 'subscribe/confirm';
export const UNSUBSCRIBE_PATH = 'unsubscribe';

export interface FormError {
  /** The input's id, for the summary's link to it. */
  field: 'address' | 'name';
  message: string;
}

/** What `templates/website/subscribe.hbs` is given (every key always present: the templates are strict). */
export interface SubscribeFormView {
  action: string;
  address: string;
  name: string;
  nameMax: number;
  addressMax: number;
  errors: FormError[];
  addressError: string;
  nameError: string;
}

export function subscribeFormView(basePath: string, entered: { address?: string; name?: string; errors?: FormError[] } = {}): SubscribeFormView {
  const errors = entered.errors ?? [];
  return {
    action: `${basePath}/${SUBSCRIBE_PATH}`,
    address: entered.address ?? '',
    name: entered.name ?? '',
    nameMax: NAME_MAX,
    addressMax: ADDRESS_MAX,
    errors,
    addressError: errors.find((e) => e.field === 'address')?.message ?? '',
    nameError: errors.find((e) => e.field === 'name')?.message ?? '',
  };
}

export const SUBSCRIBE_TITLE = '订阅节日安全提示邮件';
export const SUBSCRIBE_DESCRIPTION = '用电子邮件接收节日安全防范提示：填写邮箱地址，确认后即可收到，随时可以退订';

export interface SitePageRequest {
  template: string;
  title: string;
  description: string;
  /** Site-relative path of the page (for the canonical link). */
  path: string;
  /** Where the large-text switch returns to, when not the path itself (a link with its token). */
  self?: string;
  data: object;
}

/** One public page, framed like the site's, rendered with the (daemon's live) renderer. */
export function renderSitePage(renderer: Renderer, site: SiteConfig, page: SitePageRequest): string {
  const options = publicOptions(site);
  const layout = chrome(site, options, { title: page.title, description: page.description, path: page.path });
  return renderer.template('website', page.template, { layout: page.self ? { ...layout, self: page.self } : layout, ...page.data });
}

/** The base path of the public site (`''` or `/advisories`), from base_url. */
export function sitePathBase(site: SiteConfig): string {
  return publicOptions(site).basePath;
}
