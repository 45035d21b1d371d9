/**
 * The render core's public shape (DESIGN.md "render/"): one Markdown processor
 * and one Handlebars environment, built once at start-up and frozen. Channel
 * renditions (channels/<name>/render.ts) use only this.
 */
import type { Root as HastRoot } from 'hast';
import type { TemplateError } from '../errors.js';

export interface MarkdownResult {
  /** Sanitised HTML fragment (no raw HTML, scripts, on* attributes, javascript:/data: URLs). */
  html: string;
  /**
   * The sanitised hast tree, for channels that post-process (WeChat footnotes,
   * plain text). Shared by every caller that renders the same source: copy it
   * before changing it (as wechat/footnotes.ts does).
   */
  hast: HastRoot;
  /** Plain-text rendition: headings, lists and links readable without HTML. */
  text: string;
}

export interface Renderer {
  /** Markdown → sanitised HTML/hast/text. `file` is only used in error messages. */
  markdown(source: string, file?: string): MarkdownResult;
  /**
   * Render `templates/<channel>/<name>.hbs` with `data`. Strict: a missing field
   * throws TemplateError naming the template file and line.
   */
  template(channel: string, name: string, data: object): string;
  /** Read a style sheet `templates/<channel>/<name>` (e.g. `style.css`). */
  asset(channel: string, name: string): string;
  /**
   * A file under `templates/<channel>/` (e.g. the default WeChat cover) by
   * project-relative path and sha256, for a payload's `assets`.
   * Added by the rendering work (additive).
   */
  assetInfo(channel: string, name: string): { path: string; sha256: string };
  /** sha256 over every template, partial and style file: part of the approval hash. */
  readonly templatesHash: string;
  /** Templates that did not compile (a tolerant renderer only): their channel cannot render until fixed. */
  readonly templateErrors?: readonly TemplateError[];
}
