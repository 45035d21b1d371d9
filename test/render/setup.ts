/** Test helpers: a renderer + configs for a project root, contexts, fixture files with UPDATE=1. */
import { mkdirSync, writeFileSync, cpSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { expectFixture as compareFixture } from '../fixture.js';
import { createRenderer } from '../../src/render/create.js';
import { loadAllChannelConfigs, siteConfig } from '../../src/config/channels.js';
import type { Advisory, Campaign } from '../../src/content/model.js';
import type { ChannelName } from '../../src/content/schema.js';
import type { RenderContext } from '../../src/channels/channel.js';
import type { RenditionEnv } from '../../src/channels/renditions.js';
import { ROOT } from './load-fixture.js';

export function renditionEnv(root = ROOT): RenditionEnv {
  const configs = loadAllChannelConfigs(root, {});
  return { renderer: createRenderer(root), configs, site: siteConfig(configs.website) };
}

export function contextFor(env: RenditionEnv, channel: ChannelName, campaign: Campaign, advisories: Advisory[] = campaign.advisories): RenderContext {
  return { campaign, advisories, renderer: env.renderer, config: env.configs[channel], site: env.site };
}

/** Compares with `test/fixtures/render/<rel>`: a missing fixture fails; `UPDATE=1` rewrites the file instead. */
export function expectFixture(rel: string, actual: string): void {
  compareFixture(join(ROOT, 'test/fixtures/render', rel), actual, rel);
}

/** A scratch project with the shipped templates and channel configs, and nothing under advisories/. */
export function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-render-'));
  cpSync(join(ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(ROOT, 'channels'), join(dir, 'channels'), { recursive: true });
  mkdirSync(join(dir, 'advisories'), { recursive: true });
  return dir;
}

/** Writes a campaign folder under `root/advisories/<id>/`. */
export function writeCampaign(root: string, id: string, campaignYaml: string, advisories: Record<string, string>): void {
  const dir = join(root, 'advisories', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'campaign.yaml'), campaignYaml);
  for (const [name, text] of Object.entries(advisories)) writeFileSync(join(dir, name), text);
}
