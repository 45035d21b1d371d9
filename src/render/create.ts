/**
 * The render core (DESIGN.md "render/"): one Markdown processor and one
 * Handlebars environment, built once from `<root>/templates/` and frozen.
 *
 *   const renderer = createRenderer(root);
 *   renderer.markdown(advisory.body, advisory.file)  → { html, hast, text }
 *   renderer.template('wechat', 'article', data)     → string (strict: missing field → TemplateError)
 *
 * Templates: `templates/<channel>/<name>.hbs`; partials
 * `templates/<channel>/partials/<name>.hbs`, used as `{{> <channel>/<name>}}`.
 * `*.txt.hbs` templates produce plain text and are compiled without HTML escaping.
 */
import Handlebars from 'handlebars';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Root as HastRoot } from 'hast';
import { TemplateError } from '../errors.js';
import { channelMessages } from '../i18n/messages-channels.js';
import type { MarkdownResult, Renderer } from './renderer.js';
import { FOOTNOTE_LABELS, SANITIZE_SCHEMA } from './sanitize-schema.js';
import { hastToText } from './hast-text.js';
import { registerHelpers } from './helpers.js';
import { readTemplateFiles } from './template-files.js';
import { sha256 } from '../hash.js';
import { mayUseGfm } from './gfm-gate.js';
import { simpleHast, simpleMdast } from './simple-markdown.js';

type TemplateFn = (data: unknown, options?: Handlebars.RuntimeOptions) => string;

/**
 * Every channel's rendition and the website check parse the same advisory, so
 * results are kept for the last few sources (one campaign's worth): a parse
 * costs ≈ 3 ms, a lookup nothing. Callers share the result and never modify it.
 */
const MARKDOWN_CACHE_SIZE = 64;

const TEMPLATE_PATH = /^templates\/([^/]+)\/([^/]+)\.hbs$/;
const PARTIAL_PATH = /^templates\/([^/]+)\/partials\/([^/]+)\.hbs$/;

export interface RendererOptions {
  /**
   * Keep going when a channel's template does not compile: that channel's
   * templates then throw the error (file, line) when used, and every other
   * channel renders. Without it, the first broken template throws here.
   */
  tolerant?: boolean;
  /** Helpers the channels' templates use (channels/template-helpers.ts): the render core knows no channel. */
  helpers?: Readonly<Record<string, (...args: never[]) => unknown>>;
}

export function createRenderer(root: string, options: RendererOptions = {}): Renderer {
  const { files, hash } = readTemplateFiles(root);
  const hb = Handlebars.create();
  registerHelpers(hb);
  for (const [name, fn] of Object.entries(options.helpers ?? {})) hb.registerHelper(name, fn as Handlebars.HelperDelegate);

  const templates = new Map<string, TemplateFn>();
  const broken = new Map<string, TemplateError>();
  const parsedTemplates = new Map<string, hbs.AST.Program>(); // each file parsed once: checked, searched for partials, compiled
  for (const [path, bytes] of files) {
    const partial = PARTIAL_PATH.exec(path);
    const template = partial ? null : TEMPLATE_PATH.exec(path);
    if (!partial && !template) continue;
    const channel = (partial ?? template)![1];
    let fn: TemplateFn;
    try {
      const ast = parseChecked(hb, path, bytes.toString('utf8'));
      parsedTemplates.set(path, ast);
      fn = hb.compile(ast, { strict: true, noEscape: path.endsWith('.txt.hbs') }) as TemplateFn;
    } catch (err) {
      if (!options.tolerant) throw err;
      if (!broken.has(channel)) broken.set(channel, err as TemplateError);
      fn = () => {
        throw err;
      };
    }
    if (partial) {
      hb.registerPartial(`${partial[1]}/${partial[2]}`, ((ctx: unknown, opts?: Handlebars.RuntimeOptions) =>
        run(fn, path, ctx, opts)) as unknown as Handlebars.Template);
    } else if (template) {
      templates.set(`${template[1]}/${template[2]}`, fn);
    }
  }

  // A partial no file defines fails only when rendered, and only in the branch that uses it: found here, for
  // every template, so `check` reports it (file:line:column) as `build` and `publish` would meet it.
  for (const [path, ast] of parsedTemplates) {
    const at = (PARTIAL_PATH.exec(path) ?? TEMPLATE_PATH.exec(path))!;
    if (broken.has(at[1])) continue;
    const missing = missingPartial(hb, path, ast);
    if (!missing) continue;
    if (!options.tolerant) throw missing;
    broken.set(at[1], missing);
  }

  const parsed = new Map<string, MarkdownResult>();
  const gfm = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, FOOTNOTE_LABELS).use(rehypeSanitize, SANITIZE_SCHEMA).freeze();
  const commonmark = unified().use(remarkParse).use(remarkRehype, FOOTNOTE_LABELS).use(rehypeSanitize, SANITIZE_SCHEMA).freeze();

  const renderer: Renderer = {
    templatesHash: hash,
    templateErrors: [...broken.values()],
    markdown(source: string, _file?: string): MarkdownResult {
      const cached = parsed.get(source);
      if (cached) return cached;
      const processor = mayUseGfm(source) ? gfm : commonmark;
      // The plainest bodies (nearly every advisory) are read a line at a time into remark-parse's own tree, and
      // given the hast and HTML remark-rehype, the sanitiser and hast-util-to-html make of it (simple-markdown.ts).
      const simple = processor === commonmark ? simpleMdast(source) : undefined;
      const plain = simple && simpleHast(simple);
      const hast = plain ? plain.hast : (processor.runSync(processor.parse(source)) as HastRoot);
      let html: string | undefined = plain?.html;
      let text: string | undefined;
      // html and text on demand: the channel views stringify their own (sectioned) tree, and only some read the text
      const result: MarkdownResult = {
        hast,
        get text() {
          return (text ??= hastToText(hast));
        },
        get html() {
          return (html ??= toHtml(hast));
        },
      };
      if (parsed.size >= MARKDOWN_CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
      parsed.set(source, result);
      return result;
    },
    template(channel: string, name: string, data: object): string {
      // One broken file makes the whole channel unusable (its partials may be the broken part).
      const unusable = broken.get(channel);
      if (unusable) throw unusable;
      const key = `${channel}/${name.replace(/\.hbs$/, '')}`;
      const fn = templates.get(key);
      if (!fn) {
        throw new TemplateError(channelMessages().noTemplate(name, channel, key), { file: `templates/${key}.hbs` });
      }
      return run(fn, `templates/${key}.hbs`, data);
    },
    asset(channel: string, name: string): string {
      const path = `templates/${channel}/${name}`;
      const bytes = files.get(path);
      if (!bytes) throw new TemplateError(channelMessages().missingAsset(path), { file: path });
      return bytes.toString('utf8');
    },
    assetInfo(channel: string, name: string): { path: string; sha256: string } {
      const path = `templates/${channel}/${name}`;
      const bytes = files.get(path);
      if (!bytes) throw new TemplateError(channelMessages().missingAsset(path), { file: path });
      return { path, sha256: sha256(bytes) };
    },
  };
  return Object.freeze(renderer);
}

