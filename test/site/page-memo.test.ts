/**
 * A deployed build keeps its site-wide pages (home, archive, tag pages) in
 * var/cache/site-pages/ by a digest of their template and data; the next build
 * renders only the pages whose data changed. What it serves must be exactly
 * what a build without that memory serves.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';
import { refreshPublicSite } from '../../src/channels/website/site/sites.js';
import { channelRenderer } from '../../src/channels/template-helpers.js';
import type { Renderer } from '../../src/render/renderer.js';

const served = (varDir: string) => new Map([...allFiles(join(varDir, 'site'))].filter(([p]) => !p.startsWith('.')));

function countingTemplates(root: string): { renderer: Renderer; rendered: string[] } {
  const inner = channelRenderer(root);
  const rendered: string[] = [];
  const renderer: Renderer = Object.freeze({
    templatesHash: inner.templatesHash,
    markdown: inner.markdown.bind(inner),
    template: (channel: string, name: string, data: object) => (rendered.push(`${channel}/${name}`), inner.template(channel, name, data)),
    asset: inner.asset.bind(inner),
    assetInfo: inner.assetInfo.bind(inner),
  });
  return { renderer, rendered };
}

describe('site-wide pages from the previous build', () => {
  it('a rebuild after two publishes renders no site-wide page again; the site equals a build without the memory', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/bulletin/website/1', root);
    expect(existsSync(join(varDir, 'cache/site-pages/public.json'))).toBe(true);
    await publish(renderWebsite(campaignById(root, 'beta-2015'), root), varDir, '2015-02-16T01:00:00Z', 'beta/bulletin/website/1', root);
    const now = new Date('2015-02-16T02:00:00Z');

    // nothing changed since: every site page comes from the memory
    const again = countingTemplates(root);
    refreshPublicSite({ root, varDir, now, renderer: again.renderer });
    expect(again.rendered).toEqual([]);
    const withMemory = served(varDir);

    // the same published state elsewhere, without it: every page rendered, and the same bytes
    const other = tempVar();
    cpSync(join(varDir, 'site-state'), join(other, 'site-state'), { recursive: true });
    const fresh = countingTemplates(root);
    refreshPublicSite({ root, varDir: other, now, renderer: fresh.renderer });
    expect(fresh.rendered.length).toBeGreaterThan(5);
    expect(served(other)).toEqual(withMemory);
  });
});
