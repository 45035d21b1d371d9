/**
 * The Weibo post's wording comes from templates/weibo/status.txt.hbs: a
 * project's own template is used, and the length rule still shortens the
 * summary inside it so the post fits and keeps its link.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as weibo from '../../../src/channels/weibo/rendition.js';
import { weiboLength } from '../../../src/channels/weibo/count.js';
import { loadCampaigns } from '../../render/load-fixture.js';
import { contextFor, renditionEnv } from '../../render/setup.js';

const [campaign] = await loadCampaigns();

function projectWith(template: string) {
  const root = mkdtempSync(join(tmpdir(), 'advisory-weibo-'));
  mkdirSync(join(root, 'templates', 'weibo'), { recursive: true });
  writeFileSync(join(root, 'templates', 'weibo', 'status.txt.hbs'), template);
  return renditionEnv(root);
}

describe('weibo status template', () => {
  it('a project template changes the wording; & and < stay as typed (plain text, not HTML)', () => {
    const env = projectWith('{{campaign.issuer}}提醒 & <注意>：【{{title}}】{{summary}} {{url}}\n');
    const a = campaign.advisories[0];
    const [payload] = weibo.render(contextFor(env, 'weibo', campaign, [a]));
    const status = String(payload.body.status);
    expect(status.startsWith('章丘市公安局提醒 & <注意>：【防范入室盗窃案件】')).toBe(true);
    expect(status.endsWith(`${env.site.baseUrl}/${campaign.id}/${a.id}/`)).toBe(true);
  });

  it('a longer template leaves less room: the summary is cut at a boundary with … and the post still fits', () => {
    const env = projectWith('章丘公安温馨提示：节日期间请市民朋友们注意防范，保护好自己和家人的财产安全，外出游玩要看管好随身物品，遇到可疑情况及时报警，发现违法犯罪线索请拨打110，公安机关将依法处理并为举报人保密。【{{title}}】{{summary}} {{url}}');
    const a = campaign.advisories[1];
    const ctx = contextFor(env, 'weibo', campaign, [a]);
    const [payload] = weibo.render(ctx);
    const status = String(payload.body.status);
    expect(weiboLength(status)).toBeLessThanOrEqual(130);
    expect(status).toContain('…');
    expect(status).toContain(`${env.site.baseUrl}/${campaign.id}/${a.id}/`);
    expect(weibo.check(payload, ctx)).toEqual([]);
  });
});
