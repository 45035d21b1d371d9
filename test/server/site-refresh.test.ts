/**
 * The daemon refreshes the public site for the date: once at start, then on
 * its daily tick, with the injected clock (the home page leads with the current
 * or next holiday, so it changes with the date). No site published: nothing built.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { ManualClock, type Ticker } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { refreshSiteIfPublished } from '../../src/delivery/site-refresh.js';
import { main } from '../../src/cli/main.js';
import { silent, tmpProject, withStore } from '../delivery/helpers.js';

let root: string;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** A ticker the test fires by hand (the production one is node-cron, 00:05 Asia/Shanghai). */
class HandTicker implements Ticker {
  onTick: (() => void) | null = null;
  start(onTick: () => void) { this.onTick = onTick; }
  stop() { this.onTick = null; }
}

const home = () => readFileSync(join(root, 'var/site/index.html'), 'utf8');
const kicker = () => /<p class="kicker">([^<]*)<\/p>/.exec(home())?.[1];

async function start(clock: ManualClock, siteTicker: Ticker) {
  daemon = await startDaemon({
    root, env: {}, port: 0, host: '127.0.0.1', clock, siteTicker,
    ticker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined),
  });
}

describe('daily public site refresh', () => {
  it('rebuilds the home page for the date at start and on each daily tick', async () => {
    root = tmpProject();
    rmSync(join(root, 'advisories/national-day'), { recursive: true });
    const published = await main(['publish', '2014-national-day', '--now', '--channel', 'website', '--root', root], {
      out: () => {}, err: () => {}, env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => new Date('2014-09-28T02:00:00Z'),
    });
    expect(published).toBe(0);
    expect(kicker()).toBe('即将到来：国庆节（10月1日至10月7日）');
    // Only the refresh may build the site here: the dispatcher has nothing left to plan.
    await withStore(join(root, 'var'), (store) => store.setMeta('planned_up_to', '2014-10-09T00:00:00.000Z'));
    // Down over the holiday; started again on Oct 2: the start-up refresh already shows it as current.
    const clock = new ManualClock('2014-10-02T03:00:00Z');
    const ticker = new HandTicker();
    await start(clock, ticker);
    expect(kicker()).toBe('国庆节期间（10月1日至10月7日）');
    expect(ticker.onTick).not.toBeNull();
    // Midnight after the holiday (00:05 Oct 8 in Shanghai): the tick rebuilds it with the clock's date.
    clock.set('2014-10-07T16:05:00Z');
    ticker.onTick!();
    expect(kicker()).toBe('最新防范提示');
    await daemon!.stop();
    daemon = undefined;
    expect(ticker.onTick).toBeNull();
  });

  it('builds nothing while no site was published, and a failing build is logged, not thrown', () => {
    root = tmpProject();
    const varDir = join(root, 'var');
    const errors: string[] = [];
    const log = { info() {}, error: (_o: unknown, msg: string) => errors.push(msg) } as unknown as typeof silent;
    const clock = new ManualClock('2014-10-02T03:00:00Z');
    expect(refreshSiteIfPublished({ root, varDir, clock, log })).toBeNull();
    expect(existsSync(join(varDir, 'site'))).toBe(false);
    // A corrupt published index: the refresh fails, says why, and returns.
    mkdirSync(join(varDir, 'site-state'), { recursive: true });
    writeFileSync(join(varDir, 'site-state', 'index.json'), '{ not json');
    expect(refreshSiteIfPublished({ root, varDir, clock, log })).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^refreshing the public site for 2014-10-02T03:00:00.000Z failed; the site stays as it was: /);
  });
});
