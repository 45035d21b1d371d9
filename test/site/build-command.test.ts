import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';
import { buildCommand } from '../../src/cli/commands/build.js';

function io(now = '2016-01-01T00:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {}, now: () => new Date(now) } };
}

describe('advisory build', () => {
  it('rebuilds the public site from the published state only', async () => {
    const root = fixtureProject();
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), join(root, 'var'), '2014-09-29T01:00:00Z', 'alpha/1', root);
    const t = io('2014-09-29T01:00:00Z');
    expect(await buildCommand.run({ root, values: { json: true }, positionals: [], io: t.io })).toBe(0);
    const r = JSON.parse(t.out[0]);
    expect(r.build).toMatch(/^000002-/);
    expect(r.written).toBe(0); // nothing changed since the publish (same day: the home page says the same)
    expect(existsSync(join(root, 'var/site/alpha-2014/index.html'))).toBe(true);
    expect(existsSync(join(root, 'var/site/beta-2015'))).toBe(false);
  });

  it('--preview builds every campaign into var/site-preview; --out writes plain files elsewhere', async () => {
    const root = fixtureProject();
    const t = io();
    expect(await buildCommand.run({ root, values: { preview: true }, positionals: [], io: t.io })).toBe(0);
    expect(t.out[0]).toMatch(/^preview of 4 campaign\(s\) built in .*site-preview/);
    expect(readFileSync(join(root, 'var/site-preview/beta-2015/index.html'), 'utf8')).toContain('预览版');
    const out = tempVar();
    expect(await buildCommand.run({ root, values: { preview: true, out }, positionals: [], io: io().io })).toBe(0);
    expect(readFileSync(join(out, 'secret-2016/unreleased-tip/index.html'), 'utf8')).toContain('noindex');
    expect(existsSync(join(root, 'var/site'))).toBe(false); // the public site was never touched
  });

  it('--preview leaves out a campaign named like a path of the site, with the same problem `advisory check` reports', async () => {
    const root = fixtureProject();
    cpSync(join(root, 'advisories/alpha-2014'), join(root, 'advisories/tags'), { recursive: true });
    const t = io();
    expect(await buildCommand.run({ root, values: { preview: true }, positionals: [], io: t.io })).toBe(1);
    expect(t.err.join('\n')).toContain('advisories/tags/campaign.yaml:1:1: error The folder name "tags" is taken by the website itself (/tags/). Rename the campaign folder, e.g. to tags-2014. [website-reserved-id]');
    expect(existsSync(join(root, 'var/site-preview/tags/index.html'))).toBe(true); // the site's own tag index
    expect(readFileSync(join(root, 'var/site-preview/tags/index.html'), 'utf8')).not.toContain('<h1>2014年国庆节期间安全防范常识</h1>');
  });
});
