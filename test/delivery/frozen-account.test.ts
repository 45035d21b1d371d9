/**
 * Regression: a delivery recorded for a live WeChat account was sent into the sandbox (and recorded `sent`)
 * by a process started without WECHAT_APPID/WECHAT_SECRET. The decision point: a delivery carries the account
 * it was recorded for (payload.account); the claim holds it, before the channel is called, when this
 * process's channel resolves to another mode or account. Real SQLite ledger, a real test channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/delivery/store/index.js';
import { InFlight, sendDue, sendKey, type SendDeps } from '../../src/delivery/sender.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { accountMismatch, accountOf } from '../../src/delivery/frozen-account.js';
import { loadChannelConfig, type ChannelConfig } from '../../src/config/channels.js';
import { sayReason } from '../../src/i18n/reasons.js';
import type { ChannelName } from '../../src/channels/channel.js';
import { newDelivery, REPO, seeded, silent, TestChannel } from './helpers.js';

const LIVE_ENV = { WECHAT_APPID: 'wx-test-appid', WECHAT_SECRET: 'not-a-real-secret' };
const live = loadChannelConfig(REPO, 'wechat', LIVE_ENV);
const other = loadChannelConfig(REPO, 'wechat', { ...LIVE_ENV, WECHAT_APPID: 'wx-another' });
const sandbox = loadChannelConfig(REPO, 'wechat', {});
const payload = (config: ChannelConfig | null) => ({ channel: 'wechat' as const, kind: 'draft', label: 'x', body: {}, ...(config ? { account: accountOf(config)! } : {}) });

describe('accountMismatch: the account a delivery was recorded for against this process', () => {
  it('the same account, or no account recorded (an older ledger), sends', () => {
    expect(accountMismatch(payload(live), live)).toBeNull();
    expect(accountMismatch(payload(sandbox), sandbox)).toBeNull();
    expect(accountMismatch(payload(null), sandbox)).toBeNull();
    expect(accountMismatch(payload(null), live)).toBeNull();
    const site = loadChannelConfig(REPO, 'website', {});
    expect(accountOf(site)).toBeNull();
  });

  it('live recorded, no credentials here: held, naming the unset variables and the way out; no secret in it', () => {
    const reason = accountMismatch(payload(live), sandbox)!;
    expect(reason).toBe(`recorded for wechat account ${accountOf(live)!.mode === 'live' && (accountOf(live) as { id: string }).id} (live), but this process has no wechat credentials (WECHAT_APPID, WECHAT_SECRET unset): start it with them, then \`advisory retry\` it`);
    expect(reason).not.toContain('wx-test-appid');
    expect(reason).not.toContain('not-a-real-secret');
    expect(sayReason(reason, 'zh-CN')).toMatch(/^未发出：这条发送是为wechat正式账号 [0-9a-f]{12} 生成的.*未设置 WECHAT_APPID, WECHAT_SECRET.*advisory retry/);
  });

  it('sandbox recorded, credentials here: it stays a sandbox trial; another live account: held too', () => {
    const a = accountMismatch(payload(sandbox), live)!;
    expect(a).toMatch(/^recorded for the wechat sandbox, but this process sends wechat live/);
    expect(sayReason(a, 'zh-CN')).toMatch(/^未发出：这条发送是为wechat沙盒生成的/);
    const b = accountMismatch(payload(live), other)!;
    expect(b).toMatch(/^recorded for wechat account [0-9a-f]{12} \(live\), but this process sends wechat as account [0-9a-f]{12}/);
    expect(sayReason(b, 'zh-CN')).toMatch(/^未发出：这条发送是为wechat正式账号/);
  });
});

describe('a renewed Weibo token or another SMTP relay is the same account renewed: sent, not held', () => {
  it('weibo: recorded with one token, sent with a re-authorized one; still held with no token at all', () => {
    const before = loadChannelConfig(REPO, 'weibo', { WEIBO_ACCESS_TOKEN: '2.00old' });
    const renewed = loadChannelConfig(REPO, 'weibo', { WEIBO_ACCESS_TOKEN: '2.00re-authorized' });
    const none = loadChannelConfig(REPO, 'weibo', {});
    const recorded = { channel: 'weibo' as const, kind: 'status', label: 'x', body: {}, account: accountOf(before)! };
    expect(accountOf(before)).not.toEqual(accountOf(renewed));
    expect(accountMismatch(recorded, renewed)).toBeNull();
    expect(accountMismatch(recorded, none)).toMatch(/^recorded for weibo account [0-9a-f]{12} \(live\), but this process has no weibo credentials/);
  });
});

describe('the claim holds a delivery recorded for another account, and sends it once the right process runs', () => {
  let dir: string;
  let store: Store;
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(name: ChannelName) {
    dir = mkdtempSync(join(tmpdir(), 'advisory-frozen-account-'));
    store = await openStore({ kind: 'sqlite', varDir: join(dir, 'var') });
    const now = () => new Date('2014-09-29T01:00:00Z');
    const deps = (channel: TestChannel): SendDeps => ({
      store, channels: new Map<ChannelName, TestChannel>([[name, channel]]), log: silent, now,
      random: seeded(1), root: dir, varDir: join(dir, 'var'), failpoints: parseFailpoints(undefined),
    });
    return { deps };
  }

  /** A test channel whose configuration is `config` (what this process resolved). */
  const channelWith = (name: ChannelName, config: ChannelConfig) => Object.assign(new TestChannel(name, config.mode, undefined, name === 'email' ? 3 : 1), { config });

  for (const name of ['wechat', 'email'] as const) {
    it(`${name}: one by one${name === 'email' ? ' (batched claims)' : ''}`, async () => {
      const liveConfig = name === 'wechat' ? live : loadChannelConfig(REPO, 'email', { SMTP_URL: 'smtp://127.0.0.1:2525' });
      const sandboxConfig = loadChannelConfig(REPO, name, {});
      expect(liveConfig.mode).toBe('live');
      const { deps } = await setup(name);
      const rows = [1, 2, 3].map((i) => {
        const d = newDelivery(name, i, '2014-09-29T00:00:00Z');
        return { ...d, payload: { ...d.payload!, account: accountOf(liveConfig)! } };
      });
      await store.createDeliveries('m', rows, new Date('2014-09-29T00:00:00Z'));
      // Approved: a live channel sends only approved content (not what this test is about).
      await store.recordApproval('c', 'h', 'tester', new Date('2014-09-29T00:00:00Z'));

      // A process without the credentials: nothing reaches the channel; each is held with the reason.
      const without = channelWith(name, sandboxConfig);
      await sendDue(deps(without), new InFlight());
      expect(without.calls).toEqual([]);
      for (const r of rows) {
        const d = (await store.get(r.key))!;
        expect(d.state).toBe('held');
        expect(d.reason).toContain(`but this process has no ${name} credentials`);
        expect(d.receipt).toBeNull();
      }
      // One reason for all of them (no key in it): a publish's e-mails are one line in status and on the console.
      expect(new Set(await Promise.all(rows.map(async (r) => (await store.get(r.key))!.reason))).size).toBe(1);
      // `advisory retry`, then a process with them: each sent once.
      for (const r of rows) expect(await store.retry(r.key, new Date('2014-09-29T01:00:00Z'))).toBe(true);
      const withCreds = channelWith(name, liveConfig);
      await sendDue(deps(withCreds), new InFlight());
      for (const r of rows) {
        expect((await store.get(r.key))!.state).toBe('sent');
        expect(withCreds.delivered.get(r.key)).toBe(1);
      }
    });
  }

  it('a queue worker without the credentials (sendKey) holds it too; a sandbox-recorded one is not sent live', async () => {
    const { deps } = await setup('wechat');
    const liveRow = { ...newDelivery('wechat', 1, '2014-09-29T00:00:00Z'), payload: payload(live) };
    const sandboxRow = { ...newDelivery('wechat', 2, '2014-09-29T00:00:00Z'), payload: payload(sandbox) };
    await store.createDeliveries('m', [liveRow, sandboxRow], new Date('2014-09-29T00:00:00Z'));
    const without = channelWith('wechat', sandbox);
    expect(await sendKey(deps(without), liveRow.key, 60_000)).toBe('attempted');
    expect((await store.get(liveRow.key))!.state).toBe('held');
    const withCreds = channelWith('wechat', live);
    expect(await sendKey(deps(withCreds), sandboxRow.key, 60_000)).toBe('attempted');
    expect((await store.get(sandboxRow.key))!.reason).toMatch(/^recorded for the wechat sandbox/);
    expect(without.calls).toEqual([]);
    expect(withCreds.calls).toEqual([]);
  });
});
