/** One article of a WeChat draft, exactly as `draft/add` takes it (channel-apis.md §1.3). */
export interface WechatArticle {
  article_type: 'news';
  title: string;
  author: string;
  digest: string;
  content: string;
  content_source_url: string;
  thumb_media_id: string;
  need_open_comment: number;
  only_fans_can_comment: number;
}
