/**
 * Weibo rendition: one `status` payload per occurrence (statuses/share.json).
 * One advisory carried → `【title】summary URL` linking the advisory's page
 * (the `rotate` pick gives one per firing); several → a campaign summary post
 * linking the campaign page. `pic` holds `asset:pic` when there is a picture.
 */
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import { campaignView } from '../../render/view.js';
import { assetPlaceholder, campaignAsset } from '../../render/assets.js';
import { advisoryKeyPlace, campaignKeyPlace } from '../../render/positions.js';
import { countRuleFrom, weiboLength } from './count.js';
import { composeStatus, stripTopics, type StatusLayout } from './shorten.js';
import { advisoryUrl, campaignUrl } from '../../render/urls.js';
import { plainText } from '../../render/plain.js';
import { channelMessages } from '../../i18n/messages-channels.js';

export function render(ctx: RenderContext): Payload[] {
  const rule = countRuleFrom(ctx.config.settings);
  const view = campaignView(ctx.renderer, ctx.site, ctx.campaign, ctx.advisories, ctx.occurrence);
  const single = view.advisories.length === 1 ? view.advisories[0] : null;
  // The wording comes from templates/weibo/status.txt.hbs; the length rule shortens the summary inside it.
  const layout: StatusLayout = (parts) =>
    ctx.renderer.template('weibo', 'status.txt', { ...parts, campaign: view.campaign, site: ctx.site, single: single !== null });
  const status = single
    ? composeStatus(single.title, single.summary, single.url, rule, layout)
    : composeStatus(view.campaign.title, view.campaign.summary, view.campaign.url, rule, layout);
  const image = single && ctx.advisories[0].image ? campaignAsset(ctx.campaign, ctx.advisories[0].image, 'pic') : null;
  const pic = image ?? (ctx.campaign.cover ? campaignAsset(ctx.campaign, ctx.campaign.cover, 'pic') : null);
  const body: Record<string, unknown> = { status };
  if (pic) body.pic = assetPlaceholder('pic');
  return [
    {
      channel: 'weibo',
      kind: 'status',
      label: single ? single.title : view.campaign.title,
      body,
      ...(pic ? { assets: [pic] } : {}),
      preview: { text: status },
    },
  ];
}

export function check(payload: Payload, ctx: RenderContext): ChannelProblem[] {
  const rule = countRuleFrom(ctx.config.settings);
  const status = String(payload.body.status ?? '');
  const single = ctx.advisories.length === 1 ? ctx.advisories[0] : null;
  const place = (key: string) => (single ? advisoryKeyPlace(ctx.campaign, single, key) : campaignKeyPlace(ctx.campaign, key));
  const problems: ChannelProblem[] = [];
  const length = weiboLength(status, rule);
  if (length > rule.maxChars) {
    problems.push({
      channel: 'weibo', severity: 'error', rule: 'weibo-status-length', field: 'status', ...place('summary'),
      message: channelMessages().weiboLength(length, rule.maxChars),
    });
  }
  const url = single ? advisoryUrl(ctx.site, ctx.campaign, single) : campaignUrl(ctx.site, ctx.campaign);
  if (!status.split(/\s+/).includes(url)) {
    problems.push({
      channel: 'weibo', severity: 'error', rule: 'weibo-status-url', field: 'status', ...place('summary'),
      message: channelMessages().weiboUrl(url),
    });
  }
  const title = single ? single.title : ctx.campaign.title;
  if (!status.includes(stripTopics(plainText(title)).trim()) && status.includes('…')) {
    problems.push({
      channel: 'weibo', severity: 'warning', rule: 'weibo-title-cut', field: 'status', ...place('title'),
      message: channelMessages().weiboTitleCut,
    });
  }
  return problems;
}
