/**
 * Regression (issue 8): with the daemon running, an invalid edit to
 * templates/email/message.hbs made every website attempt fail, because the
 * website publisher compiled all templates afresh. Each channel renders with
 * its own templates: a broken one holds only the deliveries that use it, with
 * the file and line in status; the others go out. Real dispatcher, live
 * renderer, sandbox channels and SQLite; an injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/delivery/store/index.js';
import { ManualClock } from '../../src/delivery/clock.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { projectPlanner } from '../../src/app/project-planner.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { createLiveRenderer } from '../../src/render/live.js';
import { followingTemplates } from '../../src/app/runtime.js';
import { createChannelRegistry } from '../../src/channels/registry.js';
import { buildStatus, formatStatus } from '../../src/delivery/status.js';
import { loadAllChannelConfigs } from '../../src/config/channels.js';
import { silent, tmpProject } from './helpers.js';

let root: string;
let store: Store;
afterEach(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

const BROKEN = '\n{{#each advisories}}\n';

function setup(start: string) {
  const clock = new ManualClock(start);
  const now = () => clock.now();
  const renderer = createLiveRenderer(root);
  const planner = projectPlanner(root, silent, now);
  const dispatcher = new Dispatcher({
    store, channels: createChannelRegistry({ root, env: {}, renderer, varDir: join(root, 'var') }), renderer, log: silent, now, random: () => 0.5,
    root, varDir: join(root, 'var'), failpoints: parseFailpoints(undefined),
    planner: followingTemplates(planner, renderer, silent),
  });
  const status = async () => formatStatus(await buildStatus(store, planner, Object.values(loadAllChannelConfigs(root, {})), now()));
  return { clock, dispatcher, status };
}

async function prepare() {
  root = tmpProject();
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  store = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
  for (const a of ['a@example.org', 'b@example.org']) await store.addSubscriber({ address: a }, new Date('2014-09-01T00:00:00Z'));
}

describe('a broken template of one channel', () => {
  it('a daemon started with a broken e-mail template: the website and WeChat go out; e-mail waits, with the file and line in status, until it is fixed', async () => {
    await prepare();
    const file = join(root, 'templates/email/message.hbs');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good + BROKEN);
    const { clock, dispatcher, status } = setup('2014-09-29T01:00:00Z');
    await dispatcher.wake();
    expect((await store.get('2014-national-day/bulletin/website/2014-09-29T01:00:00Z'))!.state).toBe('sent');
    expect((await store.get('2014-national-day/bulletin/wechat/2014-09-29T01:00:00Z'))!.state).toBe('sent');
    expect((await store.list()).filter((d) => d.channel === 'email')).toEqual([]);
    expect(await status()).toMatch(/^waiting to be created:\n {2}2014-national-day\/bulletin\/2014-09-29T01:00:00Z → email: .*templates\/email\/message\.hbs:\d+/m);
    // Fixed: the next plan creates and sends the e-mail, once per subscriber.
    writeFileSync(file, good);
    clock.advance(60_000);
    dispatcher.requestPlan();
    await dispatcher.wake();
    expect((await store.list()).filter((d) => d.channel === 'email').map((d) => d.state)).toEqual(['sent', 'sent']);
    expect(await status()).not.toContain('waiting to be created');
  });

  it('an edit that breaks the e-mail template while the daemon runs: every channel keeps the previous templates, the website included', async () => {
    await prepare();
    const { clock, dispatcher } = setup('2014-09-29T00:59:00Z');
    await dispatcher.wake();
    const file = join(root, 'templates/email/message.hbs');
    writeFileSync(file, readFileSync(file, 'utf8') + BROKEN);
    clock.set('2014-09-29T01:00:00Z');
    dispatcher.requestPlan();
    await dispatcher.wake();
    expect((await store.list()).map((d) => `${d.channel} ${d.state}`).sort()).toEqual(['email sent', 'email sent', 'website sent', 'wechat sent']);
  });
});
