/**
 * The start-up sweep of the site: leftovers made by the real deploy code
 * stopped where a kill would stop it, removed, while the served build and the
 * one before it (rollback's target) keep serving the very same files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFiles, campaignById, edited, fixtureProject, publish, publishCtx, renderWebsite, tempVar } from './helpers.js';
import { currentBuild, listBuilds, readManifest, rollback, siteLayout, swap, type SiteLayout } from '../../src/channels/website/site/deploy.js';
import { reconcileWebsite } from '../../src/channels/website/publish.js';
import { sweepOrphans } from '../../src/delivery/sweep.js';

let deadPid = 0;
beforeAll(async () => {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  deadPid = child.pid!;
});

/** `site-objects/<campaign>/<hash>` of every object folder the builds link to. */
function objectsOf(layout: SiteLayout, builds: string[]): Set<string> {
  const out = new Set<string>();
  for (const b of builds) for (const [id, c] of Object.entries(readManifest(layout, b)!.campaigns)) out.add(`site-objects/${id}/${c.hash}`);
  return out;
}

/** A site with two builds of alpha-2014 (edits 1 and 2), the second served. */
async function twoBuilds() {
  const root = fixtureProject();
  const varDir = tempVar();
  const base = renderWebsite(campaignById(root, 'alpha-2014'), root);
  const first = await publish(edited(base, 1), varDir, '2014-09-29T01:01:00Z', 'alpha/1', root);
  const second = await publish(edited(base, 2), varDir, '2014-09-29T01:02:00Z', 'alpha/2', root);
  return { root, varDir, layout: siteLayout(varDir, 'public'), base, first, second };
}

describe('sweepOrphans: the site', () => {
  it('removes what deploys killed at each step left, and the served and previous builds serve the same files', async () => {
    const { root, varDir, layout, base, first, second } = await twoBuilds();
    const served = allFiles(join(varDir, 'site'));
    const previous = allFiles(join(layout.builds, first.id));

    // Killed between a build's rename and its swap: the build finished, var/site still on the one before.
    // On disk that is a whole publish with var/site swapped back, which is how it is made here.
    const third = await publish(edited(base, 3), varDir, '2014-09-29T01:03:00Z', 'alpha/3', root);
    swap(layout, second.id);

    // SIGKILLed while writing a campaign folder (the real deploy, in its own process, under the site lock).
    const killed = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'killed-deploy.ts'), varDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      killed.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      killed.on('exit', (code) => reject(new Error(`killed-deploy.ts exited (${code}) before it began writing`)));
    });
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.on('exit', resolve));
    const tmpBuild = `site-builds/.tmp-000004-20140929T010400Z`;
    const halfWritten = `site-objects/delta-2017/00000000000000bb.tmp-${killed.pid}`;
    expect(existsSync(join(varDir, tmpBuild, 'gamma-2016'))).toBe(true);
    expect(readdirSync(join(varDir, halfWritten))).toEqual(['index.html']);
    expect(readFileSync(join(varDir, 'site-state/build.lock'), 'utf8')).toBe(String(killed.pid));

    // Killed inside swap, between making the temp link and renaming it over var/site.
    symlinkSync(`site-builds/${third.id}`, join(varDir, `site.swap-${deadPid}`));

    const used = objectsOf(layout, [first.id, second.id]);
    const onlyThird = [...objectsOf(layout, [third.id])].filter((o) => !used.has(o));
    expect(onlyThird).toContain(`site-objects/alpha-2014/${readManifest(layout, third.id)!.campaigns['alpha-2014'].hash}`);

    const r = sweepOrphans(varDir);
    expect(r).toMatchObject({ tempFiles: 0, siteBuilds: 3, siteObjects: onlyThird.length + 2, siteBusy: false });
    expect(r.removed.slice(0, 3).sort()).toEqual([tmpBuild, `site-builds/${third.id}`, `site.swap-${deadPid}`].sort());
    expect(r.removed.slice(3).sort()).toEqual([...onlyThird, 'site-objects/gamma-2016/00000000000000aa', halfWritten].sort());
    expect(existsSync(join(varDir, 'site-objects/gamma-2016'))).toBe(false);
    expect(existsSync(join(varDir, 'site-objects/delta-2017'))).toBe(false);
    expect(existsSync(join(varDir, 'site-state/build.lock'))).toBe(false); // taken over from the dead deploy, and released

    // the served build, and every folder it and the one before it link to, are untouched
    expect(listBuilds(layout)).toEqual([first.id, second.id]);
    for (const o of used) expect(existsSync(join(varDir, o))).toBe(true);
    expect(allFiles(join(varDir, 'site'))).toEqual(served);
    expect((await reconcileWebsite(edited(base, 2), publishCtx(varDir, '2014-09-29T02:00:00Z', 'alpha/2', root)))?.id).toBe(second.id);
    expect(await reconcileWebsite(edited(base, 3), publishCtx(varDir, '2014-09-29T02:00:00Z', 'alpha/3', root))).toBeNull();
    expect(sweepOrphans(varDir).removed).toEqual([]);
    expect(rollback(layout)).toEqual({ from: second.id, to: first.id });
    expect(allFiles(join(varDir, 'site'))).toEqual(previous);

    // and deploys go on from the served build
    const next = await publish(edited(base, 4), varDir, '2014-09-29T01:05:00Z', 'alpha/4', root);
    expect(currentBuild(layout)).toBe(next.id);
    expect(allFiles(join(varDir, 'site')).get('alpha-2014/index.html')).toContain('edit 4');
  });

  it('after a rollback, removes the build rolled back from (nothing can serve it again) and keeps the served one whole', async () => {
    const { varDir, layout, first, second } = await twoBuilds();
    rollback(layout);
    const served = allFiles(join(varDir, 'site'));
    const object = `site-objects/alpha-2014/${readManifest(layout, second.id)!.campaigns['alpha-2014'].hash}`;
    const r = sweepOrphans(varDir);
    expect(r.removed).toContain(`site-builds/${second.id}`);
    expect(r.removed).toContain(object);
    expect(existsSync(join(varDir, object))).toBe(false);
    expect(listBuilds(layout)).toEqual([first.id]);
    expect(allFiles(join(varDir, 'site'))).toEqual(served);
  });

  it('leaves the site alone while a live process holds the site lock (it is building), and still removes dead temps', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
    const layout = siteLayout(varDir, 'public');
    mkdirSync(join(layout.builds, '.tmp-000002-20140929T010100Z'));
    writeFileSync(join(varDir, 'site-state', `index.json.tmp-${deadPid}-abc123`), '{"camp');
    writeFileSync(join(varDir, 'site-state', 'build.lock'), String(process.pid));
    const r = sweepOrphans(varDir);
    expect(r).toMatchObject({ tempFiles: 1, siteBuilds: 0, siteObjects: 0, siteBusy: true });
    expect(existsSync(join(layout.builds, '.tmp-000002-20140929T010100Z'))).toBe(true);
  });
});
