import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignById, edited, fixtureProject, publish, publishCtx, renderWebsite, ROOT, tempVar } from './helpers.js';
import { listBuilds, rollback, siteLayout } from '../../src/channels/website/site/deploy.js';
import { reconcileWebsite } from '../../src/channels/website/publish.js';
import { rollbackCommand } from '../../src/cli/commands/rollback.js';

describe('atomic deploy', () => {
  it('serves through one symlink, keeps the last 5 builds, and rolls back to the previous one', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    const base = renderWebsite(campaignById(root, 'alpha-2014'), root);
    const receipts = [];
    for (let i = 0; i < 7; i++) receipts.push(await publish(edited(base, i), varDir, `2014-09-29T01:0${i}:00Z`, `alpha/${i}`, root));
    const site = join(varDir, 'site');
    expect(lstatSync(site).isSymbolicLink()).toBe(true);
    expect(readlinkSync(site)).toBe(`site-builds/${receipts[6].id}`);
    expect(receipts[6].url).toBe('http://127.0.0.1:4321/alpha-2014/');
    const layout = siteLayout(varDir, 'public', 5);
    expect(listBuilds(layout)).toEqual(receipts.slice(2).map((r) => r.id));
    // unreferenced campaign folders are collected with their builds
    expect(readdirSync(join(varDir, 'site-objects', 'alpha-2014'))).toHaveLength(5);
    expect(readFileSync(join(site, 'alpha-2014/index.html'), 'utf8')).toContain('edit 6');

    const r = rollback(layout);
    expect(r).toEqual({ from: receipts[6].id, to: receipts[5].id });
    expect(readFileSync(join(site, 'alpha-2014/index.html'), 'utf8')).toContain('edit 5');
    // the rolled-back build no longer carries delivery 6: reconcile says it did not go out
    expect(await reconcileWebsite(edited(base, 6), publishCtx(varDir, '2014-09-29T02:00:00Z', 'alpha/6', root))).toBeNull();
    expect((await reconcileWebsite(edited(base, 5), publishCtx(varDir, '2014-09-29T02:00:00Z', 'alpha/5', root)))?.id).toBe(receipts[5].id);
  });

  it('a build that fails half-way leaves the served site untouched', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    const alpha = renderWebsite(campaignById(root, 'alpha-2014'), root);
    const first = await publish(alpha, varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
    const broken = renderWebsite(campaignById(root, 'beta-2015'), root);
    (broken.body as { files: Record<string, object> }).files['beta-2015/missing.png'] = { path: 'advisories/beta-2015/images/missing.png', sha256: 'x' };
    await expect(publish(broken, varDir, '2015-02-16T01:00:00Z', 'beta/1', root)).rejects.toMatchObject({ failure: 'transient' });
    expect(readlinkSync(join(varDir, 'site'))).toBe(`site-builds/${first.id}`);
    expect(existsSync(join(varDir, 'site', 'beta-2015'))).toBe(false);
  });

  it('`advisory rollback website` exits 1 with a message when there is nothing earlier', async () => {
    const root = fixtureProject();
    const varDir = join(root, 'var');
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date('2014-09-30T00:00:00Z') };
    expect(await rollbackCommand.run({ root, values: {}, positionals: ['website'], io })).toBe(1);
    expect(err.join('\n')).toMatch(/nothing earlier to roll back to/);
    await publish(edited(renderWebsite(campaignById(root, 'alpha-2014'), root), 1), varDir, '2014-09-29T02:00:00Z', 'alpha/2', root);
    expect(await rollbackCommand.run({ root, values: {}, positionals: ['website'], io })).toBe(0);
    expect(out.join('\n')).toMatch(/rolled back: now serving build 000001-/);
  });

  it('takes over a build lock left by a dead process, and releases its own', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    mkdirSync(join(varDir, 'site-state'), { recursive: true });
    writeFileSync(join(varDir, 'site-state', 'build.lock'), '999999999');
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
    expect(existsSync(join(varDir, 'site', 'alpha-2014', 'index.html'))).toBe(true);
    expect(existsSync(join(varDir, 'site-state', 'build.lock'))).toBe(false);
  });

  it('copies the approved cover beside the pages, and refuses one changed since', async () => {
    const root = fixtureProject();
    cpSync(join(ROOT, 'advisories/2014-national-day'), join(root, 'advisories/2014-national-day'), { recursive: true });
    const varDir = tempVar();
    const payload = renderWebsite(campaignById(root, '2014-national-day'), root);
    await publish(payload, varDir, '2014-09-29T01:00:00Z', 'nd/1', root);
    expect(readFileSync(join(varDir, 'site/2014-national-day/cover.png')).equals(readFileSync(join(root, 'advisories/2014-national-day/images/cover.png')))).toBe(true);
    expect(readFileSync(join(varDir, 'site/2014-national-day/index.html'), 'utf8')).toContain('<meta property="og:image" content="http://127.0.0.1:4321/2014-national-day/cover.png">');
    writeFileSync(join(root, 'advisories/2014-national-day/images/cover.png'), 'not the approved picture');
    const edited = { ...payload, body: { ...payload.body, contentHash: 'changed' } };
    await expect(publish(edited, varDir, '2014-09-29T02:00:00Z', 'nd/2', root)).rejects.toMatchObject({ failure: 'permanent' });
  });
});
