import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { allFiles, campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';
import { buildPreviewSite } from '../../src/channels/website/site/sites.js';

const MARKERS = ['secret-2016', 'unreleased-tip', 'SECRETCAMPAIGN', 'EMBARGO'];

describe('embargo', () => {
  it('an unpublished campaign is absent from every file of the public site', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/bulletin/website/1', root);
    await publish(renderWebsite(campaignById(root, 'beta-2015'), root), varDir, '2015-02-16T01:00:00Z', 'beta/bulletin/website/1', root);
    const files = allFiles(join(varDir, 'site'));
    expect(files.size).toBeGreaterThan(15);
    // the published ones are there (the test can fail) …
    expect([...files.keys()]).toContain('alpha-2014/burglary/index.html');
    expect(files.get('feed.xml')).toContain('beta-2015');
    // … and nothing of the unpublished one, in any file, by id, title, tag or body text
    for (const [path, text] of files) {
      const utf8 = Buffer.from(text, 'latin1').toString('utf8');
      for (const m of MARKERS) expect(`${path}: ${utf8.includes(m) || path.includes(m)}`).toBe(`${path}: false`);
    }
  });

  it('the preview builds every valid campaign, each page marked and noindex', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    const r = await buildPreviewSite({ root, varDir, now: new Date('2016-01-01T00:00:00Z') });
    expect(r.campaigns).toBe(4);
    const files = allFiles(join(varDir, 'site-preview'));
    expect([...files.keys()]).toContain('secret-2016/unreleased-tip/index.html');
    const pages = [...files.entries()].filter(([p]) => p.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    for (const [path, text] of pages) {
      const html = Buffer.from(text, 'latin1').toString('utf8');
      expect(html, path).toContain('<meta name="robots" content="noindex">');
      expect(html, path).toContain('class="preview-banner"');
      expect(html, path).toContain('href="/preview-site/assets/style.css"');
    }
    expect(files.get('robots.txt')).toContain('Disallow: /');
    expect(files.get('secret-2016/cap.xml')).toContain('<status>Test</status>');
  });

  it('a second preview build reuses every unchanged campaign folder', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    await buildPreviewSite({ root, varDir, now: new Date('2016-01-01T00:00:00Z') });
    const again = await buildPreviewSite({ root, varDir, now: new Date('2016-01-01T05:00:00Z') });
    expect(again.deploy?.objectsWritten).toEqual([]);
  });
});
