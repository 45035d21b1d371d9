/**
 * The Weibo channel: one post per occurrence (one advisory, or a campaign
 * summary) within 140 counted characters. Without a token its transport is the
 * sandbox outbox (the statuses/share.json body under var/outbox/weibo/); with
 * one, the API client (client.ts) posting as publish.ts says. Its templates
 * may count with {{weiboLength text}} (helpers.ts).
 */
import type { ChannelDefinition, Closable } from '../channel.js';
import { createOutbox, publishToOutbox, reconcileOutbox, type Outbox } from '../sandbox.js';
import { durationMs } from '../api-call.js';
import { check, render } from './rendition.js';
import { preview } from './preview.js';
import { createWeiboClient, type WeiboClient } from './client.js';
import { publishLive, tokenWarning } from './publish.js';
import { channelModeMessages } from '../../i18n/messages-channel-modes.js';

export { tokenWarning };
export { TOKEN_INFO_STATE, tokenId } from './client.js';

/** Sandbox (the outbox) or live (the API client); a test or another backend may inject either. */
export type WeiboTransport = ({ kind: 'sandbox'; outbox: Outbox } | { kind: 'live'; client: WeiboClient }) & Closable;

export const weibo: ChannelDefinition<WeiboTransport> = {
  name: 'weibo',
  perRecipient: false,
  concurrency: () => 1,
  render,
  check,
  preview,
  liveAvailable: true,
  transport(config, deps) {
    if (config.mode !== 'live') return sandboxTransport(createOutbox(deps.varDir, 'weibo'));
    const client = createWeiboClient({
      apiBase: String(config.settings.api_base), token: config.secrets.access_token,
      timeoutMs: durationMs(config.settings.timeout, 20_000), fetch: deps.fetch, state: deps.state, now: deps.now,
    });
    return { kind: 'live', client };
  },
  publish: (payload, ctx, t) => (t.kind === 'sandbox' ? publishToOutbox(payload, ctx, t.outbox) : publishLive(payload, ctx, t.client)),
  // Live: resending is safe; the checkpoint says an attempt may have gone out, and Weibo's repeat-content answer confirms it (publish.ts).
  reconcile: async (payload, ctx, t) => (t.kind === 'sandbox' ? reconcileOutbox(payload, ctx, t.outbox) : null),
  async verify(t, config) {
    if (t.kind === 'sandbox') return { level: 'ok', message: channelModeMessages().sandboxNothingToCheck };
    const info = await t.client.tokenInfo();
    const warning = tokenWarning(info, config.settings);
    if (warning) return { level: 'warning', message: warning };
    return { level: 'ok', message: channelModeMessages().weiboLive(info.uid ?? '?', Math.floor(info.expireIn / 86_400)) };
  },
};

export function sandboxTransport(outbox: Outbox): WeiboTransport {
  return { kind: 'sandbox', outbox, close: () => outbox.close?.() };
}
