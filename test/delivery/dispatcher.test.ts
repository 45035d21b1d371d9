/**
 * The dispatcher over the shipped content (real loadProject, plan, renderer,
 * SQLite), driven by an injected clock: what fires when, approval holds,
 * catch-up and missed firings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/delivery/store/index.js';
import { ManualClock } from '../../src/delivery/clock.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { projectPlanner } from '../../src/app/project-planner.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { approvalHash } from '../../src/delivery/approval.js';
import { createRenderer } from '../../src/render/create.js';
import type { ChannelName } from '../../src/channels/channel.js';
import { seeded, silent, TestChannel, tmpProject } from './helpers.js';

let root: string;
let store: Store;
afterEach(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

async function setup(start: string, modes: Partial<Record<ChannelName, 'live' | 'sandbox'>> = {}) {
  root = tmpProject();
  // Only the dated 2014 campaign: what the evergreen one does in 2014 is the planner's business, not ours.
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  store = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
  const clock = new ManualClock(start);
  const channels = new Map<ChannelName, TestChannel>(
    (['website', 'wechat', 'weibo', 'email'] as const).map((n) => [n, new TestChannel(n, modes[n] ?? 'sandbox', undefined, n === 'email' ? 5 : 1)]),
  );
  const renderer = createRenderer(root);
  const now = () => clock.now();
  const dispatcher = new Dispatcher({
    store, channels, renderer, planner: projectPlanner(root, silent, now), log: silent, now, random: seeded(7),
    root, varDir: join(root, 'var'), failpoints: parseFailpoints(undefined),
  });
  return { clock, channels, dispatcher, renderer };
}

describe('dispatcher', () => {
  it('fires the bulletin at its due time, once per channel and per subscriber, and nothing before', async () => {
    const { clock, channels, dispatcher } = await setup('2014-09-29T00:58:00Z');
    for (const a of ['a@example.org', 'b@example.org', 'c@example.org']) await store.addSubscriber({ address: a }, clock.now());
    await dispatcher.wake();
    expect(await store.list()).toHaveLength(0);
    expect((await dispatcher.nextWakeAt())?.toISOString()).toBe('2014-09-29T01:00:00.000Z');
    clock.set('2014-09-29T01:00:00Z');
    await dispatcher.wake();
    // website + wechat + e-mail to each of the 3 subscribers.
    expect(await store.counts()).toMatchObject({ sent: 1 + 1 + 3, pending: 0 });
    expect(channels.get('email')!.delivered.size).toBe(3);
    expect(await store.get('2014-national-day/bulletin/wechat/2014-09-29T01:00:00Z')).toMatchObject({ state: 'sent', attempts: 1 });
    // Waking again (and re-planning) creates nothing new.
    clock.advance(60_000);
    dispatcher.requestPlan();
    await dispatcher.wake();
    expect(await store.list()).toHaveLength(5);
    expect([...channels.values()].every((c) => [...c.delivered.values()].every((n) => n === 1))).toBe(true);
  });

  it('holds live deliveries until the content is approved, then sends them', async () => {
    const { clock, channels, dispatcher, renderer } = await setup('2014-09-29T01:00:00Z', { wechat: 'live' });
    await dispatcher.wake();
    const key = '2014-national-day/bulletin/wechat/2014-09-29T01:00:00Z';
    const held = (await store.get(key))!;
    expect(held.state).toBe('held');
    expect(held.reason).toMatch(/^awaiting approval of [0-9a-f]{12}/);
    expect((await store.get('2014-national-day/bulletin/website/2014-09-29T01:00:00Z'))!.state).toBe('sent');
    expect(channels.get('wechat')!.calls).toHaveLength(0);
    const campaign = projectPlanner(root, silent, () => clock.now()).campaigns().find((c) => c.id === '2014-national-day')!;
    const hash = approvalHash(campaign.contentHash, renderer.templatesHash);
    expect(held.contentHash).toBe(hash);
    await store.recordApproval(campaign.id, hash, '王警官', clock.now());
    expect(await store.releaseApproved(campaign.id, hash, clock.now())).toBe(1);
    await dispatcher.wake();
    expect((await store.get(key))!.state).toBe('sent');
    expect(channels.get('wechat')!.delivered.get(key)).toBe(1);
  });

  it('catches up firings still within their window after downtime and records older ones as missed', async () => {
    // First start on 2014-10-03 16:00 local: the bulletin's window is the whole holiday, so it still goes out;
    // the reminders of Oct 1 and 2 (window 6 h) are past.
    const { clock, channels, dispatcher } = await setup('2014-10-03T08:00:00Z');
    await dispatcher.wake();
    expect((await store.get('2014-national-day/bulletin/wechat/2014-09-29T01:00:00Z'))!.state).toBe('sent');
    const missed = await store.list({ state: 'missed' });
    expect(missed.map((d) => d.key)).toEqual(expect.arrayContaining([
      '2014-national-day/daily-reminder/weibo/2014-10-01T00:00:00Z',
      '2014-national-day/daily-reminder/weibo/2014-10-02T00:00:00Z',
    ]));
    expect(missed.every((d) => d.reason?.startsWith('missed: due'))).toBe(true);
    // Oct 3's 08:00 reminder was due at 00:00Z: 8 h ago, outside its 6 h window too.
    expect((await store.get('2014-national-day/daily-reminder/weibo/2014-10-03T00:00:00Z'))!.state).toBe('missed');
    expect(channels.get('weibo')!.calls).toHaveLength(0);
    // Down again; restarted 2 h after Oct 4's reminder: within the window, so it is sent late.
    clock.set('2014-10-04T02:00:00Z');
    await dispatcher.wake();
    expect((await store.get('2014-national-day/daily-reminder/weibo/2014-10-04T00:00:00Z'))!.state).toBe('sent');
    expect(channels.get('weibo')!.delivered.size).toBe(1);
  });

  it('records a bulletin as missed once the holiday is over, and never sends it', async () => {
    const { channels, dispatcher } = await setup('2014-10-09T01:00:00Z');
    await dispatcher.wake();
    const d = (await store.get('2014-national-day/bulletin/wechat/2014-09-29T01:00:00Z'))!;
    expect(d).toMatchObject({ state: 'missed', payload: null });
    expect(d.reason).toMatch(/window ended 2014-10-0\dT/);
    expect(channels.get('wechat')!.calls).toHaveLength(0);
    expect((await store.counts()).sent).toBe(0);
  });
});
