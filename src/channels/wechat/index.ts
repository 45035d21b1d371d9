/**
 * The WeChat Official Account channel: one draft per occurrence, one article
 * per advisory. Its transport is the sandbox outbox (the draft/add body under
 * var/outbox/wechat/); the live API client comes with its credentials.
 */
import type { ChannelDefinition } from '../channel.js';
import { createOutbox, publishToOutbox, reconcileOutbox, type Outbox } from '../sandbox.js';
import { check, render } from './rendition.js';
import { preview } from './preview.js';

export const wechat: ChannelDefinition<Outbox> = {
  name: 'wechat',
  perRecipient: false,
  concurrency: () => 1,
  render,
  check,
  preview,
  liveAvailable: false,
  transport: (_config, deps) => createOutbox(deps.varDir, 'wechat'),
  publish: publishToOutbox,
  reconcile: reconcileOutbox,
};
