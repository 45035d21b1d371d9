/**
 * The daemon's wake with a work queue (delivery/dispatcher.ts nextWakeAt): the
 * deliveries due now were handed to the queue by the cycle's relay, so the
 * loop does not wake at once for them again (it used to: relay pass after
 * relay pass, each reading every due row, for as long as the workers took to
 * send them); it waits for the poll, or for a delivery that falls due later,
 * or a firing. Without a queue the dispatcher sends them itself: at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src/delivery/store/index.js';
import { Dispatcher } from '../../../src/delivery/dispatcher.js';
import { parseFailpoints } from '../../../src/delivery/failpoint.js';
import { createRenderer } from '../../../src/render/create.js';
import type { ChannelName } from '../../../src/channels/channel.js';
import { newDelivery, silent, TestChannel, tmpProject } from '../helpers.js';

const T0 = new Date('2026-10-01T00:00:00Z');
let root: string;
let store: Store;

beforeEach(async () => {
  root = tmpProject();
  store = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

function dispatcher(relay?: () => Promise<void>): Dispatcher {
  return new Dispatcher({
    store, channels: new Map<ChannelName, TestChannel>([['weibo', new TestChannel('weibo', 'sandbox')]]), renderer: createRenderer(root),
    planner: { campaigns: () => [], occurrences: () => [] }, log: silent, now: () => T0, random: () => 0.5,
    root, varDir: join(root, 'var'), failpoints: parseFailpoints(undefined), relay,
  });
}

describe('the daemon\'s next wake', () => {
  it('with a queue: deliveries due now were offered by the relay, so the next wake is not now but when the next one falls due', async () => {
    await store.createDeliveries('due-now', [0, 1].map((i) => newDelivery('weibo', i, T0.toISOString())), T0);
    let relayed = 0;
    const d = dispatcher(async () => void relayed++);
    await d.wake();
    expect(relayed).toBe(1);
    // Only due ones: nothing else to wake for (the loop polls, at least once a second).
    expect(await d.nextWakeAt()).toBeNull();
    const later = new Date(T0.getTime() + 30_000);
    await store.createDeliveries('due-later', [newDelivery('weibo', 2, later.toISOString())], T0);
    // Still due now ones (min is now), and one later: the earliest pending is in the past, so the loop's poll decides.
    expect(await d.nextWakeAt()).toBeNull();
  });

  it('with a queue and only deliveries due later: wakes when the first falls due', async () => {
    const later = new Date(T0.getTime() + 30_000);
    await store.createDeliveries('due-later', [newDelivery('weibo', 0, later.toISOString())], T0);
    expect((await dispatcher(async () => {}).nextWakeAt())?.toISOString()).toBe(later.toISOString());
  });

  it('without a queue (this process sends): a delivery due now wakes it at once', async () => {
    await store.createDeliveries('due-now', [newDelivery('weibo', 0, T0.toISOString())], T0);
    expect((await dispatcher().nextWakeAt())?.toISOString()).toBe(T0.toISOString());
  });
});
