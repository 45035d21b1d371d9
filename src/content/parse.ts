/**
 * Pure parsers: text in, data and problems out. They never touch the disk
 * (content/load.ts reads the files); `file` is only used to label problems.
 */
import type { Problem } from '../errors.js';
import { AdvisoryFrontMatterSchema, CampaignSchema, type AdvisoryFrontMatter, type CampaignData } from './schema.js';
import { splitFrontMatter } from './front-matter.js';
import { readYaml, type YamlSource } from './yaml-source.js';
import { issuesToProblems } from './zod-problems.js';
import { validateCampaign, type CheckOptions } from './validate-campaign.js';
import { dateProblem, toInstant } from './datetime.js';

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

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export function parseCampaign(text: string, file: string, options: CheckOptions = {}): ParsedCampaign {
  const source = readYaml(stripBom(text), file);
  const problems = [...source.problems];
  if (problems.some((p) => p.severity === 'error')) return { problems, source };
  if (source.value === null || source.value === undefined) {
    problems.push({ file, line: 1, column: 1, severity: 'error', rule: 'empty-file', message: 'campaign.yaml is empty: it needs at least title:, issuer: and summary: (run `advisory new <id>` for a complete example)' });
    return { problems, source };
  }
  const result = CampaignSchema.safeParse(source.value);
  if (!result.success) {
    problems.push(...issuesToProblems(result.error.issues, source, file, CampaignSchema, source.value));
    return { problems, source };
  }
  problems.push(...validateCampaign(result.data, source, file, options));
  return { data: result.data, problems, source };
}

export function parseAdvisory(text: string, file: string, options: CheckOptions = {}): ParsedAdvisory {
  const split = splitFrontMatter(stripBom(text));
  if (!split.ok) {
    return { body: '', bodyLine: 1, problems: [{ file, line: split.line, column: split.column, severity: 'error', message: split.message, rule: split.rule }] };
  }
  const body = split.body.replace(/\r\n/g, '\n');
  const { bodyLine } = split;
  const source = readYaml(split.yaml, file, split.yamlLine);
  const problems = [...source.problems];
  if (body.trim() === '') {
    problems.push({ file, line: bodyLine - 1, column: 1, severity: 'error', rule: 'empty-body', message: 'the advisory has no text after its front matter: write the Markdown text below the closing "---" line' });
  }
  if (problems.some((p) => p.severity === 'error' && p.rule !== 'empty-body')) return { body, bodyLine, problems, source };
  const value = source.value ?? {};
  const result = AdvisoryFrontMatterSchema.safeParse(value);
  if (!result.success) {
    problems.push(...issuesToProblems(result.error.issues, source, file, AdvisoryFrontMatterSchema, value));
    return { body, bodyLine, problems, source };
  }
  const fm = result.data;
  const at = (key: string, severity: Problem['severity'], message: string, rule: string) =>
    problems.push({ file, ...source.locate([key]), severity, message, rule });
  if (fm.expires) {
    const reason = dateProblem(fm.expires);
    if (reason) at('expires', 'error', `invalid date "${fm.expires}": ${reason}`, 'invalid-date');
    const t = toInstant(fm.expires, 'Asia/Shanghai');
    if (!reason && options.now && t !== undefined && t < options.now.getTime()) {
      at('expires', 'warning', `this advisory expired on ${fm.expires}: it is left out of new posts. Remove or change "expires" to publish it`, 'expired');
    }
  }
  if (fm.image && !fm.image_alt) {
    at('image', 'warning', 'the image has no description for screen readers: add image_alt: (a short sentence saying what the picture shows)', 'image-alt-missing');
  }
  return { frontMatter: fm, body, bodyLine, problems, source };
}
