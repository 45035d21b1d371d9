/**
 * Which renditions a campaign has: for every channel, one RenderContext per
 * schedule entry naming it (its advisories; with `pick: rotate`, each advisory
 * alone, as the daily firings carry them). Used by `advisory check` (through
 * check-all.ts) and by the preview, so both see exactly what delivery renders.
 */
import type { Advisory, Campaign } from '../content/model.js';
import { CHANNEL_NAMES, type ChannelName } from '../content/schema.js';
import type { ChannelConfig, SiteConfig } from '../config/channels.js';
import type { Renderer } from '../render/renderer.js';
import type { ChannelProblem, Payload, RenderContext } from './channel.js';
import * as website from './website/rendition.js';
import * as wechat from './wechat/rendition.js';
import * as weibo from './weibo/rendition.js';
import * as email from './email/rendition.js';

export interface Rendition {
  render(ctx: RenderContext): Payload[];
  check(payload: Payload, ctx: RenderContext): ChannelProblem[];
}

/**
 * Each channel's render and check, by name: the functions its definition
 * (index.ts) publishes with, taken from its rendition module so that checking
 * and previewing load no transport (no SMTP, no HTTP client, no outbox).
 */
export const RENDITIONS: Readonly<Record<ChannelName, Rendition>> = Object.freeze({
  website: { render: website.render, check: website.check },
  wechat: { render: wechat.render, check: wechat.check },
  weibo: { render: weibo.render, check: weibo.check },
  email: { render: email.render, check: email.check },
});

export interface PlannedRendition {
  channel: ChannelName;
  /** The schedule entry's name, or null when no schedule names the channel (preview only). */
  schedule: string | null;
  ctx: RenderContext;
}

export interface RenditionEnv {
  renderer: Renderer;
  configs: Record<ChannelName, ChannelConfig>;
  site: SiteConfig;
}

export function plannedRenditions(campaign: Campaign, env: RenditionEnv, options: { includeUnscheduled?: boolean } = {}): PlannedRendition[] {
  const out: PlannedRendition[] = [];
  const ctx = (channel: ChannelName, advisories: Advisory[]): RenderContext => ({
    campaign, advisories, renderer: env.renderer, config: env.configs[channel], site: env.site,
  });
  for (const channel of CHANNEL_NAMES) {
    const entries = campaign.schedule.filter((s) => s.channels.includes(channel));
    for (const entry of entries) {
      const carried = entry.advisories
        ? campaign.advisories.filter((a) => entry.advisories!.includes(a.id))
        : campaign.advisories;
      const groups = entry.pick === 'rotate' ? carried.map((a) => [a]) : [carried];
      for (const g of groups) out.push({ channel, schedule: entry.name, ctx: ctx(channel, g) });
    }
    if (entries.length === 0 && options.includeUnscheduled) {
      out.push({ channel, schedule: null, ctx: ctx(channel, campaign.advisories) });
    }
  }
  return out;
}

/** Appends problems not already in `into` (several renditions of one campaign often find the same one). */
export function addUnique(into: ChannelProblem[], seen: Set<string>, problems: ChannelProblem[]): void {
  for (const p of problems) {
    const key = `${p.channel}|${p.rule}|${p.field}|${p.file}|${p.line}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    into.push(p);
  }
}
