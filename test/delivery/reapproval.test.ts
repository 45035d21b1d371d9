/**
 * Re-approval: content edited after deliveries were frozen. A newer approval
 * re-renders what has not gone out (same key, new payload), records what is
 * past its window as missed, never touches what was sent, and nothing sends
 * the old content after the newer approval.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/delivery/store/index.js';
import { ManualClock } from '../../src/delivery/clock.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { projectPlanner } from '../../src/app/project-planner.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { approvalHash } from '../../src/delivery/approval.js';
import { supersedeStale } from '../../src/delivery/supersede.js';
import { createRenderer } from '../../src/render/create.js';
import { main } from '../../src/cli/main.js';
import { ChannelError } from '../../src/errors.js';
import type { ChannelName, Payload, PublishContext, Receipt, RenderContext } from '../../src/channels/channel.js';
import { seeded, silent, TestChannel, tmpProject } from './helpers.js';

const CAMPAIGN = '2014-national-day';
const WECHAT = `${CAMPAIGN}/bulletin/wechat/2014-09-29T01:00:00Z`;
const WEBSITE = `${CAMPAIGN}/bulletin/website/2014-09-29T01:00:00Z`;

/** A test channel whose payload shows which content it was rendered from, and which records what it sent. */
class ContentChannel extends TestChannel {
  readonly sent: Array<{ key: string; title: unknown }> = [];
  override render(ctx?: RenderContext): Payload[] {
    return [{ channel: this.name, kind: 'test', label: 'test', body: { title: ctx?.campaign.title } }];
  }
  override async publish(p: Payload, ctx: PublishContext): Promise<Receipt> {
    const r = await super.publish(p, ctx);
    this.sent.push({ key: ctx.deliveryKey, title: (p.body as { title?: unknown }).title });
    return r;
  }
}

let root: string;
let store: Store;
afterEach(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

async function setup(start: string, behave?: (key: string, n: number) => void) {
  root = tmpProject();
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  store = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
  const clock = new ManualClock(start);
  const channels = new Map<ChannelName, ContentChannel>(
    (['website', 'wechat', 'weibo', 'email'] as const).map((n) => [n, new ContentChannel(n, n === 'wechat' || n === 'website' ? 'live' : 'sandbox', n === 'wechat' ? behave : undefined)]),
  );
  const renderer = createRenderer(root);
  const now = () => clock.now();
  const planner = projectPlanner(root, silent, now);
  const dispatcher = new Dispatcher({
    store, channels, renderer, planner, log: silent, now, random: seeded(3),
    root, varDir: join(root, 'var'), failpoints: parseFailpoints(undefined),
  });
  const campaign = () => planner.campaigns().find((c) => c.id === CAMPAIGN)!;
  const hashNow = () => approvalHash(campaign().contentHash, renderer.templatesHash);
  const approve = async (by = '王警官') => {
    const hash = hashNow();
    await store.recordApproval(CAMPAIGN, hash, by, clock.now());
    const r = await supersedeStale(campaign(), hash, { store, channels, renderer, planner, log: silent }, clock.now());
    return { ...r, released: await store.releaseApproved(CAMPAIGN, hash, clock.now()), hash };
  };
  const edit = () => {
    const file = join(root, 'advisories', CAMPAIGN, 'campaign.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: 2014年国庆节期间安全防范常识', 'title: 2014年国庆节期间安全防范常识（修订）'));
  };
  return { clock, channels, dispatcher, approve, edit, hashNow };
}

