/**
 * The WeChat fake's pure parts: its error type, the draft checks of channel-apis.md §1.5, and the
 * PUBLISHJOBFINISH event (XML and signature) of §1.3. Kept apart from the server so each reads on its own.
 */
import { sha1 } from './http.js';

/** A WeChat API error: answered with HTTP 200 and `{errcode, errmsg}` plus `extra` fields. */
export class WxError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function fail(errcode: number, message: string, extra?: Record<string, unknown>): never {
  throw new WxError(errcode, message, extra);
}

export type Article = Record<string, unknown>;

const CONTENT_MAX_CHARS = 20_000;
const CONTENT_MAX_BYTES = 1024 * 1024;
const SOURCE_URL_MAX_BYTES = 1024;

/** WeChat counts characters, not UTF-16 units: an emoji in a title is one. */
const chars = (v: unknown): number => [...String(v ?? '')].length;
const bytes = (v: unknown): number => Buffer.byteLength(String(v ?? ''));

/** The articles of a draft/add body, or the WeChat error for the first thing wrong with them. */
export function checkDraft(body: unknown, isPermanentMedia: (id: string) => boolean): Article[] {
  const articles = (body as { articles?: unknown } | undefined)?.articles;
  if (!Array.isArray(articles) || articles.length === 0) fail(44003, 'empty news data');
  if (articles.length > 8) fail(45008, 'article size out of limit');
  for (const article of articles as Article[]) checkArticle(article, isPermanentMedia);
  return articles as Article[];
}

function checkArticle(a: Article, isPermanentMedia: (id: string) => boolean): void {
  if (chars(a.title) > 32) fail(45003, 'title size out of limit');
  if (chars(a.author) > 16) fail(45110, 'author size out of limit');
  if (chars(a.digest) > 128) fail(45004, 'description size out of limit');
  if (chars(a.content) === 0) fail(44004, 'empty content');
  if (chars(a.content) >= CONTENT_MAX_CHARS || bytes(a.content) >= CONTENT_MAX_BYTES) fail(45002, 'content size out of limit');
  if (/<script/i.test(String(a.content))) fail(45166, 'invalid content hint');
  if (typeof a.thumb_media_id !== 'string' || !isPermanentMedia(a.thumb_media_id)) fail(40007, 'invalid media_id');
  if (bytes(a.content_source_url) > SOURCE_URL_MAX_BYTES) fail(45005, 'url size out of limit');
}

/** sha1 of token, timestamp and nonce sorted and joined: how WeChat signs a push and a receiver checks it. */
export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return sha1([token, timestamp, nonce].sort().join(''));
}

export interface ArticleDetail {
  count: number;
  item: Array<{ idx: number; article_url: string }>;
}

export interface FinishedJob {
  publish_id: string;
  status: number;
  article_id?: string;
  article_detail?: ArticleDetail;
  fail_idx: number[];
}

const cdata = (text: string): string => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** The PUBLISHJOBFINISH event as WeChat posts it (plaintext mode), with the account ids of WeChat's own example. */
export function publishEventXml(job: FinishedJob, createTime: number): string {
  const detail = job.article_detail
    ? `<article_detail><count>${job.article_detail.count}</count>` +
      job.article_detail.item.map((i) => `<item><idx>${i.idx}</idx><article_url>${cdata(i.article_url)}</article_url></item>`).join('') +
      '</article_detail>'
    : '';
  const articleId = job.article_id ? `<article_id>${cdata(job.article_id)}</article_id>` : '';
  const failIdx = job.fail_idx.map((i) => `<fail_idx>${i}</fail_idx>`).join('');
  return (
    `<xml><ToUserName>${cdata('gh_4d00ed8d6399')}</ToUserName><FromUserName>${cdata('oV5CrjpxgaGXNHIQigzNlgLTnwic')}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('PUBLISHJOBFINISH')}</Event>` +
    `<PublishEventInfo><publish_id>${job.publish_id}</publish_id><publish_status>${job.status}</publish_status>` +
    `${articleId}${detail}${failIdx}</PublishEventInfo></xml>`
  );
}
