/**
 * The data every website page's frame (`partials/top.hbs`, `partials/bottom.hbs`)
 * needs, built one way for campaign pages (in the rendition) and site-wide
 * pages (in the site builder).
 */
import type { SiteConfig } from '../../config/channels.js';

export interface SiteRenderOptions {
  /** Mark every page as a preview (banner, noindex). */
  preview: boolean;
  /** URL path prefix the site is served under, no trailing slash ('' or '/advisories'). */
  basePath: string;
}

export interface PageChrome {
  siteTitle: string;
  issuer: string;
  title: string;
  description: string;
  canonical: string;
  base: string;
  /** The page's own path (for the large-text switch to return to). */
  self: string;
  preview: boolean;
  year: string;
  /** Absolute URL of a picture for link previews (og:image), or null. */
  image: string | null;
  /** The page itself shows the emergency number (a campaign's contact): the footer then does not repeat it. */
  emergencyInPage: boolean;
}

export function basePathOf(site: SiteConfig): string {
  try {
    return new URL(site.baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

export function publicOptions(site: SiteConfig): SiteRenderOptions {
  return { preview: false, basePath: basePathOf(site) };
}

export function chrome(
  site: SiteConfig,
  options: SiteRenderOptions,
  page: { title: string; description: string; path: string; year?: string | number | null; image?: string | null; emergencyInPage?: boolean },
): PageChrome {
  const rel = page.path.replace(/index\.html$/, '');
  return {
    siteTitle: site.title,
    issuer: site.issuer,
    title: page.title === site.title ? site.title : `${page.title} - ${site.title}`,
    description: page.description,
    canonical: `${site.baseUrl}/${rel}`,
    base: options.basePath,
    self: `${options.basePath}/${rel}`,
    preview: options.preview,
    year: page.year ? String(page.year) : '',
    image: page.image ? `${site.baseUrl}/${page.image}` : null,
    emergencyInPage: page.emergencyInPage === true,
  };
}

/** A tag as one safe path segment (`tags/<slug>/`): no separators, no dot-only names. */
export function tagSlug(tag: string): string {
  const s = tag.trim().replace(/[\s/\\?#%&<>"'`:*|]+/g, '-').replace(/^[.-]+|-+$/g, '');
  return s || 'tag';
}
