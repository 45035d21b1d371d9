/**
 * PLACEHOLDER rendition for the wechat channel — replaced by the rendering work.
 * Contract: render(ctx) → Payload[] is pure; check(payload, ctx) → ChannelProblem[].
 */
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';

export function render(ctx: RenderContext): Payload[] {
  return [
    {
      channel: 'wechat',
      kind: 'placeholder',
      label: ctx.campaign.title,
      body: { campaign: ctx.campaign.id, advisories: ctx.advisories.map((a) => a.id), contentHash: ctx.campaign.contentHash },
    },
  ];
}

export function check(_payload: Payload, _ctx: RenderContext): ChannelProblem[] {
  return [];
}
