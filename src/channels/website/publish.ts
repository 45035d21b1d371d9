/**
 * Publishing to the website: record the frozen payload as published (this is
 * what lifts the embargo) and rebuild + atomically deploy the public site from
 * every published payload. Sandbox and live are the same: the site is ours.
 */
import type { PublishContext, Payload, Receipt } from '../channel.js';
import { ChannelError } from '../../errors.js';
import { MACHINE_FAULT_CODES } from '../../fs/make-dir.js';
import type { Renderer } from '../../render/renderer.js';
import { bodyHash, readIndex, recordPublished } from './site/state.js';
import { rebuildPublicSite, type WebsiteSettings } from './site/sites.js';
import { currentBuild, readManifest, siteLayout, type DeployResult } from './site/deploy.js';
import { withSiteLock } from './site/lock.js';
import { SITE_NAMES } from './site/pages.js';
import { isSiteBody, type SiteBody } from './site-body.js';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function siteBody(payload: Payload): SiteBody {
  if (payload.channel !== 'website' || !isSiteBody(payload.body)) {
    throw new ChannelError('website', 'permanent', `Not a website payload (channel ${payload.channel}, kind ${payload.kind}): re-render the delivery.`);
  }
  const body = payload.body as unknown as SiteBody;
  const ids = [body.campaign.id, ...body.advisories.map((a) => a.id)];
  const bad = ids.find((id) => !SAFE_ID.test(id));
  if (bad !== undefined) throw new ChannelError('website', 'permanent', `"${bad}" cannot be a folder name on the site; use letters, digits and dashes.`);
  if (SITE_NAMES.includes(body.campaign.id)) {
    throw new ChannelError('website', 'permanent', `A campaign cannot be called "${body.campaign.id}": the site uses /${body.campaign.id} itself. Rename the campaign folder.`);
  }
  return body;
}

/**
 * Deploys with `renderer`: the runtime's own (the daemon's follows template
 * edits and keeps the previous templates when an edit does not compile), so
 * the home, archive and tag pages use the same templates as everything else,
 * and a broken template of another channel cannot stop the website.
 */
export async function publishWebsite(payload: Payload, ctx: PublishContext, renderer: Renderer, settings?: WebsiteSettings): Promise<Receipt> {
  const body = siteBody(payload);
  const now = ctx.now();
  const hash = bodyHash(body);
  let result: DeployResult;
  try {
    result = withSiteLock(ctx.varDir, () => {
      const before = readIndex(ctx.varDir); // small: pages are not in the index
      const earlier = before[body.campaign.id];
      // A retry of the same delivery keeps its first publication time, so the CAP `sent` and the build do not change.
      const publishedAt = earlier && earlier.deliveryKey === ctx.deliveryKey && earlier.hash === hash ? earlier.publishedAt : now.toISOString();
      const index = recordPublished(ctx.varDir, [{ deliveryKey: ctx.deliveryKey, publishedAt, hash, body }], before);
      return rebuildPublicSite({ root: ctx.root, varDir: ctx.varDir, now, renderer, index, settings });
    });
  } catch (err) {
    if (err instanceof ChannelError) throw err;
    // A full or read-only disk, a permission: this machine's fault, which stops the run (a person must fix it) instead
    // of being retried as the deploy's until the delivery fails.
    if (MACHINE_FAULT_CODES.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    throw new ChannelError('website', 'transient', `Could not deploy the website: ${(err as Error).message}`, { cause: err });
  }
  ctx.log.info(
    { channel: 'website', campaign: body.campaign.id, build: result.buildId, written: result.written.length, linked: result.linked },
    'website deployed',
  );
  return {
    id: result.buildId,
    url: body.campaign.url,
    at: now.toISOString(),
    details: {
      written: result.written.length,
      writtenFiles: result.written.slice(0, 20),
      linked: result.linked,
      campaignsWritten: result.objectsWritten,
    },
  };
}

/** The delivery went out iff the deployed build carries its key. */
export async function reconcileWebsite(payload: Payload, ctx: PublishContext): Promise<Receipt | null> {
  const body = siteBody(payload);
  const layout = siteLayout(ctx.varDir, 'public');
  const build = currentBuild(layout);
  if (!build) return null;
  const manifest = readManifest(layout, build);
  if (manifest?.campaigns[body.campaign.id]?.deliveryKey !== ctx.deliveryKey) return null;
  return { id: build, url: body.campaign.url, at: manifest.createdAt, details: { reconciled: true } };
}
