/**
 * The explicit channel registry. Every channel is a folder with an index.ts
 * exporting its definition; adding one means adding its folder and one line to
 * CHANNELS. The registry binds each definition to its configuration and its
 * transport, chosen from that configuration (sandbox without credentials,
 * live with them) or injected (tests, another backend). Asking for an unknown
 * channel fails loudly.
 */
import type { Channel, ChannelDefinition, ChannelName, ChannelState, Closable, DirectMessage, Payload, PublishContext, Receipt, VerifyResult } from './channel.js';
import { CHANNEL_NAMES } from '../config/channel-names.js';
import { isLoopbackUrl, loadAllChannelConfigs, siteConfig, type ChannelConfig, type SiteConfig } from '../config/channels.js';
import { ConfigError } from '../errors.js';
import { channelModeMessages } from '../i18n/messages-channel-modes.js';
import type { Renderer } from '../render/renderer.js';
import { website } from './website/index.js';
import { wechat } from './wechat/index.js';
import { weibo } from './weibo/index.js';
import { email } from './email/index.js';

/** Every channel, in the order lists show them (CHANNEL_NAMES). */
export const CHANNELS: readonly ChannelDefinition[] = [website, wechat, weibo, email] as readonly ChannelDefinition[];

if (CHANNELS.map((c) => c.name).join() !== CHANNEL_NAMES.join()) {
  throw new Error(`channels/registry.ts lists ${CHANNELS.map((c) => c.name).join(', ')} but config/channel-names.ts names ${CHANNEL_NAMES.join(', ')}: keep them in step.`);
}

export function channelDefinition(name: ChannelName): ChannelDefinition {
  const d = CHANNELS.find((c) => c.name === name);
  if (!d) throw new ConfigError(channelModeMessages().unknownChannel(name, CHANNEL_NAMES.join(', ')));
  return d;
}

/** Channels this version can publish live (the others refuse to start with their credentials set). */
export const LIVE_CHANNELS: readonly ChannelName[] = CHANNELS.filter((c) => c.liveAvailable).map((c) => c.name);

/** A channel plus what the delivery layer needs to drive it (never what it stores). */
export interface RegisteredChannel extends Channel {
  readonly config: ChannelConfig;
  readonly site: SiteConfig;
  /** How many publishes may be in flight at once. */
  readonly concurrency: number;
  /** Sends only approved content: a live channel, or the website at a public base_url (config.approval). */
  readonly approval: boolean;
  /** One line for start-up: the channel, its mode and why (`wechat: sandbox (not set: …) → var/outbox/wechat/`). */
  readonly modeReason: string;
  /** Its mode and why, without the channel's name (`advisory channels verify`). */
  readonly modeText: string;
  /** Checks its credentials without publishing (`advisory channels verify`). */
  verify(): Promise<VerifyResult>;
  /** Releases what its transport holds (an SMTP pool). */
  close(): Promise<void>;
  /** Sends one message outside any campaign (e-mail only: a sign-up's confirmation); absent for other channels. */
  notify?(message: DirectMessage): Promise<{ id: string }>;
}

export interface RegistryOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  /** The runtime's renderer: the website deploy renders its home and archive pages with it. */
  renderer: Renderer;
  /** State folder (the sandbox outbox, the site). */
  varDir: string;
  /** The channel configurations, when the runtime has read them already. */
  configs?: Record<ChannelName, ChannelConfig>;
  /** HTTP for live API channels (default: the global fetch). */
  fetch?: typeof fetch;
  /** The ledger's channel state (cached tokens, publish events); none: kept in memory for this process. */
  state?: () => Promise<ChannelState>;
  /** The runtime's clock (default: the system's). */
  now?: () => Date;
  /** Build live transports even while base_url is loopback (`channels verify` checks credentials and reports base_url itself). */
  allowLoopback?: boolean;
  /** Transports to use instead of the configured ones (tests; another backend). */
  transports?: Partial<Record<ChannelName, Closable>>;
}

