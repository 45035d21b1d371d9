import { describe, expect, it } from 'vitest';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';
import { rebuildPublicSite } from '../../src/channels/website/site/sites.js';

describe('incremental rebuild', () => {
  it('rewrites only the files whose inputs changed', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    const site = join(varDir, 'site');
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
    const beta = renderWebsite(campaignById(root, 'beta-2015'), root);
    await publish(beta, varDir, '2015-02-16T01:00:00Z', 'beta/1', root);
    const inode = (p: string) => statSync(join(site, p)).ino;
    const before = {
      alpha: realpathSync(join(site, 'alpha-2014/burglary/index.html')),
      css: inode('assets/style.css'),
      archive: inode('archive/index.html'),
      fireTag: inode('tags/防火/index.html'),
      home: inode('index.html'),
      tagsDir: realpathSync(join(site, 'tags')),
    };

    // an edit to one advisory of beta
    const body = structuredClone(beta.body) as { pages: Record<string, string> };
    body.pages['beta-2015/fire/index.html'] = body.pages['beta-2015/fire/index.html'].replace('离家前关闭燃气阀门', '离家前关闭燃气阀门和电源');
    const receipt = await publish({ ...beta, body }, varDir, '2015-02-16T02:00:00Z', 'beta/2', root);
    const details = receipt.details as { written: number; writtenFiles: string[]; linked: number; campaignsWritten: string[] };
    expect(details.campaignsWritten).toEqual(['beta-2015']);
    // alpha's pages are the very same files; site-wide pages that did not change are hard links of the previous build's
    expect(realpathSync(join(site, 'alpha-2014/burglary/index.html'))).toBe(before.alpha);
    expect(inode('assets/style.css')).toBe(before.css);
    expect(inode('archive/index.html')).toBe(before.archive);
    expect(inode('tags/防火/index.html')).toBe(before.fireTag);
    expect(inode('index.html')).toBe(before.home);
    // only the CAP index changes (beta's CAP `sent` is the new publication time)
    expect(details.writtenFiles).toEqual(['cap/index.atom']);
    expect(details.linked).toBeGreaterThanOrEqual(6); // index.html, 404.html, the three feeds, sitemap, robots.txt
    // unchanged site folders are the previous build's objects
    expect(realpathSync(join(site, 'tags'))).toBe(before.tagsDir);
    expect(readFileSync(join(site, 'beta-2015/fire/index.html'), 'utf8')).toContain('燃气阀门和电源');

    // a rebuild with nothing new writes nothing at all
    const again = rebuildPublicSite({ root, varDir, now: new Date('2015-02-16T03:00:00Z') });
    expect(again.written).toEqual([]);
    expect(again.objectsWritten).toEqual([]);
  });
});
