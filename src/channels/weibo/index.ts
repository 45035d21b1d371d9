/**
 * The Weibo channel: one post per occurrence (one advisory, or a campaign
 * summary) within 140 counted characters. Its transport is the sandbox outbox
 * (the statuses/share.json body under var/outbox/weibo/); the live API client
 * comes with its credentials. Its templates may count with {{weiboLength text}} (helpers.ts).
 */
import type { ChannelDefinition } from '../channel.js';
import { createOutbox, publishToOutbox, reconcileOutbox, type Outbox } from '../sandbox.js';
import { check, render } from './rendition.js';
import { preview } from './preview.js';

export const weibo: ChannelDefinition<Outbox> = {
  name: 'weibo',
  perRecipient: false,
  concurrency: () => 1,
  render,
  check,
  preview,
  liveAvailable: false,
  transport: (_config, deps) => createOutbox(deps.varDir, 'weibo'),
  publish: publishToOutbox,
  reconcile: reconcileOutbox,
};
