/**
 * Runs every channel's `check` over a campaign's renditions, so `advisory check`
 * fails on an over-long WeChat title before anyone schedules it. Renders with
 * the same functions delivery uses (renditions.ts).
 */
import type { Campaign } from '../content/model.js';
import { loadAllChannelConfigs, siteConfig } from '../config/channels.js';
import { channelRenderer } from './template-helpers.js';
import { TemplateError } from '../errors.js';
import { CHANNEL_NAMES, type ChannelName } from '../content/schema.js';
import type { ChannelProblem } from './channel.js';
import { addUnique, plannedRenditions, RENDITIONS, type RenditionEnv } from './renditions.js';

export function checkChannels(root: string, campaigns: Campaign[]): ChannelProblem[] {
  return campaigns.flatMap(channelChecker(root));
}

/**
 * Checks one campaign at a time with one renderer and one set of channel
 * configs, built on first use (not once per campaign). A template that does not
 * compile is the problem reported for every campaign; a configuration error is
 * thrown to the caller, as for a single campaign.
 */
export function channelChecker(root: string): (campaign: Campaign) => ChannelProblem[] {
  let env: RenditionEnv | TemplateError | undefined;
  return (campaign) => {
    if (env === undefined) {
      try {
        const configs = loadAllChannelConfigs(root);
        env = { renderer: channelRenderer(root), configs, site: siteConfig(configs.website) };
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        env = err;
      }
    }
    if (env instanceof TemplateError) return [templateProblem(channelOf(env.file), env)];
    return checkCampaign(campaign, env);
  };
}

export function checkCampaign(campaign: Campaign, env: RenditionEnv): ChannelProblem[] {
  const problems: ChannelProblem[] = [];
  const seen = new Set<string>();
  for (const { channel, ctx } of plannedRenditions(campaign, env)) {
    const rendition = RENDITIONS[channel];
    try {
      for (const payload of rendition.render(ctx)) addUnique(problems, seen, rendition.check(payload, ctx));
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      addUnique(problems, seen, [templateProblem(channel, err)]);
    }
  }
  return problems;
}

function channelOf(file: string): ChannelName {
  const name = /^templates\/([^/]+)\//.exec(file)?.[1];
  return (CHANNEL_NAMES as readonly string[]).includes(name ?? '') ? (name as ChannelName) : 'website';
}

function templateProblem(channel: ChannelName, err: TemplateError): ChannelProblem {
  return { channel, severity: 'error', rule: 'template', message: err.message, file: err.file, line: err.line, column: err.column };
}
