/**
 * The explicit channel registry: each channel assembled once at start-up from
 * its rendition (render/check), its configuration (live or sandbox, and why)
 * and its publish/reconcile. Asking for an unknown channel fails loudly.
 */
import type { Channel, ChannelName, Payload, PublishContext, Receipt } from './channel.js';
import { CHANNEL_NAMES } from '../content/schema.js';
import { loadChannelConfig, siteConfig, type ChannelConfig, type SiteConfig } from '../config/channels.js';
import { ConfigError } from '../errors.js';
import { publishToOutbox, reconcileOutbox } from './sandbox.js';
import { RENDITIONS } from './renditions.js';
import type { Renderer } from '../render/renderer.js';
import { publishWebsite, reconcileWebsite } from './website/publish.js';

/** A channel plus what the delivery layer needs to drive it (never what it stores). */
export interface RegisteredChannel extends Channel {
  readonly config: ChannelConfig;
  readonly site: SiteConfig;
  /** How many publishes may be in flight at once. */
  readonly concurrency: number;
  /** One line for start-up and status: mode and why. */
  readonly modeReason: string;
}

type Publisher = {
  publish(payload: Payload, ctx: PublishContext): Promise<Receipt>;
  reconcile(payload: Payload, ctx: PublishContext): Promise<Receipt | null>;
};

/** `renderer` is the runtime's: the website deploy renders its index and archive pages with it. */
export function createChannelRegistry(root: string, env: NodeJS.ProcessEnv, renderer: Renderer): ReadonlyMap<ChannelName, RegisteredChannel> {
  const site = siteConfig(loadChannelConfig(root, 'website', env));
  const map = new Map<ChannelName, RegisteredChannel>();
  for (const name of CHANNEL_NAMES) {
    const config = loadChannelConfig(root, name, env);
    const publisher = name === 'website' ? websitePublisher(renderer) : outboxPublisher(name, config, site);
    map.set(name, {
      name,
      mode: config.mode,
      perRecipient: name === 'email',
      config,
      site,
      concurrency: name === 'email' ? Math.max(1, Number(config.settings.max_connections ?? 5)) : 1,
      modeReason: modeReason(config),
      render: (ctx) => RENDITIONS[name].render(ctx),
      check: (payload, ctx) => RENDITIONS[name].check(payload, ctx),
      publish: (payload, ctx) => publisher.publish(payload, ctx),
      reconcile: (payload, ctx) => publisher.reconcile(payload, ctx),
    });
  }
  return new StrictMap(map);
}

function modeReason(c: ChannelConfig): string {
  if (c.mode === 'live') return `${c.channel}: live`;
  if (c.missingEnv.length > 0) return `${c.channel}: sandbox (not set: ${c.missingEnv.join(', ')}) → var/outbox/${c.channel}/`;
  return c.channel === 'website' ? 'website: writes the site (no credentials needed)' : `${c.channel}: sandbox (channels/${c.channel}.yaml names no credentials)`;
}

/** Channels this version can publish live (the website is ours: always). Read by status, so it never claims what run refuses. */
export const LIVE_CHANNELS: readonly ChannelName[] = ['website'];

function outboxPublisher(name: ChannelName, config: ChannelConfig, site: SiteConfig): Publisher {
  if (config.mode === 'live' && !LIVE_CHANNELS.includes(name)) {
    // Credentials are present, so the operator expects real posts: refusing beats silently writing files.
    throw new ConfigError(
      `${name}: ${Object.keys(config.secrets).length} credential variable(s) from ${config.file ?? `channels/${name}.yaml`} are set, so ${name} would run live, but live publishing for ${name} is not available in this version. Unset them to run ${name} in sandbox (var/outbox/${name}/).`,
      { file: config.file },
    );
  }
  return {
    publish: (payload, ctx) => publishToOutbox(name, payload, ctx, config, site),
    reconcile: (payload, ctx) => reconcileOutbox(name, payload, ctx, config),
  };
}

/** The website deploy (channels/website/publish.ts): the same in sandbox and live, the site is ours. */
function websitePublisher(renderer: Renderer): Publisher {
  return { publish: (payload, ctx) => publishWebsite(payload, ctx, renderer), reconcile: reconcileWebsite };
}

class StrictMap<K, V> extends Map<K, V> {
  override get(key: K): V {
    const v = super.get(key);
    if (v === undefined) throw new ConfigError(`Unknown channel "${String(key)}". Known channels: ${[...this.keys()].join(', ')}.`);
    return v;
  }
}
