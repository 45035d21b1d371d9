import { describe, expect, it } from 'vitest';
import * as weibo from '../../../src/channels/weibo/rendition.js';
import { weiboLength } from '../../../src/channels/weibo/count.js';
import { plannedRenditions } from '../../../src/channels/renditions.js';
import { loadCampaigns } from '../../render/load-fixture.js';
import { contextFor, expectFixture, renditionEnv } from '../../render/setup.js';

const env = renditionEnv();
const campaigns = await loadCampaigns();

describe('weibo rendition', () => {
  it('ships two campaigns', () => {
    expect(campaigns.map((c) => c.id)).toEqual(['2014-national-day', 'national-day']);
  });

  for (const campaign of campaigns) {
    it(`every post of ${campaign.id} is ≤ 140 counted characters and links its page`, () => {
      const planned = plannedRenditions(campaign, env, { includeUnscheduled: true }).filter((p) => p.channel === 'weibo');
      expect(planned.length).toBe(campaign.advisories.length); // rotate: one advisory per firing
      const all = [...planned.map((p) => p.ctx), contextFor(env, 'weibo', campaign)];
      for (const ctx of all) {
        const [payload] = weibo.render(ctx);
        const status = String(payload.body.status);
        expect(weiboLength(status)).toBeLessThanOrEqual(140);
        const url = ctx.advisories.length === 1
          ? `${env.site.baseUrl}/${campaign.id}/${ctx.advisories[0].id}/`
          : `${env.site.baseUrl}/${campaign.id}/`;
        expect(status).toContain(url);
        expect(weibo.check(payload, ctx)).toEqual([]);
      }
    });
  }

  it('matches the fixture for the 2014 campaign', () => {
    const c = campaigns[0];
    const payloads = [...c.advisories.map((a) => weibo.render(contextFor(env, 'weibo', c, [a]))[0]), weibo.render(contextFor(env, 'weibo', c))[0]];
    expectFixture('weibo/expected.json', `${JSON.stringify(payloads, null, 2)}\n`);
  });

  it('shortens a long summary and still fits; check fails a post that cannot', () => {
    const c = campaigns[0];
    const a = { ...c.advisories[0], summary: '外出前检查水电、关好门窗，可托亲属常到家中查看。'.repeat(10) };
    const ctx = contextFor(env, 'weibo', c, [a]);
    const [payload] = weibo.render(ctx);
    expect(weiboLength(String(payload.body.status))).toBeLessThanOrEqual(130);
    expect(String(payload.body.status)).toMatch(/… http/);

    const tooLong = { ...payload, body: { status: `${'很'.repeat(150)} ${env.site.baseUrl}/${c.id}/${a.id}/` } };
    const problems = weibo.check(tooLong, ctx);
    expect(problems.map((p) => p.rule)).toEqual(['weibo-status-length']);
    expect(problems[0].message).toContain('161');
    expect(problems[0].file).toBe(a.file);
    expect(problems[0].line).toBe(3);
    expect(weibo.check({ ...payload, body: { status: '没有链接' } }, ctx).map((p) => p.rule)).toEqual(['weibo-status-url']);
    // Some other link is not enough: the post must carry this advisory's page.
    expect(weibo.check({ ...payload, body: { status: '见 http://x.cn/' } }, ctx).map((p) => p.rule)).toEqual(['weibo-status-url']);
  });

  it('a title too long for a post is cut (warning pointing at the title line); the post still fits', () => {
    const c = campaigns[0];
    const a = { ...c.advisories[0], title: '节日期间防范入室盗窃案件的若干具体建议'.repeat(8) };
    const ctx = contextFor(env, 'weibo', c, [a]);
    const [payload] = weibo.render(ctx);
    expect(weiboLength(String(payload.body.status))).toBeLessThanOrEqual(140);
    const problems = weibo.check(payload, ctx);
    expect(problems.map((p) => [p.rule, p.severity, p.line])).toEqual([['weibo-title-cut', 'warning', 2]]);
  });

  it('attaches the campaign cover as the picture', () => {
    const [payload] = weibo.render(contextFor(env, 'weibo', campaigns[0], [campaigns[0].advisories[0]]));
    expect(payload.body.pic).toBe('asset:pic');
    expect(payload.assets?.[0]).toMatchObject({ path: 'advisories/2014-national-day/images/cover.png', role: 'pic' });
    expect(payload.assets?.[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
