// One measured run of the site benchmark, in its own process (so maxRSS is its own).
//   node site-worker.mjs cold  <project> [threads]   render every campaign (render pool), publish all, build the site
//   node site-worker.mjs preview <project> [threads] `advisory build --preview --out`: Markdown → plain HTML files
//   node site-worker.mjs edit  <project> <id>    re-render one campaign and publish it (incremental deploy)
//   node site-worker.mjs site  <project>         `advisory build` from the published state, no earlier build
//   node site-worker.mjs eleventy <dir>          Eleventy 3 over the same pages
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, dir, campaignId] = process.argv.slice(2);
const dist = resolve(import.meta.dirname, '..', 'dist');
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const now = new Date('2026-09-20T00:00:00Z');
let pages = 0;
let extra = {};
const t0 = performance.now();

if (mode === 'site') {
  const { rmSync } = await import('node:fs');
  const { rebuildPublicSite } = await load('channels/website/site/sites.js');
  const varDir = join(dir, 'var');
  for (const d of ['site', 'site-builds', 'site-objects']) rmSync(join(varDir, d), { recursive: true, force: true });
  const t1 = performance.now();
  const r = rebuildPublicSite({ root: dir, varDir, now });
  pages = r.written.length + r.objectsWritten.length * 11;
  extra = { importMs: t1 - t0, written: r.written.length, campaignsWritten: r.objectsWritten.length };
} else if (mode === 'preview') {
  // `advisory build --preview --out DIR`: every campaign from Markdown to plain HTML files (like Eleventy)
  const { rmSync } = await import('node:fs');
  const { buildPreviewSite } = await load('channels/website/site/sites.js');
  const outDir = join(dir, 'preview-out');
  rmSync(outDir, { recursive: true, force: true });
  const t1 = performance.now();
  const r = await buildPreviewSite({ root: dir, varDir: join(dir, 'var'), now, out: outDir, ...(campaignId ? { threads: Number(campaignId) } : {}) });
  if (r.problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
  pages = r.files;
  extra = { importMs: t1 - t0 };
} else if (mode === 'cold') {
  // the whole pipeline: validate + render every campaign (render pool), freeze every payload, build + deploy the public site
  const { loadChannelConfig, siteConfig } = await load('config/channels.js');
  const { publicOptions } = await load('channels/website/chrome.js');
  const { renderAll } = await load('channels/website/site/render-pool.js');
  const { recordPublished, bodyHash } = await load('channels/website/site/state.js');
  const { rebuildPublicSite } = await load('channels/website/site/sites.js');
  const { createRenderer } = await load('render/create.js');
  const varDir = join(dir, 'var');
  const t1 = performance.now();
  const renderer = createRenderer(dir);
  const site = siteConfig(loadChannelConfig(dir, 'website', {}));
  const { campaigns, problems } = await renderAll({ root: dir, site, options: publicOptions(site) }, { renderer, ...(campaignId ? { threads: Number(campaignId) } : {}) });
  if (problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(problems.slice(0, 3)));
  const t3 = performance.now();
  for (const c of campaigns) pages += Object.keys(c.body.pages).length;
  recordPublished(varDir, campaigns.map((c) => ({ deliveryKey: `${c.id}/bulletin/website/x`, publishedAt: now.toISOString(), hash: bodyHash(c.body), body: c.body })));
  const t4 = performance.now();
  const r = rebuildPublicSite({ root: dir, varDir, now, renderer });
  extra = { importMs: t1 - t0, renderMs: t3 - t1, stateMs: t4 - t3, deployMs: performance.now() - t4, written: r.written.length + pages };
} else if (mode === 'edit') {
  const { loadProject } = await load('content/load.js');
  const { createRenderer } = await load('render/create.js');
  const { loadChannelConfig, siteConfig } = await load('config/channels.js');
  const { render } = await load('channels/website/rendition.js');
  const varDir = join(dir, 'var');
  const { publishWebsite } = await load('channels/website/publish.js');
  await import('pino');
  const t1 = performance.now();
  const renderer = createRenderer(dir);
  const config = loadChannelConfig(dir, 'website', {});
  const site = siteConfig(config);
  const { campaigns, problems } = loadProject(dir, { only: [campaignId] });
  if (problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(problems.slice(0, 3)));
  const t2 = performance.now();
  const payloads = campaigns.map((campaign) => render({ campaign, advisories: campaign.advisories, renderer, config, site })[0]);
  const t3 = performance.now();
  for (const p of payloads) pages += Object.keys(p.body.pages).length;
  {
    const { pino } = await import('pino');
    const r = await publishWebsite(payloads[0], { deliveryKey: `${campaignId}/edit`, attempt: 1, log: pino({ level: 'silent' }), now: () => now, root: dir, varDir }, renderer);
    extra = { importMs: t1 - t0, loadMs: t2 - t1, renderMs: t3 - t2, deployMs: performance.now() - t3, written: r.details.written, linked: r.details.linked, campaignsWritten: r.details.campaignsWritten };
  }
} else if (mode === 'eleventy') {
  const { Eleventy } = await import(pathToFileURL(resolve(import.meta.dirname, '.out/eleventy/node_modules/@11ty/eleventy/src/Eleventy.js')).href);
  process.chdir(dir);
  const e = new Eleventy('src', '_site', { quietMode: true, configPath: 'eleventy.config.mjs' });
  const out = await e.write();
  pages = Array.isArray(out) ? out.flat().length : 0;
}
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ mode, ms, pages, maxRSSMB: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n');