async function cli(root: string, args: string[], now: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => new Date(now) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('re-approval of edited content', () => {
  it('advisory approve re-renders held deliveries of the old content (same key) and they go out with the new content', async () => {
    const { clock, channels, dispatcher, edit, hashNow } = await setup('2014-09-29T01:00:00Z');
    await dispatcher.wake();
    const old = (await store.get(WECHAT))!;
    expect(old.state).toBe('held');
    edit();
    const newHash = hashNow();
    expect(newHash).not.toBe(old.contentHash);
    const r = await cli(root, ['approve', CAMPAIGN, '--by', '王警官'], '2014-09-29T02:00:00Z');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 not yet sent deliveries were rendered from earlier content: re-rendered from this version and released.');
    const now = (await store.get(WECHAT))!;
    expect(now).toMatchObject({ key: WECHAT, state: 'pending', contentHash: newHash, reason: null });
    expect(now.payloadSha256).not.toBe(old.payloadSha256);
    // Re-rendered by the real WeChat rendition from the edited campaign.
    expect(JSON.stringify(now.payload)).toContain('（修订）');
    const audit = await store.auditLog({ event: 'superseded', key: WECHAT });
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ from: 'held', to: 'pending', oldContentHash: old.contentHash, contentHash: newHash, oldPayloadSha256: old.payloadSha256, payloadSha256: now.payloadSha256 });
    clock.set('2014-09-29T02:00:00Z');
    await dispatcher.wake();
    expect((await store.get(WECHAT))!.state).toBe('sent');
    expect(channels.get('wechat')!.delivered.get(WECHAT)).toBe(1);
  });

  it('a pending delivery of approved content A is not sent once B is approved; it goes out re-rendered as B; sent ones are untouched', async () => {
    // WeChat fails transiently on its first call, so its delivery of content A stays pending (retrying).
    const { clock, channels, dispatcher, approve, edit } = await setup('2014-09-29T00:30:00Z', (_key, n) => {
      if (n === 1) throw new ChannelError('wechat', 'transient', 'upstream timeout');
    });
    const a = await approve();
    clock.set('2014-09-29T01:00:00Z');
    await dispatcher.wake();
    expect(await store.get(WECHAT)).toMatchObject({ state: 'pending', contentHash: a.hash });
    const website = (await store.get(WEBSITE))!;
    expect(website).toMatchObject({ state: 'sent', contentHash: a.hash });
    edit();
    // B is approved, but only recorded (as if the daemon picked the row up before the re-render):
    // the sender refuses the old content and holds it for approval.
    const b = approvalHash(projectPlanner(root, silent, () => clock.now()).campaigns().find((c) => c.id === CAMPAIGN)!.contentHash, createRenderer(root).templatesHash);
    await store.recordApproval(CAMPAIGN, b, 'someone', clock.now());
    clock.advance(3_600_000);
    await dispatcher.wake();
    const held = (await store.get(WECHAT))!;
    expect(held.state).toBe('held');
    expect(held.reason).toMatch(/^awaiting approval of [0-9a-f]{12}: this delivery was rendered from that content, but content [0-9a-f]{12} was approved since/);
    expect(channels.get('wechat')!.sent).toEqual([]);
    // Approving B properly re-renders it; the sent website delivery keeps its content A.
    const r = await approve();
    expect(r).toMatchObject({ superseded: 1, missed: 0, errors: [] });
    expect(await store.get(WEBSITE)).toEqual(website);
    await dispatcher.wake();
    expect(channels.get('wechat')!.sent).toEqual([{ key: WECHAT, title: '2014年国庆节期间安全防范常识（修订）' }]);
    expect(channels.get('website')!.sent).toEqual([{ key: WEBSITE, title: '2014年国庆节期间安全防范常识' }]);
    expect(await store.get(WECHAT)).toMatchObject({ state: 'sent', contentHash: r.hash });
  });

  it('a held delivery past its window becomes missed on the newer approval and is never sent', async () => {
    const { clock, channels, dispatcher, approve, edit } = await setup('2014-09-29T01:00:00Z');
    await dispatcher.wake();
    expect((await store.get(WECHAT))!.state).toBe('held');
    edit();
    clock.set('2014-10-09T01:00:00Z'); // the holiday (the bulletin's window) is over
    const r = await approve();
    expect(r).toMatchObject({ superseded: 0, missed: 2, released: 0 }); // wechat and website (both live)
    const d = (await store.get(WECHAT))!;
    expect(d.state).toBe('missed');
    expect(d.reason).toMatch(/^missed: content [0-9a-f]{12} was approved after this delivery's window ended/);
    await dispatcher.wake();
    expect(channels.get('wechat')!.calls).toHaveLength(0);
  });

  it('approving the same content again changes nothing', async () => {
    const { dispatcher, approve } = await setup('2014-09-29T01:00:00Z');
    await dispatcher.wake();
    const first = await approve();
    expect(first).toMatchObject({ superseded: 0, missed: 0, released: 2 });
    await dispatcher.wake();
    expect(await approve()).toMatchObject({ superseded: 0, missed: 0, released: 0 });
    expect((await store.get(WECHAT))!.state).toBe('sent');
  });
});
