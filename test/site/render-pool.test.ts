import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureProject } from './helpers.js';
import { loadChannelConfig, siteConfig } from '../../src/config/channels.js';
import { publicOptions } from '../../src/channels/website/chrome.js';
import { renderAll } from '../../src/channels/website/site/render-pool.js';

describe('render pool', () => {
  it('renders the same campaigns, in the same order, with the same problems, in one thread or three', async () => {
    const root = fixtureProject();
    writeFileSync(join(root, 'advisories', 'stray.md'), '# not in a campaign\n');
    mkdirSync(join(root, 'advisories', 'Bad_Name'));
    writeFileSync(join(root, 'advisories', 'Bad_Name', 'campaign.yaml'), 'title: x\n');
    const site = siteConfig(loadChannelConfig(root, 'website', {}));
    const job = { root, site, options: publicOptions(site) };
    const one = await renderAll(job, { threads: 1 });
    const three = await renderAll(job, { threads: 3 });
    expect(one.campaigns.map((c) => c.id)).toEqual(['alpha-2014', 'beta-2015', 'secret-2016', 'xss-2016']);
    expect(one.campaigns.length).toBeGreaterThan(2);
    expect(three.campaigns).toEqual(one.campaigns);
    const key = (p: { file: string; rule: string; line: number }) => `${p.file}:${p.line}:${p.rule}`;
    expect(three.problems.map(key).sort()).toEqual(one.problems.map(key).sort());
    expect(one.problems.map((p) => p.rule)).toEqual(expect.arrayContaining(['markdown-outside-campaign', 'campaign-id']));
  }, 60_000);
});
