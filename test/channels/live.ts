/**
 * For tests of the live WeChat and Weibo channels: the local fakes of their
 * APIs (test/fakes/), a copy of the shipped project set up to publish live to
 * them (a public base_url, a quick poll schedule), and the environment that
 * holds the credentials and points the channels at the fakes.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startWechatFake, startWeiboFake, type WechatFake, type WechatFakeOptions, type WeiboFake, type WeiboFakeOptions } from '../fakes/index.js';

/** Public, and under the Weibo fake's secure domain. */
export const LIVE_BASE_URL = 'https://www.example.gov.cn/advisories';
export const CALLBACK_TOKEN = 'callback-token-for-tests';

/** The project at `root` made ready for live publishing: base_url public; WeChat polls quickly and waits `publishWait`. */
export function makeLive(root: string, o: { poll?: string; publishWait?: string; wechat?: string; weibo?: string } = {}): void {
  const website = join(root, 'channels/website.yaml');
  writeFileSync(website, readFileSync(website, 'utf8').replace(/^base_url:.*$/m, `base_url: ${LIVE_BASE_URL}`));
  appendFileSync(join(root, 'channels/wechat.yaml'), `\npoll: "${o.poll ?? '0.2s 0.5s'}"\npublish_wait: ${o.publishWait ?? '10s'}\noptional_env:\n  callback_token: WECHAT_CALLBACK_TOKEN\n${o.wechat ?? ''}`);
  if (o.weibo) appendFileSync(join(root, 'channels/weibo.yaml'), `\n${o.weibo}`);
}

/** Credentials of the fakes' accounts and their addresses. */
export function liveEnv(f: { wechat?: WechatFake; weibo?: WeiboFake }): Record<string, string> {
  return {
    ...(f.wechat ? { WECHAT_APPID: f.wechat.appid, WECHAT_SECRET: f.wechat.secret, WECHAT_API_BASE: f.wechat.url, WECHAT_CALLBACK_TOKEN: CALLBACK_TOKEN } : {}),
    ...(f.weibo ? { WEIBO_ACCESS_TOKEN: f.weibo.token, WEIBO_API_BASE: f.weibo.url } : {}),
  };
}

/** A fresh pair of fakes for each test of the file, closed after it. */
export function useFakes(o: { wechat?: WechatFakeOptions; weibo?: WeiboFakeOptions } = {}): { readonly wechat: WechatFake; readonly weibo: WeiboFake } {
  let wechat: WechatFake | undefined;
  let weibo: WeiboFake | undefined;
  beforeEach(async () => {
    wechat = await startWechatFake({ publishDelayMs: 100, ...o.wechat });
    weibo = await startWeiboFake({ ...o.weibo });
  });
  afterEach(async () => {
    await wechat?.close();
    await weibo?.close();
  });
  return {
    get wechat() {
      return wechat!;
    },
    get weibo() {
      return weibo!;
    },
  };
}

/** Every string in `texts` that contains one of the secrets (none may). */
export function leaks(texts: string[], secrets: string[]): string[] {
  return texts.filter((t) => secrets.some((s) => s.length > 0 && t.includes(s)));
}
