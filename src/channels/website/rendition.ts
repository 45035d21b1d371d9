/**
 * Website rendition: one `site` payload per campaign holding the finished
 * campaign page and one page per advisory (full HTML documents from
 * `templates/website/`), plus the metadata the site builder needs for home,
 * archive, tag pages, feeds and CAP. Pure: a function of content, templates
 * and configuration.
 */
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import { campaignView, type AdvisoryView } from '../../render/view.js';
import { campaignPath, advisoryPath } from '../../render/urls.js';
import { campaignAsset } from '../../render/assets.js';
import { chrome, publicOptions, tagSlug, type SiteRenderOptions } from './chrome.js';
import type { SiteBody } from './site-body.js';
import { feedSections } from './feed-sections.js';
import { checkWebsite } from './check.js';

export function render(ctx: RenderContext): Payload[] {
  return [renderSitePayload(ctx, publicOptions(ctx.site))];
}

export function check(payload: Payload, ctx: RenderContext): ChannelProblem[] {
  return checkWebsite(payload, ctx);
}

/**
 * The payload with explicit options (the preview build marks every page). It reads
 * no channel setting, so the render pool need not load channels/website.yaml per chunk.
 */
export function renderSitePayload(ctx: Omit<RenderContext, 'config'>, options: SiteRenderOptions): Payload {
  const { campaign, renderer, site } = ctx;
  const view = campaignView(renderer, site, campaign, ctx.advisories, ctx.occurrence);
  const cPath = campaignPath(campaign);
  const cover = campaign.cover ? campaignAsset(campaign, campaign.cover, 'cover') : null;
  const coverTarget = cover ? `${cPath}cover${cover.path.slice(cover.path.lastIndexOf('.'))}` : null;
  const files: SiteBody['files'] = {};
  if (cover && coverTarget) files[coverTarget] = { path: cover.path, sha256: cover.sha256 };

  const pages: Record<string, string> = {};
  const year = campaign.year ?? (view.date ? view.date.slice(0, 4) : null);
  const href = (a: AdvisoryView): string => `${options.basePath}/${advisoryPath(campaign, a)}`;
  const link = (a: AdvisoryView | undefined) => (a ? { title: a.title, href: href(a) } : null);
  // Pictures in the text: served from the campaign's folder on the site, linked by absolute path (the text's
  // `images/x.png` is relative to the campaign folder, not to the advisory's page).
  const picture = (src: string): string => {
    const asset = campaignAsset(campaign, src, 'image');
    if (!asset) return src;
    const target = `${cPath}${asset.path.slice(campaign.dir.length + 1)}`;
    files[target] = { path: asset.path, sha256: asset.sha256 };
    return `${options.basePath}/${target}`;
  };
  const advisories = view.advisories.map((a, i, all) => ({
    ...a,
    html: a.html.replace(/(<img\b[^>]*?\bsrc=")([^"]*)"/g, (_m, head: string, src: string) => `${head}${picture(decodeEntities(src))}"`),
    path: advisoryPath(campaign, a),
    href: href(a),
    tagLinks: a.tags.map((t) => ({ name: t, href: `${options.basePath}/tags/${tagSlug(t)}/` })),
    prev: link(all[i - 1]),
    next: link(all[i + 1]),
  }));
  const campaignData = {
    ...view.campaign,
    href: `${options.basePath}/${cPath}`,
    expires: campaign.expires ?? null,
  };
  pages[`${cPath}index.html`] = renderer.template('website', 'campaign', {
    layout: chrome(site, options, { title: view.campaign.title, description: view.campaign.summary, path: cPath, year, image: coverTarget, emergencyInPage: /(^|\D)110(\D|$)/.test(view.campaign.contact ?? '') }),
    campaign: campaignData,
    advisories,
    date: view.date,
  });
  for (const a of advisories) {
    pages[`${a.path}index.html`] = renderer.template('website', 'advisory', {
      layout: chrome(site, options, { title: a.title, description: a.summary, path: a.path, year, image: coverTarget }),
      campaign: campaignData,
      advisory: a,
      total: advisories.length,
      date: view.date,
    });
  }

  const body: SiteBody = {
    campaign: {
      id: campaign.id,
      title: view.campaign.title,
      summary: view.campaign.summary,
      issuer: view.campaign.issuer,
      contact: view.campaign.contact,
      tags: view.campaign.tags,
      holiday: campaign.holiday ?? null,
      year: campaign.year ?? null,
      date: view.date,
      url: view.campaign.url,
      path: cPath,
      expires: campaign.expires ?? null,
    },
    contentHash: campaign.contentHash,
    templatesHash: renderer.templatesHash,
    pages,
    files,
    advisories: advisories.map((a) => ({
      id: a.id,
      title: a.title,
      summary: a.summary,
      tags: a.tags,
      url: a.url,
      path: a.path,
      sections: feedSections(a.hast, { page: a.url, picture }),
    })),
  };
  return {
    channel: 'website',
    kind: 'site',
    label: `${view.campaign.title}（网站 ${advisories.length + 1} 页）`,
    body: body as unknown as Record<string, unknown>,
    assets: cover ? [cover] : [],
    preview: { html: standalone(pages[`${cPath}index.html`], renderer.asset('website', 'assets/style.css'), options) },
  };
}

/** The campaign page with its style sheet inlined, so the preview looks right wherever it is shown. */
function standalone(html: string, css: string, options: SiteRenderOptions): string {
  const sheet = `<link rel="stylesheet" href="${options.basePath}/assets/style.css">`;
  return html.replace(sheet, () => `<style>${styleText(css)}</style>`);
}

/** The style sheet as the text of a <style> element (it cannot end it); the same sheet for every campaign of a run. */
let lastSheet: { css: string; text: string } | undefined;
function styleText(css: string): string {
  if (lastSheet?.css !== css) lastSheet = { css, text: css.replace(/<\/style/gi, '<\\/style') };
  return lastSheet.text;
}

/** The few entities hast-util-to-html writes in an attribute (the src is then used as a file name). */
function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)));
}
