/**
 * The public URL shapes of the website, defined once. Every channel that links
 * to the site (WeChat `content_source_url`, Weibo posts, e-mail, the website's
 * own pages and feeds) uses these functions, so a link can never drift from the
 * page it points at.
 *
 *   campaign page:  <baseUrl>/<campaign.id>/
 *   advisory page:  <baseUrl>/<campaign.id>/<advisory.id>/
 */

export interface HasBaseUrl {
  /** Absolute base URL without trailing slash (SiteConfig.baseUrl). */
  baseUrl: string;
}

/** Site-relative path of a campaign page, e.g. `2014-national-day/`. */
export function campaignPath(campaign: { id: string }): string {
  return `${campaign.id}/`;
}

/** Site-relative path of an advisory page, e.g. `2014-national-day/burglary/`. */
export function advisoryPath(campaign: { id: string }, advisory: { id: string }): string {
  return `${campaign.id}/${advisory.id}/`;
}

export function campaignUrl(site: HasBaseUrl, campaign: { id: string }): string {
  return `${trimSlash(site.baseUrl)}/${campaignPath(campaign)}`;
}

export function advisoryUrl(site: HasBaseUrl, campaign: { id: string }, advisory: { id: string }): string {
  return `${trimSlash(site.baseUrl)}/${advisoryPath(campaign, advisory)}`;
}

/** The one-click unsubscribe address (RFC 8058), served by `advisory run`. */
export function unsubscribeUrl(site: HasBaseUrl, token: string): string {
  return `${trimSlash(site.baseUrl)}/unsubscribe?token=${encodeURIComponent(token)}`;
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}
