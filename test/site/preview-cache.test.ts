/**
 * `advisory build --preview` keys each campaign by its inputs (its files, the
 * templates, channels/*.yaml, the site options, the date, the program) before
 * reading any of it: an unchanged campaign is neither loaded nor rendered, an
 * edited one alone is, and the site and problems are those a build without
 * the cache makes.
 */
import { appendFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, fixtureProject, tempVar } from './helpers.js';
import { buildPreviewSite } from '../../src/channels/website/site/sites.js';
import { channelRenderer } from '../../src/channels/template-helpers.js';
import type { Renderer } from '../../src/render/renderer.js';

const NOW = new Date('2016-01-01T00:00:00Z');

/** The project's renderer, counting the Markdown bodies it is asked to render. */
function countingRenderer(root: string): { renderer: Renderer; bodies: string[] } {
  const inner = channelRenderer(root);
  const bodies: string[] = [];
  const renderer: Renderer = Object.freeze({
    ...inner,
    templatesHash: inner.templatesHash,
    markdown: (source: string, file?: string) => (bodies.push(file ?? source.slice(0, 20)), inner.markdown(source, file)),
    template: inner.template.bind(inner),
    asset: inner.asset.bind(inner),
    assetInfo: inner.assetInfo.bind(inner),
  });
  return { renderer, bodies };
}

async function build(root: string, varDir: string, now = NOW) {
  const { renderer, bodies } = countingRenderer(root);
  const r = await buildPreviewSite({ root, varDir, now, renderer, threads: 1 });
  // the served files (not the build's own manifest, which names the build)
  const files = new Map([...allFiles(join(varDir, 'site-preview'))].filter(([path]) => !path.startsWith('.')));
  return { r, bodies, files };
}

describe('preview build: only what changed is rendered', () => {
  it('a second build renders nothing; an edited advisory re-renders its campaign alone; the site is what a fresh build makes', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    const first = await build(root, varDir);
    expect(first.bodies.length).toBeGreaterThanOrEqual(5); // every advisory of the 4 campaigns
    const again = await build(root, varDir);
    expect(again.bodies).toEqual([]);
    expect(again.r.problems).toEqual(first.r.problems);
    expect(again.r.campaigns).toBe(first.r.campaigns);
    expect(again.files).toEqual(first.files);

    appendFileSync(join(root, 'advisories/beta-2015/01-fire.md'), '\n\n- 新增：离家前关闭燃气总阀。\n');
    const edited = await build(root, varDir);
    expect(edited.bodies.every((f) => f.startsWith('advisories/beta-2015/'))).toBe(true);
    expect(edited.bodies.length).toBeGreaterThan(0);
    expect(edited.r.deploy?.objectsWritten.map((o) => o.split('/')[0])).toEqual(['beta-2015']);
    const fresh = await build(root, tempVar());
    expect(fresh.files.get('beta-2015/fire/index.html')).toContain(Buffer.from('离家前关闭燃气总阀').toString('latin1')); // allFiles reads bytes as latin1
    expect(edited.files).toEqual(fresh.files);
    expect(edited.r.problems).toEqual(fresh.r.problems);
  });

  it('a template edit, a channel setting or another day renders everything again; a torn cache record is a miss', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    const first = await build(root, varDir);
    const all = first.bodies.length;
    appendFileSync(join(root, 'templates/website/partials/bottom.hbs'), '\n');
    expect((await build(root, varDir)).bodies).toHaveLength(all);
    appendFileSync(join(root, 'channels/weibo.yaml'), '\n# a comment\n');
    expect((await build(root, varDir)).bodies).toHaveLength(all);
    expect((await build(root, varDir)).bodies).toHaveLength(0);
    expect((await build(root, varDir, new Date('2016-01-02T00:00:00Z'))).bodies).toHaveLength(all);
    const cacheDir = join(varDir, 'cache/site-preview');
    const records = readdirSync(cacheDir);
    expect(records.length).toBe(4);
    writeFileSync(join(cacheDir, records[0]), '{"key":"');
    expect((await build(root, varDir)).bodies.length).toBeGreaterThan(0);
    rmSync(cacheDir, { recursive: true });
    expect((await build(root, varDir)).bodies).toHaveLength(all);
  });

  it('a cached campaign whose folder was removed is rendered again for it', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    const first = await build(root, varDir);
    rmSync(join(varDir, 'site-preview-objects'), { recursive: true });
    const again = await build(root, varDir);
    expect(again.bodies.length).toBeGreaterThan(0);
    expect(again.files).toEqual(new Map([...first.files].map(([p, t]) => [p, again.files.get(p) ?? t])));
    expect(again.files.get('alpha-2014/burglary/index.html')).toBe(first.files.get('alpha-2014/burglary/index.html'));
  });
});
