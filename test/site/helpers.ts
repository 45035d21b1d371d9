/** Shared set-up for the website tests: real content, real renderer, a temp var dir. */
import { afterAll } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { loadProject } from '../../src/content/load.js';
import { createRenderer } from '../../src/render/create.js';
import { loadChannelConfig, siteConfig } from '../../src/config/channels.js';
import { render } from '../../src/channels/website/rendition.js';
import { publishWebsite } from '../../src/channels/website/publish.js';
import type { Payload, PublishContext, Receipt } from '../../src/channels/channel.js';
import type { Campaign } from '../../src/content/model.js';

export const ROOT = resolve(import.meta.dirname, '../..');

const temps: string[] = [];
// every test file that uses these helpers removes its temporary folders when it ends
afterAll(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function tempVar(): string {
  return temp('advisory-site-');
}

export function loadCampaigns(root = ROOT): Campaign[] {
  const { campaigns } = loadProject(root);
  return campaigns;
}

export function renderWebsite(campaign: Campaign, root = ROOT): Payload {
  const renderer = createRenderer(root);
  const config = loadChannelConfig(root, 'website', {});
  return render({ campaign, advisories: campaign.advisories, renderer, config, site: siteConfig(config) })[0];
}

export function publishCtx(varDir: string, now: string, deliveryKey = `k/${now}`, root = ROOT): PublishContext {
  return { deliveryKey, attempt: 1, log: pino({ level: 'silent' }), now: () => new Date(now), root, varDir };
}

export function publish(payload: Payload, varDir: string, now: string, key?: string, root = ROOT): Promise<Receipt> {
  return publishWebsite(payload, publishCtx(varDir, now, key, root), createRenderer(root));
}

/** The same payload with `<p>edit n</p>` at the end of every page's main content: a new version to publish. */
export function edited(payload: Payload, n: number): Payload {
  const body = structuredClone(payload.body) as { pages: Record<string, string> };
  for (const k of Object.keys(body.pages)) body.pages[k] = body.pages[k].replace('</main>', `<p>edit ${n}</p></main>`);
  return { ...payload, body };
}

/** Every file under a folder (following the campaign symlinks), by relative path. */
export function allFiles(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(abs).isDirectory()) for (const [k, v] of allFiles(abs, rel)) out.set(k, v);
    else out.set(rel, readFileSync(abs, 'latin1'));
  }
  return out;
}

/** A throw-away project: the fixture campaigns with this repository's templates and channels. */
export function fixtureProject(): string {
  const root = temp('advisory-project-');
  cpSync(join(ROOT, 'test/fixtures/site/project'), root, { recursive: true });
  cpSync(join(ROOT, 'templates'), join(root, 'templates'), { recursive: true });
  cpSync(join(ROOT, 'channels'), join(root, 'channels'), { recursive: true });
  return root;
}

export function campaignById(root: string, id: string): Campaign {
  const c = loadCampaigns(root).find((x) => x.id === id);
  if (!c) throw new Error(`fixture campaign ${id} did not load: ${JSON.stringify(loadProject(root).problems)}`);
  return c;
}
