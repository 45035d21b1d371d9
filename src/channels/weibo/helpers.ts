/** Handlebars helpers for templates: `{{weiboLength text}}` → the length Weibo counts (one Chinese character 1, two Latin 1, a link 20). */
import { weiboLength } from './count.js';

export const helpers = {
  weiboLength: (text: unknown) => weiboLength(String(text ?? '')),
};