export function createChannelRegistry(o: RegistryOptions): ReadonlyMap<ChannelName, RegisteredChannel> {
  const configs = o.configs ?? loadAllChannelConfigs(o.root, o.env);
  const site = siteConfig(configs.website);
  const state = o.state ?? memoryState();
  const deps = { varDir: o.varDir, root: o.root, renderer: o.renderer, site, fetch: o.fetch ?? fetch, state, now: o.now ?? (() => new Date()) };
  const map = new Map<ChannelName, RegisteredChannel>();
  for (const def of CHANNELS) {
    const config = configs[def.name];
    const transport = o.transports?.[def.name] ?? transportFor(def, config, deps, o.allowLoopback === true);
    const bind = <C extends PublishContext>(ctx: C) => ({ ...ctx, config, site });
    map.set(def.name, {
      name: def.name,
      mode: config.mode,
      approval: config.approval,
      perRecipient: def.perRecipient,
      config,
      site,
      concurrency: def.concurrency(config),
      modeReason: channelModeMessages().line(def.name, modeText(def, config)),
      modeText: modeText(def, config),
      render: (ctx) => def.render(ctx),
      check: (payload, ctx) => def.check(payload, ctx),
      publish: (payload: Payload, ctx: PublishContext): Promise<Receipt> => def.publish(payload, bind(ctx), transport),
      reconcile: (payload, ctx) => def.reconcile(payload, bind(ctx), transport),
      verify: async () => (def.verify ? def.verify(transport, config) : { level: 'ok', message: def.modeNote?.() ?? channelModeMessages().nothingToCheck }),
      close: async () => {
        await transport.close?.();
      },
      ...(def.notify ? { notify: (message: DirectMessage) => def.notify!(message, transport, config) } : {}),
    });
  }
  return new StrictMap(map);
}

/** Closes every channel's transport (the daemon on SIGTERM, a command when it ends). */
export async function closeChannels(channels: ReadonlyMap<ChannelName, RegisteredChannel>): Promise<void> {
  await Promise.all([...channels.values()].map((c) => c.close()));
}

function transportFor(def: ChannelDefinition, config: ChannelConfig, deps: Parameters<ChannelDefinition['transport']>[1], allowLoopback: boolean): Closable {
  if (config.mode === 'live' && !def.liveAvailable) {
    // Credentials are present, so the operator expects real posts: refusing beats silently writing files.
    throw new ConfigError(channelModeMessages().liveNotAvailable(def.name, Object.keys(config.secrets).length, config.file ?? `channels/${def.name}.yaml`), { file: config.file });
  }
  if (config.mode === 'live' && def.name !== 'website' && !allowLoopback && isLoopbackUrl(deps.site.baseUrl)) {
    // Weibo needs a link under the app's secure domain; WeChat's content_source_url and e-mail links would point at this machine.
    throw new ConfigError(channelModeMessages().liveWithLoopback(def.name, deps.site.baseUrl), { file: 'channels/website.yaml' });
  }
  return def.transport(config, deps);
}


/** Said in the process's language: the registry is made after the CLI has chosen it. */
function modeText(def: ChannelDefinition, c: ChannelConfig): string {
  const m = channelModeMessages();
  if (def.modeNote) return def.modeNote();
  if (c.mode === 'live') return m.live;
  if (c.missingEnv.length > 0) return m.sandboxNotSet(c.channel, c.missingEnv.join(', '));
  return m.sandboxNoCredentials(c.channel);
}

/** Channel state for a registry without a ledger (preview, check): this process only. */
function memoryState(): () => Promise<ChannelState> {
  const values = new Map<string, string>();
  const state: ChannelState = {
    get: async (name) => values.get(name),
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
  return async () => state;
}

class StrictMap<K, V> extends Map<K, V> {
  override get(key: K): V {
    const v = super.get(key);
    if (v === undefined) throw new ConfigError(channelModeMessages().unknownChannel(String(key), [...this.keys()].join(', ')));
    return v;
  }
}
