/** What the preview page shows of a WeChat draft: each article framed as on a phone, with its counted limits, and the cover. */
import type { Payload, PreviewContext } from '../channel.js';
import type { WechatArticle } from './article.js';
import { wechatLimits } from './limits.js';

export function preview(payload: Payload, ctx: PreviewContext): unknown {
  const limits = wechatLimits(ctx.config.settings);
  const count = (value: string, max: number) => ({ n: [...value].length, max, over: [...value].length > max });
  const list = payload.body.articles as WechatArticle[];
  // The text's own images, shown from the preview's copies (live, WeChat's URLs for the uploaded ones take their place).
  const inline = new Map((payload.assets ?? []).filter((x) => x.role === 'inline').map((x) => [x.sha256, x.path]));
  const articles = list.map((a, i) => {
    const src = `${ctx.base}-${i + 1}.html`;
    const content = a.content.replace(/asset:inline:([0-9a-f]{64})/g, (m, sha: string) => (inline.has(sha) ? besideFrame(ctx.copyAsset(inline.get(sha)!)) : m));
    ctx.files.set(src, ctx.renderer.template('preview', 'frame', { title: a.title, content }));
    return {
      title: a.title, author: a.author, digest: a.digest, src, number: i + 1, total: list.length,
      counts: { title: count(a.title, limits.titleMax), author: count(a.author, limits.authorMax), digest: count(a.digest, limits.digestMax) },
    };
  });
  const cover = payload.assets?.find((x) => x.role === 'cover');
  return { schedule: ctx.schedule, articles, cover: cover ? ctx.copyAsset(cover.path) : '' };
}

/** A preview path (`<campaign>/assets/x.png`) as the framed article, which sits in `<campaign>/`, links it. */
const besideFrame = (path: string) => path.replace(/^[^/]+\//, '');
