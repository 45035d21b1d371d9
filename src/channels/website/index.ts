/**
 * The website channel: one site payload per campaign (its pages, finished),
 * deployed by rebuilding the public site from everything published and
 * switching `var/site` to it atomically. Its transport is the site deployer,
 * the same in sandbox and live (the site is the bureau's own), rendering the
 * home, archive and tag pages with the runtime's renderer and the website
 * settings the runtime read once. The site builder (`site/`) belongs to this
 * channel; the rest of the program reaches it through what is exported here.
 */
import type { ChannelDefinition, Closable } from '../channel.js';
import type { Renderer } from '../../render/renderer.js';
import { check, render } from './rendition.js';
import { publishWebsite, reconcileWebsite } from './publish.js';
import { websiteSettingsOf, type WebsiteSettings } from './site/sites.js';
import { preview } from './preview.js';
import { channelModeMessages } from '../../i18n/messages-channel-modes.js';

export interface SiteDeployer extends Closable {
  renderer: Renderer;
  settings: WebsiteSettings;
}

export const website: ChannelDefinition<SiteDeployer> = {
  name: 'website',
  perRecipient: false,
  liveAvailable: true,
  modeNote: () => channelModeMessages().websiteNote,
  concurrency: () => 1,
  render,
  check,
  preview,
  transport: (config, deps) => ({ renderer: deps.renderer, settings: websiteSettingsOf(config) }),
  publish: (payload, ctx, deployer) => publishWebsite(payload, ctx, deployer.renderer, deployer.settings),
  reconcile: (payload, ctx) => reconcileWebsite(payload, ctx),
};

// The site, for the commands and the server: build, refresh, roll back, serve, sweep.
export { buildPreviewSite, defaultVarDir, PREVIEW_PATH, refreshPublicSite, websiteSettingsOf, writePublicSite, type SiteEnv, type WebsiteSettings } from './site/sites.js';
export { rollbackWebsite } from './site/rollback.js';
export { createSiteHandler, markLargeText, SITE_HTML_CSP, wantsLargeText } from './site/serve.js';
export {
  ADDRESS_MAX, CONFIRM_PATH, NAME_MAX, renderSitePage, sitePathBase, SUBSCRIBE_DESCRIPTION, SUBSCRIBE_PATH, SUBSCRIBE_TITLE, subscribeFormView, UNSUBSCRIBE_PATH,
  type FormError, type SitePageRequest, type SubscribeFormView,
} from './public-page.js';
export { readIndex, stateDir } from './site/state.js';
export { sweepSites } from './site/sweep.js';
export type { DeployResult } from './site/deploy.js';
