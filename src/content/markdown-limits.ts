/**
 * Bounds on the Markdown work one advisory may cause (issue 12). The Markdown
 * parser does work per construct (≈ 0.1–0.4 ms a link, footnote reference,
 * table cell or list item, and more when many delimiters share a paragraph),
 * so 100,000 characters of `[a](`, a 200×200 table or 20,000 footnote
 * references kept `check` busy for 15–60 s. One linear pass over the text,
 * before any parser sees it, counts what drives that work and refuses a text
 * past a limit at the place it is first exceeded. Real advisories use a few
 * percent of each limit. Pure.
 */
import { contentMessages, type LimitName } from '../i18n/messages-content.js';

export interface MarkdownLimit {
  rule: string;
  /** The most allowed per advisory text. */
  max: number;
}

/**
 * The limits, by rule id (`check` reports the rule in brackets). What each counts and how a writer
 * recognises it in the text are said in the message catalogue (i18n/messages-content.ts), by name.
 */
export const MARKDOWN_LIMITS = {
  lines: { rule: 'markdown-too-many-lines', max: 150 },
  links: { rule: 'markdown-too-many-links', max: 150 },
  footnotes: { rule: 'markdown-too-many-footnotes', max: 50 },
  emphasis: { rule: 'markdown-too-much-emphasis', max: 500 },
  code: { rule: 'markdown-too-much-code', max: 200 },
  html: { rule: 'markdown-too-much-html', max: 500 },
  tableCells: { rule: 'markdown-too-many-table-cells', max: 200 },
  tableColumns: { rule: 'markdown-too-many-table-columns', max: 12 },
  elements: { rule: 'markdown-too-complex', max: 300 },
} as const satisfies Record<LimitName, MarkdownLimit>;

export type { LimitName };

export interface LimitExceeded {
  name: LimitName;
  limit: MarkdownLimit;
  /** How many the text has. */
  count: number;
  /** Where the first one past the limit is (1-based, in the body). */
  line: number;
  column: number;
}

/**
 * What each counted thing weighs in the overall `elements` limit: about what it
 * costs to parse and to render for four channels (a list item or table cell
 * ≈ 1 ms all told; an emphasis or code span takes two markers).
 */
const WEIGHTS: Partial<Record<LimitName, number>> = { lines: 1, links: 1, footnotes: 1, emphasis: 0.5, code: 0.5, html: 0.25, tableCells: 1 };

/** `|---|:--:|`, `--- | ---` and the like: a GFM table's delimiter row (at least one pipe, or it is a heading underline / rule). */
const DELIMITER_ROW = /^[ \t]{0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

const cellCount = (row: string): number => {
  const inner = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).length;
};

/**
 * Every limit the body exceeds (in the order of MARKDOWN_LIMITS), each with its
 * count and the place of the first construct past it. Linear in the body's
 * length; no regular expression here can backtrack.
 */
export function markdownLimits(body: string): LimitExceeded[] {
  const counts = new Map<LimitName, number>();
  const places = new Map<LimitName, { line: number; column: number }>();
  let elements = 0;
  const bump = (name: LimitName, line: number, column: number, by = 1) => {
    const n = (counts.get(name) ?? 0) + by;
    counts.set(name, n);
    if (n > MARKDOWN_LIMITS[name].max && !places.has(name)) places.set(name, { line, column });
    const weight = WEIGHTS[name];
    if (weight) {
      elements += by * weight;
      if (elements > MARKDOWN_LIMITS.elements.max && !places.has('elements')) places.set('elements', { line, column });
    }
  };
  const lines = body.split('\n');
  let inTable = 0; // the current table's columns, 0 outside a table
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const line = i + 1;
    if (text.trim() !== '') bump('lines', line, 1);
    for (let j = 0; j < text.length; j++) {
      const c = text[j];
      switch (c) {
        case '[':
          bump('links', line, j + 1);
          if (text[j + 1] === '^') bump('footnotes', line, j + 1);
          break;
        case '@':
          bump('links', line, j + 1);
          break;
        case '*': case '_': case '~':
          bump('emphasis', line, j + 1);
          break;
        case '`':
          bump('code', line, j + 1);
          break;
        case '<': case '&':
          bump('html', line, j + 1);
          break;
        case ':':
          // A web address in running text; not the destination of a link already counted at its "[".
          if (text.startsWith('//', j + 1) && !/\]\(<?[a-z]*$/i.test(text.slice(Math.max(0, j - 12), j))) bump('links', line, j + 1);
          break;
        case 'w': case 'W':
          if (/^www\./i.test(text.slice(j, j + 4))) bump('links', line, j + 1);
          break;
        default:
      }
    }
    // Tables: a delimiter row under a line with a pipe starts one; its rows run to a blank line.
    if (inTable > 0 && text.trim() === '') inTable = 0;
    else if (inTable > 0) bump('tableCells', line, 1, inTable);
    else if (i > 0 && DELIMITER_ROW.test(text) && text.includes('|') && lines[i - 1].includes('|')) {
      inTable = cellCount(text);
      if (inTable > MARKDOWN_LIMITS.tableColumns.max) {
        counts.set('tableColumns', Math.max(counts.get('tableColumns') ?? 0, inTable));
        if (!places.has('tableColumns')) places.set('tableColumns', { line, column: 1 });
      }
      bump('tableCells', line - 1, 1, inTable); // the header row (the delimiter row itself makes no cells)
    }
  }
  const out: LimitExceeded[] = [];
  counts.set('elements', Math.ceil(elements));
  for (const name of Object.keys(MARKDOWN_LIMITS) as LimitName[]) {
    if (name === 'elements' && out.length > 0) continue; // one of the limits above says it better
    const place = places.get(name);
    if (place) out.push({ name, limit: MARKDOWN_LIMITS[name], count: counts.get(name)!, ...place });
  }
  return out;
}

/** The message for one exceeded limit. */
export function limitMessage(e: LimitExceeded): string {
  return contentMessages().markdownLimit(e.name, e.count, e.limit.max);
}
