/**
 * The relay sends a delivery to the queue of the account it was recorded for
 * (queue/relay.ts), not to the one of the relay's own settings: a daemon
 * started without WeChat's secrets (`advisory run --workers 0`, its WeChat a
 * sandbox) used to put a live WeChat post on the `…wechat.sandbox` queue,
 * where no worker with the secrets ever saw it. Real processes (the built
 * CLI) on PostgreSQL + BullMQ, against the local WeChat fake; skipped,
 * visibly, unless ADVISORY_TEST_POSTGRES and ADVISORY_TEST_REDIS name servers.
 */
import { describe, expect, it } from 'vitest';
import { until } from '../daemon-process.js';
import { liveEnv, useFakes } from '../../channels/live.js';
import { SERVERS, SKIPPED, useQueueCluster } from './harness.js';

const run = SERVERS ? describe : describe.skip;
const fakes = useFakes();
const { start, bureau, daemon, publish, stopAll } = useQueueCluster();

run(SERVERS ? 'a delivery goes to the queue of the account it was recorded for' : SKIPPED, () => {
  it('daemon without WECHAT_* (--workers 0), `advisory worker --channels wechat` with them: the live post published with them goes out once', async () => {
    const b = await bureau(1);
    const d = await daemon(b);
    expect(d.stderr()).not.toContain(fakes.wechat.appid);
    const w = start(['worker', '--root', b.root, '--channels', 'wechat'], { ...b.env, ...liveEnv(fakes) });
    await until(() => /advisory worker \d+: sending/.test(w.stderr()) || w.child.exitCode !== null, 20_000, 'the worker to start');
    const p = publish(b, ['wechat'], liveEnv(fakes));
    const r = await p.exited;
    expect(r.code, `${p.stdout()}\n${p.stderr()}\n${d.stderr()}\n${w.stderr()}`).toBe(0);
    const [wechat] = (await b.store.list({})).filter((x) => x.channel === 'wechat');
    expect(wechat).toMatchObject({ state: 'sent', payload: { account: { mode: 'live' } } });
    expect(fakes.wechat.drafts.size).toBe(1);
    expect(fakes.wechat.calls('freepublish/submit')).toHaveLength(1);
    await stopAll([w, d]);
  }, 120_000);
});
