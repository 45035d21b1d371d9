/**
 * The data templates see, built one way for every channel: plain-text fields
 * from front matter (markup removed, see plain.ts), web URLs from urls.ts, and
 * each advisory's Markdown through the one sanitising processor.
 */
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Advisory, Campaign } from '../content/model.js';
import type { SiteConfig } from '../config/channels.js';
import type { Occurrence } from '../schedule/types.js';
import type { Renderer } from './renderer.js';
import { plainText } from './plain.js';
import { advisoryUrl, campaignUrl } from './urls.js';
import { sectionize } from './sections.js';

export interface AdvisoryView {
  id: string;
  /** 1-based position among the advisories carried. */
  number: number;
  title: string;
  summary: string;
  tags: string[];
  url: string;
  /** Sanitised HTML of the body, grouped into `<section class="part">` per `##` heading. */
  html: string;
  /** The sectioned hast (for channel post-processing). */
  hast: Root;
  /** Plain-text rendition of the body. */
  text: string;
  file: string;
}

export interface CampaignView {
  site: SiteConfig;
  campaign: {
    id: string;
    title: string;
    summary: string;
    issuer: string;
    contact: string | null;
    tags: string[];
    url: string;
  };
  advisories: AdvisoryView[];
  /** Publication date as written (`YYYY-MM-DD…`, campaign's zone), or null when unknown. */
  date: string | null;
}

export function advisoryView(renderer: Renderer, site: SiteConfig, campaign: Campaign, advisory: Advisory, number: number): AdvisoryView {
  const md = renderer.markdown(advisory.body, advisory.file);
  const hast = sectionize(md.hast);
  return {
    id: advisory.id,
    number,
    title: plainText(advisory.title),
    summary: plainText(advisory.summary),
    tags: advisory.tags.map(plainText).filter(Boolean), // a tag that was only markup is no tag
    url: advisoryUrl(site, campaign, advisory),
    html: toHtml(hast),
    hast,
    text: md.text,
    file: advisory.file,
  };
}

export function campaignView(
  renderer: Renderer,
  site: SiteConfig,
  campaign: Campaign,
  advisories: Advisory[],
  occurrence?: Occurrence,
): CampaignView {
  return {
    site,
    campaign: {
      id: campaign.id,
      title: plainText(campaign.title),
      summary: plainText(campaign.summary),
      issuer: plainText(campaign.issuer),
      contact: campaign.contact ? plainText(campaign.contact) : null,
      tags: campaign.tags.map(plainText).filter(Boolean),
      url: campaignUrl(site, campaign),
    },
    advisories: advisories.map((a, i) => advisoryView(renderer, site, campaign, a, i + 1)),
    date: occurrence?.dueLocal ?? firstFixedDate(campaign),
  };
}

/** The first one-off `at:` with an absolute date, for previews without an occurrence. */
function firstFixedDate(campaign: Campaign): string | null {
  for (const s of campaign.schedule) if (typeof s.at === 'string') return s.at;
  return null;
}