type HbNode = { type: string; loc?: { start: { line: number; column: number } } } & Record<string, unknown>;

/** The first `{{> name}}` in a template's tree that names no registered partial (nor an inline one of this file), as an error at its place. */
function missingPartial(hb: typeof Handlebars, file: string, program: hbs.AST.Program): TemplateError | null {
  const ast = program as unknown as HbNode;
  const inline = new Set<string>();
  const used: Array<{ name: string; node: HbNode }> = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as HbNode;
    const path = n.path as { type?: string; original?: unknown } | undefined;
    const name = n.name as { type?: string; original?: unknown } | undefined;
    if ((n.type === 'DecoratorBlock' || n.type === 'Decorator') && path?.original === 'inline') {
      const first = (n.params as Array<{ value?: unknown }> | undefined)?.[0]?.value;
      if (typeof first === 'string') inline.add(first);
    }
    // {{> name}} with a literal name; {{#> name}}…{{/name}} has its own fallback, {{> (lookup …)}} is chosen at run time.
    if (n.type === 'PartialStatement' && name && (name.type === 'PathExpression' || name.type === 'StringLiteral')) {
      const partial = String(name.original);
      if (!partial.startsWith('@')) used.push({ name: partial, node: n });
    }
    for (const k in n) {
      if (k === 'loc' || k.endsWith('trip')) continue; // places and whitespace control (strip, openStrip …): no statements below
      const v = n[k];
      if (typeof v === 'object' && v !== null) visit(v);
    }
  };
  visit(ast);
  const miss = used.find((u) => !(u.name in hb.partials) && !inline.has(u.name));
  if (!miss) return null;
  const line = miss.node.loc?.start.line;
  const column = miss.node.loc ? miss.node.loc.start.column + 1 : undefined;
  const known = Object.keys(hb.partials).sort();
  return new TemplateError(channelMessages().templateMissingPartial(miss.name, `${file}${line ? `:${line}:${column}` : ''}`, known.join(', ')), { file, line, column });
}

/** The template's syntax tree; a malformed template fails here, at start-up, not at first use. */
function parseChecked(hb: typeof Handlebars, file: string, source: string): hbs.AST.Program {
  try {
    return hb.parse(source);
  } catch (err) {
    throw toTemplateError(err, file);
  }
}

function run(fn: TemplateFn, file: string, data: unknown, options?: Handlebars.RuntimeOptions): string {
  try {
    return fn(data, options);
  } catch (err) {
    throw toTemplateError(err, file);
  }
}

/** Handlebars errors carry `lineNumber`/`column` (runtime) or "Parse error on line N" (syntax). */
function toTemplateError(err: unknown, file: string): TemplateError {
  if (err instanceof TemplateError) return err;
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const raw = String(e?.message ?? err);
  let line = typeof e?.lineNumber === 'number' ? e.lineNumber : undefined;
  let column = typeof e?.column === 'number' ? e.column + 1 : undefined;
  const parse = /^Parse error on line (\d+):/.exec(raw);
  if (parse) line = Number(parse[1]);
  const missing = /^"([^"]+)" not defined in/.exec(raw);
  const where = `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}`;
  const message = missing
    ? channelMessages().templateMissingField(missing[1], where)
    : channelMessages().templateBroken(raw.replace(/ - \d+:\d+$/, '').split('\n').filter(Boolean).join(' '), where);
  return new TemplateError(message, { file, line, column, cause: err });
}
