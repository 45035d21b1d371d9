// Set-up step of the site benchmark's edit figures (NOT measured): puts every campaign of a generated
// project on its public site, as if each had been published on the website channel, so that the
// one-advisory edit is measured on a full 1,000- or 10,000-advisory site.
//   node bench/site-worker.mjs publish-all <project>
// Publishing 1,000 campaigns one `advisory publish` at a time would take 15–25 minutes at 10,000
// advisories, so this renders them all at once through dist/'s own modules (the render pool, the
// published-state writer and the site builder: the code `advisory publish` runs), then builds and
// deploys var/site once. The records carry no delivery key (deliveryKey: null, as `build --preview`'s
// entries do): the ledger (var/advisory.db) never saw these deliveries, and a key it does not know would
// make `advisory publish` and `advisory run` refuse to send (a ledger older than what went out).
// If those modules cannot be loaded (dist/ reorganised), it falls back to
// `advisory publish <campaign> --channel website --now` for every campaign (slow, but the real path).
// Prints one JSON line: { how, campaigns, ms }.
import { join, resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const [mode, dir] = process.argv.slice(2);
if (mode !== 'publish-all' || !dir) {
  console.error('usage: node bench/site-worker.mjs publish-all <project>');
  process.exit(2);
}
const dist = resolve(import.meta.dirname, '..', 'dist');
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const t0 = performance.now();
const now = new Date();
let how = 'dist modules';
let count = 0;
try {
  const { loadChannelConfig, siteConfig } = await load('config/channels.js');
  const { publicOptions } = await load('channels/website/chrome.js');
  const { renderAll } = await load('channels/website/site/render-pool.js');
  const { recordPublished, bodyHash } = await load('channels/website/site/state.js');
  const { rebuildPublicSite } = await load('channels/website/site/sites.js');
  const { createRenderer } = await load('render/create.js');
  const varDir = join(dir, 'var');
  const renderer = createRenderer(dir);
  const site = siteConfig(loadChannelConfig(dir, 'website', {}));
  const { campaigns, problems } = await renderAll({ root: dir, site, options: publicOptions(site) }, { renderer });
  if (problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(problems.filter((p) => p.severity === 'error').slice(0, 3)));
  recordPublished(varDir, campaigns.map((c) => ({ deliveryKey: null, publishedAt: now.toISOString(), hash: bodyHash(c.body), body: c.body })));
  rebuildPublicSite({ root: dir, varDir, now, renderer });
  count = campaigns.length;
} catch (err) {
  console.error(`publish-all through dist/ modules failed (${err?.message ?? err}); publishing campaign by campaign with the CLI`);
  how = 'advisory publish, one campaign at a time';
  const cli = join(dist, 'cli', 'main.js');
  const ids = readdirSync(join(dir, 'advisories')).sort();
  for (const id of ids) {
    const r = spawnSync(process.execPath, [cli, 'publish', id, '--channel', 'website', '--now'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      throw new Error(`advisory publish ${id} exited with ${r.status}`);
    }
    count++;
  }
}
process.stdout.write(JSON.stringify({ how, campaigns: count, ms: performance.now() - t0 }) + '\n');
