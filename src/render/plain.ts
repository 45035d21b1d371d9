/**
 * Front-matter strings (titles, summaries) are plain text. They reach HTML only
 * through Handlebars' escaping `{{ }}`; for text-only outputs (WeChat title and
 * digest, Weibo status, e-mail subject and text part) any markup in them is
 * removed here, so no tag ever reaches an output, escaped or not.
 */

const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef';
const CJK_GAP = new RegExp(`([${CJK}]) (?=[${CJK}])`, 'g');
const TAG = /<\/?[a-zA-Z!][^<>]*>?/g;

export function plainText(s: string): string {
  let prev: string;
  let out = s;
  do {
    prev = out;
    out = out.replace(TAG, '');
  } while (out !== prev);
  // YAML's folded scalars put a space where a line broke; between Chinese characters it is noise.
  return out.replace(/\s+/g, ' ').replace(CJK_GAP, '$1').trim();
}
