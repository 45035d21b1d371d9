/** What the preview page shows of a WeChat draft: each article framed as on a phone, with its counted limits, and the cover. */
import type { Payload, PreviewContext } from '../channel.js';
import type { WechatArticle } from './article.js';
import { wechatLimits } from './limits.js';

export function preview(payload: Payload, ctx: PreviewContext): unknown {
  const limits = wechatLimits(ctx.config.settings);
  const count = (value: string, max: number) => ({ n: [...value].length, max, over: [...value].length > max });
  const list = payload.body.articles as WechatArticle[];
  const articles = list.map((a, i) => {
    const src = `${ctx.base}-${i + 1}.html`;
    ctx.files.set(src, ctx.renderer.template('preview', 'frame', { title: a.title, content: a.content }));
    return {
      title: a.title, author: a.author, digest: a.digest, src, number: i + 1, total: list.length,
      counts: { title: count(a.title, limits.titleMax), author: count(a.author, limits.authorMax), digest: count(a.digest, limits.digestMax) },
    };
  });
  const cover = payload.assets?.find((x) => x.role === 'cover');
  return { schedule: ctx.schedule, articles, cover: cover ? ctx.copyAsset(cover.path) : '' };
}
