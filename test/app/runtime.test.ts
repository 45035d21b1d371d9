/**
 * The composition root and the channel registry: one runtime built in one
 * place, transports chosen from the configuration or injected, sandbox and
 * live differing only in the transport, every transport closed when the
 * runtime (or the daemon) stops.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime } from '../../src/app/runtime.js';
import { CHANNELS, channelDefinition, createChannelRegistry, LIVE_CHANNELS } from '../../src/channels/registry.js';
import { CHANNEL_NAMES } from '../../src/config/channel-names.js';
import { outboxFile, type Outbox } from '../../src/channels/sandbox.js';
import { startDaemon } from '../../src/server/daemon.js';
import { systemClock } from '../../src/delivery/clock.js';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import type { Payload } from '../../src/channels/channel.js';
import { silent, tmpProject } from '../delivery/helpers.js';
import { sandboxTransport as wechatSandbox } from '../../src/channels/wechat/index.js';
import { sandboxTransport as weiboSandbox } from '../../src/channels/weibo/index.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A transport that records what it was asked to send, for a channel whose transport is an outbox. */
function recordingOutbox(channel: 'weibo' | 'wechat') {
  const sent: Array<{ key: string; bytes: string }> = [];
  let closed = 0;
  const outbox: Outbox = {
    channel,
    record(key, bytes, _attempt, at) {
      sent.push({ key, bytes: String(bytes) });
      return { file: `memory:${key}`, at: at.toISOString(), existed: false };
    },
    find: (key) => (sent.some((s) => s.key === key) ? { file: `memory:${key}`, at: '2014-09-29T01:00:00.000Z' } : null),
    close: () => void closed++,
  };
  return { outbox, sent, closed: () => closed };
}

const ctx = (key: string) => ({ deliveryKey: key, attempt: 1, log: silent, now: () => new Date('2014-09-29T01:00:00Z'), root, varDir: join(root, 'var') });

describe('the channel registry', () => {
  it('lists every channel once, in the order of the names, and fails loudly on an unknown one', () => {
    expect(CHANNELS.map((c) => c.name)).toEqual([...CHANNEL_NAMES]);
    expect(() => channelDefinition('twitter' as never)).toThrow(/Unknown channel "twitter"\. Known channels: website, wechat, weibo, email\./);
    root = tmpProject();
    const rt = createRuntime({ root, env: {} });
    expect(() => rt.channels.get('twitter' as never)).toThrow(/Unknown channel "twitter"/);
  });

  it('sandbox is a transport: without credentials Weibo writes exactly the request body to the outbox', async () => {
    root = tmpProject();
    const rt = createRuntime({ root, env: {} });
    const payload: Payload = { channel: 'weibo', kind: 'status', label: 't', body: { status: '【防范入室盗窃】外出关好门窗 http://x.cn/a/' } };
    const receipt = await rt.channels.get('weibo').publish(payload, ctx('c/s/weibo/2014-09-29T01:00:00Z'));
    expect(receipt.id).toMatch(/^sandbox-weibo-\d+$/);
    expect(readFileSync(outboxFile(join(root, 'var'), 'weibo', 'c/s/weibo/2014-09-29T01:00:00Z'), 'utf8')).toBe(JSON.stringify(payload.body));
    await rt.close();
  });

  it('an injected transport is used instead, by the same channel code, and closed with the runtime', async () => {
    root = tmpProject();
    const weibo = recordingOutbox('weibo');
    const rt = createRuntime({ root, env: {}, transports: { weibo: weiboSandbox(weibo.outbox) } });
    const payload: Payload = { channel: 'weibo', kind: 'status', label: 't', body: { status: 'x' } };
    const channel = rt.channels.get('weibo');
    await channel.publish(payload, ctx('k1'));
    expect(weibo.sent).toEqual([{ key: 'k1', bytes: '{"status":"x"}' }]);
    expect(await channel.reconcile(payload, ctx('k1'))).toMatchObject({ details: { reconciled: true } });
    expect(await channel.reconcile(payload, ctx('k2'))).toBeNull();
    await rt.close();
    expect(weibo.closed()).toBe(1);
  });

  it('every channel can publish live; live e-mail while base_url is this machine: the registry refuses (run and publish exit 3), naming base_url, not the values', () => {
    root = tmpProject();
    expect(LIVE_CHANNELS).toEqual(['website', 'wechat', 'weibo', 'email']);
    const env = { SMTP_USER: 'mailer', SMTP_PASS: 'pa55word-value' };
    const rt = createRuntime({ root, env });
    expect(() => rt.channels).toThrow(/email would run live .* but channels\/website\.yaml's base_url is still http:\/\/127\.0\.0\.1:4321/);
    expect(() => createChannelRegistry({ root, env, renderer: rt.renderer, varDir: join(root, 'var') })).not.toThrow(/pa55word-value/);
  });

  it('live credentials while base_url is this machine: the registry refuses, naming base_url and the file', () => {
    root = tmpProject();
    const rt = createRuntime({ root, env: { WEIBO_ACCESS_TOKEN: 't0ken-value' } });
    expect(() => rt.channels).toThrow(/weibo would run live .* but channels\/website\.yaml's base_url is still http:\/\/127\.0\.0\.1:4321/);
    expect(() => createChannelRegistry({ root, env: { WEIBO_ACCESS_TOKEN: 't0ken-value' }, renderer: rt.renderer, varDir: join(root, 'var') })).not.toThrow(/t0ken-value/);
  });
});

describe('the runtime', () => {
  it('is built in one place and opens the store only when asked', async () => {
    root = tmpProject();
    const rt = createRuntime({ root, env: {} });
    expect(Object.keys(rt.configs).sort()).toEqual(['email', 'website', 'wechat', 'weibo']);
    expect(rt.site.baseUrl).toBe('http://127.0.0.1:4321');
    expect(rt.renderer.templatesHash).toMatch(/^[0-9a-f]{64}$/);
    const store = await rt.store();
    expect(await rt.store()).toBe(store);
    await rt.close();
  });

  it('the daemon closes every transport when it stops', async () => {
    root = tmpProject();
    const wechat = recordingOutbox('wechat');
    const weibo = recordingOutbox('weibo');
    const daemon = await startDaemon({
      root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')),
      ticker: { start() {}, stop() {} }, siteTicker: { start() {}, stop() {} }, log: silent, failpoints: parseFailpoints(undefined),
      transports: { wechat: wechatSandbox(wechat.outbox), weibo: weiboSandbox(weibo.outbox) },
    });
    await daemon.stop();
    expect([wechat.closed(), weibo.closed()]).toEqual([1, 1]);
  });
});
