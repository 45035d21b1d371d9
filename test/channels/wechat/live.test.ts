/**
 * The live WeChat channel against the local fake of its API (test/fakes/):
 * `advisory publish` in this process, the ledger read back, and every request
 * the fake recorded.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/in-process.js';
import { tmpProject, withStore } from '../../delivery/helpers.js';
import { liveEnv, makeLive, useFakes } from '../live.js';
import type { Delivery } from '../../../src/delivery/store/index.js';

const CAMPAIGN = '2014-national-day';
const fakes = useFakes();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(o: Parameters<typeof makeLive>[1] = {}): string {
  const root = tmpProject();
  dirs.push(root);
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  makeLive(root, o);
  return root;
}

async function publish(root: string, env: Record<string, string> = {}) {
  const base = { ...process.env, NO_COLOR: '1', ...liveEnv({ wechat: fakes.wechat }), ...env };
  const approve = await runCli(['approve', CAMPAIGN, '--by', '张三', '--root', root], { env: base });
  expect(approve.code, approve.err).toBe(0);
  return runCli(['publish', CAMPAIGN, '--channel', 'wechat', '--now', '--root', root], { env: base });
}

async function wechatDelivery(root: string): Promise<Delivery> {
  return withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN })).find((d) => d.channel === 'wechat')!);
}

describe('wechat live', () => {
  it('publishes the 2014 campaign: token, cover uploaded once as permanent material, one draft of four articles, submitted, the article URL in the receipt', async () => {
    const root = project();
    const r = await publish(root);
    expect(r.code, r.out + r.err).toBe(0);
    const wx = fakes.wechat;
    expect(wx.calls('stable_token')).toHaveLength(1);
    expect(wx.calls('material/add_material')).toHaveLength(1);
    expect(wx.drafts.size).toBe(1);
    const [draft] = [...wx.drafts.values()];
    expect(draft.articles).toHaveLength(4);
    expect(draft.articles[0].thumb_media_id).toBe([...wx.materials.keys()][0]);
    expect(draft.articles[0].content_source_url).toMatch(/^https:\/\/www\.example\.gov\.cn\/advisories\//);
    expect(wx.jobs.size).toBe(1);
    const d = await wechatDelivery(root);
    const [job] = [...wx.jobs.values()];
    expect(d.state).toBe('sent');
    expect(d.receipt).toMatchObject({ id: job.publish_id, url: expect.stringMatching(/^https:\/\/mp\.weixin\.qq\.com\/s\//), details: { publishStatus: 0 } });
    expect(d.checkpoint).toMatchObject({ draftMediaId: [...wx.drafts.keys()][0], publishId: job.publish_id });
  });
});
