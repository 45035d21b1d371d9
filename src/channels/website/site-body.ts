/**
 * The shape of a website payload's `body`: what the ledger freezes for one
 * campaign and what the site builder reads back from `var/site-state/`.
 * Campaign and advisory pages are finished HTML (what the preview showed is
 * what goes out); site-wide pages, feeds and CAP are built from the metadata.
 */

export interface SiteSection {
  /** The part's heading; '' for text outside any part (before the first heading, footnotes). */
  title: string;
  /** Plain text of the section without its heading. */
  text: string;
  /**
   * The section's sanitised HTML without its heading, every address absolute: what the feeds carry.
   * Absent in bodies rendered before feeds kept the text's structure (their feeds use `text`).
   */
  html?: string;
  /** True for the prevention-advice part (防范建议): CAP `instruction`. */
  advice: boolean;
}

export interface SiteAdvisory {
  id: string;
  title: string;
  summary: string;
  tags: string[];
  url: string;
  /** Site-relative path, e.g. `2014-national-day/burglary/`. */
  path: string;
  sections: SiteSection[];
}

export interface SiteCampaign {
  id: string;
  title: string;
  summary: string;
  issuer: string;
  contact: string | null;
  tags: string[];
  holiday: string | null;
  year: number | null;
  /** Publication date as written (`YYYY-MM-DD…`), or null. */
  date: string | null;
  url: string;
  path: string;
  /** `expires` as written (`YYYY-MM-DD…`): after it, the site shows the campaign as past. */
  expires: string | null;
}

export interface SiteBody {
  campaign: SiteCampaign;
  contentHash: string;
  templatesHash: string;
  /** Site-relative file path → full HTML document. */
  pages: Record<string, string>;
  /** Images copied beside the pages: site-relative target → project-relative source and the approved bytes' sha256. */
  files: Record<string, { path: string; sha256: string }>;
  advisories: SiteAdvisory[];
}

export function isSiteBody(body: Record<string, unknown>): body is SiteBody & Record<string, unknown> {
  const c = body.campaign as Record<string, unknown> | undefined;
  return typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof body.pages === 'object' && Array.isArray(body.advisories);
}
