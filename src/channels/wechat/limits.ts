/**
 * WeChat's content limits (channel-apis.md §1.5), checked on the payload exactly
 * as it will be sent. Each error names the field, the count, the limit, what to
 * change, and the content file and line it comes from when there is one.
 */
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import { advisoryKeyPlace, campaignKeyPlace, type Place } from '../../render/positions.js';
import type { WechatArticle } from './article.js';
import { channelMessages } from '../../i18n/messages-channels.js';

const CONTENT_MAX_BYTES = 1024 * 1024;
const SOURCE_URL_MAX_BYTES = 1024;

export interface WechatLimits {
  maxArticles: number;
  titleMax: number;
  authorMax: number;
  digestMax: number;
  contentMaxChars: number;
}

/** The limits from channels/wechat.yaml settings, falling back to WeChat's own per key (also shown by the preview). */
export function wechatLimits(settings: Record<string, unknown>): WechatLimits {
  const limit = (key: string, fallback: number): number => (Number.isFinite(Number(settings[key])) ? Number(settings[key]) : fallback);
  return {
    maxArticles: limit('max_articles', 8),
    titleMax: limit('title_max', 32),
    authorMax: limit('author_max', 16),
    digestMax: limit('digest_max', 128),
    contentMaxChars: limit('content_max_chars', 20000),
  };
}

export function checkWechat(payload: Payload, ctx: RenderContext): ChannelProblem[] {
  const { maxArticles, titleMax, authorMax, digestMax, contentMaxChars } = wechatLimits(ctx.config.settings);
  const articles = (payload.body.articles ?? []) as WechatArticle[];
  const problems: ChannelProblem[] = [];
  const add = (rule: string, field: string | undefined, message: string, place: Place, severity: 'error' | 'warning' = 'error'): void => {
    problems.push({ channel: 'wechat', severity, rule, field, message, ...place });
  };
  const campaignPlace = (key: string): Place => campaignKeyPlace(ctx.campaign, key);
  const m = channelMessages();

  if (articles.length > maxArticles) {
    add('wechat-article-count', 'articles', m.wechatArticleCount(articles.length, maxArticles), campaignPlace('schedule'));
  }
  if (articles.length === 0) add('wechat-no-articles', 'articles', m.wechatNoArticles, campaignPlace('schedule'));

  articles.forEach((a, i) => {
    const advisory = ctx.advisories[i];
    const at = (key: string): Place => (advisory ? advisoryKeyPlace(ctx.campaign, advisory, key) : { file: ctx.campaign.file });
    const field = (name: string): string => `articles[${i}].${name}`;
    // staff count articles from 1 and know them by file: "article 3 of 4 (03-robbery.md)"
    const label = m.article(i + 1, articles.length, advisory?.file.split('/').pop());
    const chars = (v: string): number => [...v].length;

    if (chars(a.title) > titleMax) {
      add('wechat-title-length', field('title'), m.wechatTitle(label, chars(a.title), titleMax), at('title'));
    }
    if (chars(a.author) > authorMax) {
      const where = advisory?.author ? at('author') : ctx.campaign.author ? campaignPlace('author') : { file: ctx.config.file ?? 'channels/wechat.yaml' };
      add('wechat-author-length', field('author'), m.wechatAuthor(label, chars(a.author), authorMax), where);
    }
    if (chars(a.digest) > digestMax) {
      add('wechat-digest-length', field('digest'), m.wechatDigest(label, chars(a.digest), digestMax), at('summary'));
    }
    if (chars(a.content) >= contentMaxChars) {
      add('wechat-content-length', field('content'), m.wechatContent(label, chars(a.content), contentMaxChars), { file: advisory?.file ?? ctx.campaign.file });
    }
    const bytes = Buffer.byteLength(a.content, 'utf8');
    if (bytes >= CONTENT_MAX_BYTES) {
      add('wechat-content-size', field('content'), m.wechatContentSize(label, bytes), { file: advisory?.file ?? ctx.campaign.file });
    }
    for (const img of a.content.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)) {
      // asset:inline:… is one of the campaign's images: uploaded at publish time.
      if (!/^https?:\/\/mmbiz\.qpic\.cn\//.test(img[1]) && !img[1].startsWith('asset:inline:')) {
        add('wechat-inline-image', field('content'), m.wechatInlineImage(label, img[1]), { file: advisory?.file ?? ctx.campaign.file }, 'warning');
      }
    }
    const urlBytes = Buffer.byteLength(a.content_source_url, 'utf8');
    if (urlBytes > SOURCE_URL_MAX_BYTES) {
      add('wechat-source-url-length', field('content_source_url'), m.wechatSourceUrl(label, urlBytes), at('id'));
    }
  });

  const cover = payload.assets?.find((x) => x.role === 'cover');
  if (!cover) {
    add('wechat-cover-missing', 'thumb_media_id', m.wechatNoCover, campaignPlace('cover'));
  } else if (cover.path.startsWith('templates/')) {
    add('wechat-default-cover', 'thumb_media_id', m.wechatDefaultCover(ctx.campaign.cover || undefined, cover.path), campaignPlace(ctx.campaign.cover ? 'cover' : 'title'), ctx.campaign.cover ? 'error' : 'warning');
  }
  return problems;
}
