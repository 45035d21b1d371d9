/**
 * The WeChat Official Account channel: one draft per occurrence, one article
 * per advisory. Without credentials its transport is the sandbox outbox (the
 * draft/add body under var/outbox/wechat/); with them, the API client
 * (client.ts), publishing step by step (publish.ts) and told of finished jobs
 * by the daemon's callback (events.ts).
 */
import type { ChannelDefinition, ChannelState, Closable } from '../channel.js';
import { createOutbox, publishToOutbox, reconcileOutbox, type Outbox } from '../sandbox.js';
import { durationMs } from '../api-call.js';
import { check, render } from './rendition.js';
import { preview } from './preview.js';
import { createWechatClient, type WechatClient } from './client.js';
import { publishLive } from './publish.js';
import { channelModeMessages } from '../../i18n/messages-channel-modes.js';

export { handleWechatEvent, wechatSignature } from './events.js';

/** Sandbox (the outbox) or live (the API client); a test or another backend may inject either. */
export type WechatTransport = ({ kind: 'sandbox'; outbox: Outbox } | { kind: 'live'; client: WechatClient; state: () => Promise<ChannelState> }) & Closable;

export const wechat: ChannelDefinition<WechatTransport> = {
  name: 'wechat',
  perRecipient: false,
  concurrency: () => 1,
  render,
  check,
  preview,
  liveAvailable: true,
  transport(config, deps) {
    if (config.mode !== 'live') return sandboxTransport(createOutbox(deps.varDir, 'wechat'));
    const client = createWechatClient({
      apiBase: String(config.settings.api_base), appid: config.secrets.appid, secret: config.secrets.secret,
      timeoutMs: durationMs(config.settings.timeout, 20_000), fetch: deps.fetch, state: deps.state, now: deps.now,
    });
    return { kind: 'live', client, state: deps.state };
  },
  publish: (payload, ctx, t) => (t.kind === 'sandbox' ? publishToOutbox(payload, ctx, t.outbox) : publishLive(payload, ctx, t.client, t.state)),
  // Live: every step is in the checkpoint, so resending resumes where the crash left it (publish.ts).
  reconcile: async (payload, ctx, t) => (t.kind === 'sandbox' ? reconcileOutbox(payload, ctx, t.outbox) : null),
  async verify(t) {
    if (t.kind === 'sandbox') return { level: 'ok', message: channelModeMessages().sandboxNothingToCheck };
    // A cached token proves nothing about the credentials or this machine's IP: ask WeChat.
    await t.client.token({ fresh: true });
    return { level: 'ok', message: channelModeMessages().wechatLive(t.client.appid) };
  },
};

export function sandboxTransport(outbox: Outbox): WechatTransport {
  return { kind: 'sandbox', outbox, close: () => outbox.close?.() };
}
