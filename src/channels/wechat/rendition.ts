/**
 * WeChat rendition: one `draft` payload per occurrence, one article per
 * advisory carried (channel-apis.md §1.3), body exactly as `draft/add` takes it.
 * `thumb_media_id` holds `asset:cover`; the publisher uploads the `cover` asset
 * as permanent material and puts its media_id there.
 */
import { toHtml } from 'hast-util-to-html';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import { effectiveSettings } from '../../config/channels.js';
import { campaignView } from '../../render/view.js';
import { campaignAsset, assetPlaceholder, type PayloadAsset } from '../../render/assets.js';
import { footnoteLinks } from './footnotes.js';
import { wechatHtml } from './inline-styles.js';
import { checkWechat } from './limits.js';
import type { WechatArticle } from './article.js';

export const DEFAULT_COVER = 'default-cover.png';

export type { WechatArticle };

export function render(ctx: RenderContext): Payload[] {
  const { campaign, renderer, config, site } = ctx;
  const view = campaignView(renderer, site, campaign, ctx.advisories, ctx.occurrence);
  const css = renderer.asset('wechat', 'style.css');
  const cover = coverAsset(ctx);
  const inline: PayloadAsset[] = [];
  const articles: WechatArticle[] = view.advisories.map((advisory, i) => {
    const settings = effectiveSettings(config, { author: campaign.author }, { author: ctx.advisories[i].author });
    const author = String(settings.author ?? '');
    const { hast, notes } = footnoteLinks(advisory.hast);
    inline.push(...inlineImages(hast, ctx));
    const html = renderer.template('wechat', 'article', {
      ...view,
      advisory: { ...advisory, html: toHtml(hast) },
      notes,
      author,
      total: view.advisories.length,
    });
    return {
      article_type: 'news',
      title: advisory.title,
      author,
      digest: advisory.summary,
      content: wechatHtml(html, css),
      content_source_url: advisory.url,
      thumb_media_id: assetPlaceholder('cover'),
      need_open_comment: Number(settings.need_open_comment ?? 0) ? 1 : 0,
      only_fans_can_comment: Number(settings.only_fans_can_comment ?? 0) ? 1 : 0,
    };
  });
  return [
    {
      channel: 'wechat',
      kind: 'draft',
      label: `${view.campaign.title}（${articles.length} 篇）`,
      body: { articles },
      assets: [cover, ...inline.filter((a, i) => inline.findIndex((b) => b.sha256 === a.sha256) === i)],
      preview: { html: previewHtml(articles) },
    },
  ];
}

export function check(payload: Payload, ctx: RenderContext): ChannelProblem[] {
  return checkWechat(payload, ctx);
}

/**
 * Pictures in the text that are the campaign's own files: their `src` becomes
 * `asset:inline:<sha256>`, which the publisher replaces with the URL WeChat
 * gives the uploaded image (WeChat drops images from anywhere else).
 */
function inlineImages(tree: Root, ctx: RenderContext): PayloadAsset[] {
  const found: PayloadAsset[] = [];
  visit(tree, 'element', (el: Element) => {
    if (el.tagName !== 'img' || typeof el.properties?.src !== 'string') return;
    const asset = campaignAsset(ctx.campaign, el.properties.src, 'inline');
    if (!asset) return;
    el.properties.src = inlinePlaceholder(asset.sha256);
    found.push(asset);
  });
  return found;
}

const inlinePlaceholder = (sha256: string) => `${assetPlaceholder('inline')}:${sha256}`;

/** The campaign's cover, else the default one (check warns about it). */
function coverAsset(ctx: RenderContext): PayloadAsset {
  const own = ctx.campaign.cover ? campaignAsset(ctx.campaign, ctx.campaign.cover, 'cover') : null;
  if (own) return own;
  return { ...ctx.renderer.assetInfo('wechat', DEFAULT_COVER), role: 'cover' };
}

function previewHtml(articles: WechatArticle[]): string {
  return articles.map((a) => a.content).join('\n');
}
