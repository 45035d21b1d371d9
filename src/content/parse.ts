/**
 * Pure parsers: text in, data and problems out. They never touch the disk
 * (content/load.ts reads the files); `file` is only used to label problems.
 */
import type { Problem } from '../errors.js';
import { AdvisoryFrontMatterSchema, CampaignSchema, DEFAULT_TIMEZONE, type AdvisoryFrontMatter, type CampaignData } from './schema.js';
import { splitFrontMatter } from './front-matter.js';
import { readYaml, type YamlSource } from './yaml-source.js';
import { issuesToProblems } from './zod-problems.js';
import { validateCampaign, type CheckOptions } from './validate-campaign.js';
import { dateProblem, toEndInstant } from './datetime.js';
import { MAX_BODY_CHARS, MAX_MARKDOWN_DEPTH, tooDeep } from './markdown-depth.js';
import { limitMessage, markdownLimits } from './markdown-limits.js';
import { textFieldProblems } from './text-fields.js';
import { rawHtmlProblems } from './raw-html.js';
import { contentMessages } from '../i18n/messages-content.js';

/** Fields shown as one line (titles, names, tags) and those that may run over several (summaries). */
const CAMPAIGN_TEXT = { oneLine: ['title', 'issuer', 'author', 'contact', 'tags'], multiline: ['summary'] };
const ADVISORY_TEXT = { oneLine: ['title', 'author', 'tags', 'image_alt'], multiline: ['summary'] };

export interface ParsedCampaign {
  /** Present when the file has the right shape (it may still have semantic errors in `problems`). */
  data?: CampaignData;
  problems: Problem[];
  source: YamlSource;
}

export interface ParsedAdvisory {
  frontMatter?: AdvisoryFrontMatter;
  /** Markdown body with `\n` line endings. */
  body: string;
  /** 1-based line of the file where the body starts. */
  bodyLine: number;
  problems: Problem[];
  source?: YamlSource;
}

/**
 * Drops a BOM and turns CRLF (and a lone CR) into LF (columns do not move: the CR is the last
 * character of a line). The yaml parser rejects a flow list followed by a lone
 * CR at the end of its input ("tags: [a]\r"), which is how the last line of a
 * Windows front matter block arrives.
 */
const normalise = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');

export function parseCampaign(text: string, file: string, options: CheckOptions = {}): ParsedCampaign {
  const source = readYaml(normalise(text), file);
  const problems = [...source.problems];
  // An error the reader repaired (a list typed with full-width commas, split as meant) leaves a value: it is
  // still checked, so every problem of the file shows in one run; the campaign stays invalid (no data).
  const repaired = problems.some((p) => p.severity === 'error');
  if (repaired && source.value === undefined) return { problems, source };
  if (source.value === null || source.value === undefined) {
    problems.push({ file, line: 1, column: 1, severity: 'error', rule: 'empty-file', message: contentMessages().emptyCampaign });
    return { problems, source };
  }
  const result = CampaignSchema.safeParse(source.value);
  if (!result.success) {
    problems.push(...issuesToProblems(result.error.issues, source, file, CampaignSchema, source.value));
    return { problems, source };
  }
  problems.push(...textFieldProblems(result.data, source, file, CAMPAIGN_TEXT));
  problems.push(...validateCampaign(result.data, source, file, options));
  return repaired ? { problems, source } : { data: result.data, problems, source };
}

export function parseAdvisory(text: string, file: string, options: CheckOptions = {}): ParsedAdvisory {
  const split = splitFrontMatter(normalise(text));
  if (!split.ok) {
    return { body: '', bodyLine: 1, problems: [{ file, line: split.line, column: split.column, severity: 'error', message: split.message, rule: split.rule }] };
  }
  const body = split.body;
  const { bodyLine } = split;
  const source = readYaml(split.yaml, file, split.yamlLine);
  const problems = [...source.problems];
  if (body.trim() === '') {
    problems.push({ file, line: bodyLine - 1, column: 1, severity: 'error', rule: 'empty-body', message: contentMessages().emptyBody });
  } else if (body.length > MAX_BODY_CHARS) {
    problems.push({ file, line: bodyLine, column: 1, severity: 'error', rule: 'body-too-long', message: contentMessages().bodyTooLong(body.length, MAX_BODY_CHARS) });
  } else {
    // Counted before any parser sees the text: past a limit, parsing it is what would be slow.
    // Nesting found by the line scan alone is the clearer message, so it goes first.
    const over = tooDeep(body, { parse: false }) ? [] : markdownLimits(body);
    for (const e of over) problems.push({ file, line: bodyLine + e.line - 1, column: e.column, severity: 'error', rule: e.limit.rule, message: limitMessage(e) });
    const deep = over.length === 0 ? tooDeep(body) : undefined;
    if (deep) {
      problems.push({ file, line: bodyLine + deep.line - 1, column: deep.column, severity: 'error', rule: 'markdown-too-deep', message: contentMessages().markdownTooDeep(MAX_MARKDOWN_DEPTH) });
    } else if (over.length === 0) {
      // Parsed only within the limits: raw HTML the renderer drops, with the words inside it.
      problems.push(...rawHtmlProblems(body, bodyLine, file));
    }
  }
  if (problems.some((p) => p.severity === 'error' && p.rule !== 'empty-body')) return { body, bodyLine, problems, source };
  const value = source.value ?? {};
  const result = AdvisoryFrontMatterSchema.safeParse(value);
  if (!result.success) {
    problems.push(...issuesToProblems(result.error.issues, source, file, AdvisoryFrontMatterSchema, value));
    return { body, bodyLine, problems, source };
  }
  const fm = result.data;
  problems.push(...textFieldProblems(fm, source, file, ADVISORY_TEXT));
  const at = (key: string, severity: Problem['severity'], message: string, rule: string) =>
    problems.push({ file, ...source.locate([key]), severity, message, rule });
  if (fm.expires) {
    const reason = dateProblem(fm.expires);
    if (reason) at('expires', 'error', contentMessages().invalidDate(fm.expires, reason), 'invalid-date');
    const t = toEndInstant(fm.expires, DEFAULT_TIMEZONE); // a date-only expires includes its whole day
    if (!reason && options.now && t !== undefined && t < options.now.getTime()) {
      at('expires', 'warning', contentMessages().advisoryExpired(fm.expires), 'expired');
    }
  }
  if (fm.image && !fm.image_alt) {
    at('image', 'warning', contentMessages().imageAltMissing, 'image-alt-missing');
  }
  return { frontMatter: fm, body, bodyLine, problems, source };
}
