import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';
import { buildCommand } from '../../src/cli/commands/build.js';
import { main } from '../../src/cli/main.js';
import { BUILD_OUT_MARKER } from '../../src/channels/website/site/sites.js';

function io(now = '2016-01-01T00:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date(now) } };
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

/**
 * Regression (issue 8): `advisory build --out DIR` wrote over files in a folder it
 * had not made. Now, like `preview --out`, it writes only into an empty or new
 * folder or an earlier `build --out` (recognised by its marker file).
 */
describe('advisory build --out DIR', () => {
  async function cli(root: string, ...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date('2016-01-01T00:00:00Z') });
    return { code, out, err };
  }

  it('a folder that is not empty and not an earlier build: exit 3, one line saying what was found and what to do; nothing written', async () => {
    const root = fixtureProject();
    const out = tempVar();
    writeFileSync(join(out, 'index.html'), 'my own page');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    for (const args of [['build', '--out', out], ['build', '--preview', '--out', out]]) {
      const r = await cli(root, ...args);
      expect(r.code).toBe(3);
      expect(r.err).toEqual([`advisory build: ${out} is not empty (2 entries: index.html, notes.txt) and is not an earlier \`advisory build --out\` (no ${BUILD_OUT_MARKER} file): name an empty or new folder with --out; nothing was written`]);
    }
    expect(readdirSync(out).sort()).toEqual(['index.html', 'notes.txt']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('my own page');
  });

  it('an empty folder or a new one is written and marked; building into it again is fine', async () => {
    const root = fixtureProject();
    const empty = tempVar();
    const fresh = join(tempVar(), 'site', 'public');
    for (const out of [empty, fresh]) {
      expect((await cli(root, 'build', '--out', out)).code).toBe(0);
      expect(existsSync(join(out, BUILD_OUT_MARKER))).toBe(true);
      expect(existsSync(join(out, 'index.html'))).toBe(true);
      const again = await cli(root, 'build', '--out', out);
      expect(again.code).toBe(0);
      expect(again.out[0]).toMatch(/^public site written to /);
    }
  });

  it('a file, not a folder: exit 3, one line', async () => {
    const root = fixtureProject();
    const file = join(tempVar(), 'site.zip');
    writeFileSync(file, 'zip');
    const r = await cli(root, 'build', '--out', file);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`advisory build: ${file} is a file, not a folder: name an empty or new folder with --out`]);
  });

  it('an earlier `preview --out` is not an earlier build: refused', async () => {
    const root = fixtureProject();
    const out = tempVar();
    mkdirSync(join(out, 'x'));
    writeFileSync(join(out, '.advisory-preview'), '');
    expect((await cli(root, 'build', '--out', out)).code).toBe(3);
  });
});
