/**
 * The sanitize schema for untrusted Markdown: GitHub's default, tightened.
 * - URLs: `href` only http/https/mailto/tel, `src` only http/https (relative
 *   URLs are always allowed by hast-util-sanitize); so no `javascript:`/`data:`.
 * - No `id`/`name` at all: nothing a reader's Markdown writes can clobber a
 *   page's globals or anchors.
 * - `script`/`style` content is stripped, not kept as text.
 */
import { defaultSchema } from 'rehype-sanitize';
import type { Options as SanitizeSchema } from 'rehype-sanitize';

const DROPPED_GLOBAL_ATTRIBUTES = new Set(['id', 'name']);

export const SANITIZE_SCHEMA: SanitizeSchema = Object.freeze({
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    '*': (defaultSchema.attributes?.['*'] ?? []).filter(
      (a) => !(typeof a === 'string' && DROPPED_GLOBAL_ATTRIBUTES.has(a)),
    ),
  },
  clobber: [],
  protocols: {
    ...defaultSchema.protocols,
    href: ['http', 'https', 'mailto', 'tel'],
    src: ['http', 'https'],
    cite: ['http', 'https'],
    longDesc: ['http', 'https'],
  },
  strip: ['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed'],
});

/** GFM footnotes are labelled for Chinese readers, not with remark's English defaults ("Footnotes", "Back to reference 1"). */
export const FOOTNOTE_LABELS = {
  footnoteLabel: '注释',
  footnoteBackLabel: (referenceIndex: number, rereferenceIndex: number) =>
    `返回正文 ${referenceIndex + 1}${rereferenceIndex > 1 ? `-${rereferenceIndex}` : ''}`,
} as const;
