/**
 * `advisory publish --now` when a channel says "not before the next hour" (a
 * rate limit, a daily quota): the command does not sit there for an hour
 * holding the dispatcher lock. It says what waits, until when and why, exits 4,
 * and the next run before then calls nothing.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/in-process.js';
import { tmpProject, withStore } from '../delivery/helpers.js';
import { liveEnv, makeLive, useFakes } from './live.js';

const fakes = useFakes();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(): string {
  const root = tmpProject();
  dirs.push(root);
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  makeLive(root);
  return root;
}

describe('publish --now and a retry far off', () => {
  it('Weibo over its hourly limit: listed as waiting until the next hour with the reason, exit 4, in well under a minute; a run before then calls nothing', async () => {
    const root = project();
    const env = { ...process.env, NO_COLOR: '1', ...liveEnv(fakes) };
    // The command's clock is set to twenty past an hour, so "the next hour" is
    // always far off: run for real within two minutes of an hour, the command
    // rightly sits through the wait instead (CI once started it at 09:59:56).
    const shift = 20 * 60_000 - (Date.now() % 3_600_000);
    const now = () => new Date(Date.now() + shift);
    await runCli(['approve', '2014-national-day', '--by', '张三', '--root', root], { env, now });
    fakes.weibo.fault('statuses/share.json', { kind: 'error', code: 10023, message: 'User requests out of rate limit!', status: 403 });
    const started = Date.now();
    const r = await runCli(['publish', '2014-national-day', '--channel', 'weibo', '--now', '--root', root], { env, now });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code, r.out + r.err).toBe(4);
    expect(r.out).toMatch(/2014-national-day: 0 sent, 0 failed, 0 held, 0 missed, 1 waiting/);
    const nextHour = new Date(Math.floor(now().getTime() / 3_600_000 + 1) * 3_600_000 + 60_000).toISOString();
    expect(r.out).toContain(`waiting 2014-national-day/manual/weibo/`);
    expect(r.out).toMatch(new RegExp(`next attempt at ${nextHour.slice(0, 16)}.*over Weibo's rate limit.*10023.*\`advisory run\` sends it then`));
    expect(fakes.weibo.calls('statuses/share.json')).toHaveLength(1);
    const again = await runCli(['publish', '2014-national-day', '--channel', 'weibo', '--now', '--root', root], { env, now });
    expect(again.code).toBe(4);
    expect(fakes.weibo.calls('statuses/share.json')).toHaveLength(1);
    const status = await runCli(['status', '--root', root], { env, now });
    expect(status.out).toMatch(/waiting to try again:\n {2}2014-national-day\/manual\/weibo\/\S+: next attempt 20\d\d-\d\d-\d\d \d\d:\d\d \(after 1 attempt; last: .*10023/);
    const d = await withStore(join(root, 'var'), async (s) => (await s.list({ campaign: '2014-national-day' }))[0]);
    expect(d.state).toBe('pending');
  });

  it('WeChat out of its daily draft quota (45009): waiting until the next Beijing midnight; no second draft/add', async () => {
    const root = project();
    const env = { ...process.env, NO_COLOR: '1', ...liveEnv(fakes) };
    // Noon in Beijing on the command's clock, so the next Beijing midnight is always far off.
    const shift = 4 * 3_600_000 - (Date.now() % 86_400_000);
    const now = () => new Date(Date.now() + shift);
    await runCli(['approve', '2014-national-day', '--by', '张三', '--root', root], { env, now });
    fakes.wechat.setQuotaUsed('draftAdd', 1000);
    const r = await runCli(['publish', '2014-national-day', '--channel', 'wechat', '--now', '--root', root], { env, now });
    expect(r.code, r.out + r.err).toBe(4);
    const beijingMidnight = new Date(Math.floor((now().getTime() + 8 * 3_600_000) / 86_400_000 + 1) * 86_400_000 - 8 * 3_600_000 + 60_000).toISOString();
    expect(r.out).toMatch(new RegExp(`waiting .*next attempt at ${beijingMidnight.slice(0, 16)}.*daily quota.*45009`));
    expect(fakes.wechat.calls('draft/add')).toHaveLength(1);
    await runCli(['publish', '2014-national-day', '--channel', 'wechat', '--now', '--root', root], { env, now });
    expect(fakes.wechat.calls('draft/add')).toHaveLength(1);
  });
});
