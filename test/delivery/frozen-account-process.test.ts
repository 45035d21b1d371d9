/**
 * Regression, real processes (the built CLI): a WeChat delivery recorded for the live account was sent into
 * the sandbox and recorded `sent` by a process started without WECHAT_APPID/WECHAT_SECRET. Now: recorded
 * with the credentials (held for approval), approved and published again without them, it is held with the
 * reason (nothing in the sandbox outbox, exit 4, `status` says why); `advisory retry`, then published with
 * the credentials against the local fake of the API: posted once.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWechatFake, type WechatFake } from '../fakes/index.js';
import { liveEnv, makeLive } from '../channels/live.js';
import { assertBuilt, startProcess } from './daemon-process.js';
import { tmpProject, withStore } from './helpers.js';

const CAMPAIGN = '2014-national-day';
let fake: WechatFake | undefined;
let root: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});
beforeAll(() => assertBuilt());

/**
 * The CLI in its own process (not spawnSync: the fake answers from this one); without `creds`, no WeChat
 * variable at all (as on a machine that lacks them).
 */
async function cli(args: string[], creds: Record<string, string> | null, lang = 'en') {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const k of Object.keys(env)) if (k.startsWith('WECHAT_')) env[k] = '';
  const p = startProcess([...args, '--root', root!], { ...env, NO_COLOR: '1', LOG_LEVEL: 'info', ADVISORY_LANG: lang, ...(creds ?? {}) });
  const { code } = await p.exited;
  return { code, out: p.stdout(), err: p.stderr() };
}

const wechatRow = () => withStore(join(root!, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN })).find((d) => d.channel === 'wechat')!);

describe('a delivery recorded for a live account is not sent by a process without its credentials', () => {
  it('held with the reason, shown by status; retried and sent once by a process with them', async () => {
    fake = await startWechatFake({ publishDelayMs: 50 });
    root = tmpProject();
    rmSync(join(root, 'advisories/national-day'), { recursive: true });
    makeLive(root, { poll: '0.1s 0.2s', publishWait: '5s' });
    const creds = liveEnv({ wechat: fake });

    // Recorded by a process with the credentials: live, held for approval (nothing approved yet).
    const first = await cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now'], creds);
    expect(first.code, first.out + first.err).toBe(4);
    let d = await wechatRow();
    expect(d.state).toBe('held');
    expect(d.payload!.account).toMatchObject({ mode: 'live' });
    const account = (d.payload!.account as { id: string }).id;

    // Approved and published again by processes WITHOUT them: held with the reason, nothing sent anywhere.
    const approved = await cli(['approve', CAMPAIGN, '--by', 'tester'], null);
    expect(approved.code, approved.out + approved.err).toBe(0);
    expect((await wechatRow()).payload!.account).toEqual({ mode: 'live', id: account });
    const without = await cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now'], null);
    expect(without.code, without.out + without.err).toBe(4);
    d = await wechatRow();
    expect(d.state).toBe('held');
    expect(d.receipt).toBeNull();
    expect(d.reason).toBe(`recorded for wechat account ${account} (live), but this process has no wechat credentials (WECHAT_APPID, WECHAT_SECRET unset): start it with them, then \`advisory retry\` it`);
    expect(existsSync(join(root, 'var/outbox/wechat/sent.log'))).toBe(false);
    expect(fake.requests).toEqual([]);
    expect(without.out + without.err).not.toMatch(/"msg":"sent"/);

    const status = await cli(['status'], null);
    expect(status.out + status.err).toContain('but this process has no wechat credentials (WECHAT_APPID, WECHAT_SECRET unset)');
    const zh = await cli(['status'], null, 'zh-CN');
    expect(zh.out + zh.err).toContain('但这个进程没有wechat的凭据（未设置 WECHAT_APPID, WECHAT_SECRET）');

    // `advisory retry`, then a process with the credentials: posted once, live.
    const retried = await cli(['retry', d.key], null);
    expect(retried.code, retried.out + retried.err).toBe(0);
    const withCreds = await cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now'], creds);
    expect(withCreds.code, withCreds.out + withCreds.err).toBe(0);
    d = await wechatRow();
    expect(d.state).toBe('sent');
    expect(d.receipt!.id).not.toMatch(/^sandbox-/);
    expect(fake.calls('freepublish/submit')).toHaveLength(1);
    expect(fake.drafts.size).toBe(1);
    expect(existsSync(join(root, 'var/outbox/wechat/sent.log'))).toBe(false);
    // No secret in anything a person sees.
    for (const r of [first, without, status, withCreds]) expect(r.out + r.err).not.toContain(fake.secret);
  }, 120_000);
});
