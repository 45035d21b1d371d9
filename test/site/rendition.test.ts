import { describe, expect, it } from 'vitest';
import { campaignById, fixtureProject, ROOT, loadCampaigns, renderWebsite } from './helpers.js';
import { check } from '../../src/channels/website/rendition.js';
import { createRenderer } from '../../src/render/create.js';
import { loadChannelConfig, siteConfig } from '../../src/config/channels.js';
import type { Campaign } from '../../src/content/model.js';
import type { SiteBody } from '../../src/channels/website/site-body.js';

function ctxFor(campaign: Campaign, root: string) {
  const config = loadChannelConfig(root, 'website', {});
  return { campaign, advisories: campaign.advisories, renderer: createRenderer(root), config, site: siteConfig(config) };
}

describe('website rendition', () => {
  it('renders one site payload: campaign page + one page per advisory, preview = campaign page', () => {
    const campaign = loadCampaigns(ROOT).find((c) => c.id === '2014-national-day')!;
    const payload = renderWebsite(campaign);
    const body = payload.body as unknown as SiteBody;
    expect(payload.kind).toBe('site');
    expect(Object.keys(body.pages)).toEqual([
      '2014-national-day/index.html',
      '2014-national-day/burglary/index.html',
      '2014-national-day/vehicle-theft/index.html',
      '2014-national-day/robbery/index.html',
      '2014-national-day/street-theft-fraud/index.html',
    ]);
    // the preview is the campaign page, with its style sheet inlined
    expect(payload.preview?.html).toContain('<h1>2014年国庆节期间安全防范常识</h1>');
    expect(payload.preview?.html).toContain('<style>');
    expect(payload.preview?.html).not.toContain('href="/assets/style.css"');
    expect(body.campaign).toMatchObject({ id: '2014-national-day', holiday: 'national-day', year: 2014, url: 'http://127.0.0.1:4321/2014-national-day/' });
    expect(body.advisories[0].sections.map((s) => [s.title, s.advice])).toEqual([['案件特点', false], ['防范建议', true]]);
    const page = body.pages['2014-national-day/burglary/index.html'];
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(page).toContain('<main id="main"');
    expect(page).toContain('不是官方预警信息');
    // pure: the same input renders the same bytes
    expect(renderWebsite(campaign).body).toEqual(payload.body);
  });

  it('check: an image without alt text, and a tip only inside an image', () => {
    const root = fixtureProject();
    const alpha = campaignById(root, 'alpha-2014');
    const [a, b] = alpha.advisories;
    const bad: Campaign = {
      ...alpha,
      advisories: [
        { ...a, body: `${a.body}\n![](images/tip.png)\n` },
        { ...b, body: '![防范两抢：包不离身](images/tip.png)\n', image: 'images/x.png' },
      ],
    };
    const ctx = ctxFor(bad, root);
    const problems = check(renderWebsite(bad, root), ctx);
    const rules = problems.map((p) => `${p.file} ${p.rule} ${p.severity}`);
    expect(rules).toContain('advisories/alpha-2014/01-burglary.md website-image-alt error');
    expect(rules).toContain('advisories/alpha-2014/02-robbery.md website-image-alt error'); // image without image_alt
    expect(rules).toContain('advisories/alpha-2014/02-robbery.md website-tip-in-image error');
    expect(rules).toContain('advisories/alpha-2014/02-robbery.md website-no-advice warning');
    expect(problems.find((p) => p.rule === 'website-image-alt')?.line).toBeGreaterThan(10);
    // and the clean campaign has none
    expect(check(renderWebsite(alpha, root), ctxFor(alpha, root))).toEqual([]);
  });

  it('check: warns of no advice when CAP gets no <instruction>, even under a heading with 措施 (regression: the check had its own word list)', () => {
    const root = fixtureProject();
    const alpha = campaignById(root, 'alpha-2014');
    const [a] = alpha.advisories;
    const measures: Campaign = { ...alpha, advisories: [{ ...a, body: '## 安全措施\n\n- 出门前关好门窗，贵重物品不要放在家中显眼的地方。\n' }] };
    const payload = renderWebsite(measures, root);
    expect((payload.body as unknown as SiteBody).advisories[0].sections.map((s) => s.advice)).toEqual([false]);
    const rules = check(payload, ctxFor(measures, root)).map((p) => `${p.file} ${p.rule} ${p.severity}`);
    expect(rules).toContain('advisories/alpha-2014/01-burglary.md website-no-advice warning');
  });

  it('check: a campaign cannot take a name the site uses itself', () => {
    const root = fixtureProject();
    const tags: Campaign = { ...campaignById(root, 'alpha-2014'), id: 'tags' };
    const rules = check(renderWebsite(tags, root), ctxFor(tags, root)).map((p) => p.rule);
    expect(rules).toContain('website-reserved-id');
  });
});
