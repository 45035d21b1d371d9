/**
 * WeChat's content limits (channel-apis.md §1.5), checked on the payload exactly
 * as it will be sent. Each error names the field, the count, the limit, what to
 * change, and the content file and line it comes from when there is one.
 */
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import { advisoryKeyPlace, campaignKeyPlace, type Place } from '../../render/positions.js';
import type { WechatArticle } from './article.js';

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

  if (articles.length > maxArticles) {
    add('wechat-article-count', 'articles', `the draft has ${articles.length} articles; WeChat allows at most ${maxArticles} in one draft. Split the campaign's schedule (\`advisories:\` per schedule entry) so each occurrence carries at most ${maxArticles}.`, campaignPlace('schedule'));
  }
  if (articles.length === 0) add('wechat-no-articles', 'articles', 'the draft has no articles.', campaignPlace('schedule'));

  articles.forEach((a, i) => {
    const advisory = ctx.advisories[i];
    const at = (key: string): Place => (advisory ? advisoryKeyPlace(ctx.campaign, advisory, key) : { file: ctx.campaign.file });
    const field = (name: string): string => `articles[${i}].${name}`;
    // staff count articles from 1 and know them by file: "article 3 of 4 (03-robbery.md)"
    const label = `article ${i + 1} of ${articles.length}${advisory ? ` (${advisory.file.split('/').pop()})` : ''}`;
    const chars = (v: string): number => [...v].length;

    if (chars(a.title) > titleMax) {
      add('wechat-title-length', field('title'), `${label}: the title is ${chars(a.title)} characters; WeChat allows at most ${titleMax}. Shorten the advisory's title.`, at('title'));
    }
    if (chars(a.author) > authorMax) {
      const where = advisory?.author ? at('author') : ctx.campaign.author ? campaignPlace('author') : { file: ctx.config.file ?? 'channels/wechat.yaml' };
      add('wechat-author-length', field('author'), `${label}: the author is ${chars(a.author)} characters; WeChat allows at most ${authorMax}. Shorten \`author\`.`, where);
    }
    if (chars(a.digest) > digestMax) {
      add('wechat-digest-length', field('digest'), `${label}: the digest (the advisory's summary) is ${chars(a.digest)} characters; WeChat allows at most ${digestMax}. Shorten the advisory's summary.`, at('summary'));
    }
    if (chars(a.content) >= contentMaxChars) {
      add('wechat-content-length', field('content'), `${label}: the text is ${chars(a.content)} characters; WeChat allows fewer than ${contentMaxChars}. Shorten the advisory or split it in two.`, { file: advisory?.file ?? ctx.campaign.file });
    }
    const bytes = Buffer.byteLength(a.content, 'utf8');
    if (bytes >= CONTENT_MAX_BYTES) {
      add('wechat-content-size', field('content'), `${label}: the text is ${bytes} bytes; WeChat allows less than 1 MB. Shorten the advisory.`, { file: advisory?.file ?? ctx.campaign.file });
    }
    for (const m of a.content.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)) {
      // asset:inline:… is one of the campaign's images: uploaded at publish time.
      if (!/^https?:\/\/mmbiz\.qpic\.cn\//.test(m[1]) && !m[1].startsWith('asset:inline:')) {
        add('wechat-inline-image', field('content'), `${label}: the text has an image (${m[1]}) that is not uploaded to WeChat; WeChat removes such images from articles. Use the campaign cover, or put the picture on the website only.`, { file: advisory?.file ?? ctx.campaign.file }, 'warning');
      }
    }
    const urlBytes = Buffer.byteLength(a.content_source_url, 'utf8');
    if (urlBytes > SOURCE_URL_MAX_BYTES) {
      add('wechat-source-url-length', field('content_source_url'), `${label}: the link to the website (content_source_url) is ${urlBytes} bytes; WeChat allows at most 1 KB. Use a shorter website base_url or advisory id.`, at('id'));
    }
  });

  const cover = payload.assets?.find((x) => x.role === 'cover');
  if (!cover) {
    add('wechat-cover-missing', 'thumb_media_id', `the draft has no cover image, which WeChat requires. Set \`cover:\` in campaign.yaml to an image in the campaign folder.`, campaignPlace('cover'));
  } else if (cover.path.startsWith('templates/')) {
    const why = ctx.campaign.cover ? `the cover "${ctx.campaign.cover}" was not found, so` : 'the campaign has no `cover:`, so';
    add('wechat-default-cover', 'thumb_media_id', `${why} the default cover ${cover.path} is used. Add an image (JPEG or PNG, under 2 MB) and name it in campaign.yaml.`, campaignPlace(ctx.campaign.cover ? 'cover' : 'title'), ctx.campaign.cover ? 'error' : 'warning');
  }
  return problems;
}
