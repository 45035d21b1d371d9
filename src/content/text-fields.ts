/**
 * Characters no title, summary or tag should hold (issue 12): control
 * characters (NUL, BEL, ESC… and the C1 range), which terminals, mail headers
 * and the WeChat API read as commands; bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make a title read differently from
 * what it says; and a value made only of invisible characters (zero-width
 * spaces), which passes "must not be empty" but shows nothing. Pure.
 */
import type { Problem } from '../errors.js';
import type { Path, YamlSource } from './yaml-source.js';
import { contentMessages } from '../i18n/messages-content.js';
import { markupIn } from './raw-html.js';

/** Whitespace a multi-line field (summary) may hold; one-line fields hold none of it. */
const MULTILINE_WHITESPACE = new Set([0x09, 0x0a, 0x0d]);

const isControl = (cp: number) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
const isBidiControl = (cp: number) => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
/** Format characters, spaces and the fillers that render as nothing (Hangul fillers, the braille blank). */
const INVISIBLE = /^[\p{Cf}\p{Z}\p{Cc}\u115f\u1160\u3164\uffa0\u2800\u034f]*$/u;

const u = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const named = (cp: number) => {
  const name = contentMessages().charName(cp);
  return `${u(cp)}${name ? ` ${name}` : ''}`;
};

/** Why `value` may not be a `field`, or undefined. */
export function textProblem(value: string, field: string, multiline = false): { rule: string; message: string } | undefined {
  const chars = [...value];
  for (let i = 0; i < chars.length; i++) {
    const cp = chars[i].codePointAt(0)!;
    if (isControl(cp) && !(multiline && MULTILINE_WHITESPACE.has(cp))) {
      return { rule: 'control-character', message: contentMessages().controlCharacter(field, named(cp), i + 1, multiline) };
    }
    if (isBidiControl(cp)) {
      return { rule: 'bidi-control', message: contentMessages().bidiControl(field, named(cp), i + 1) };
    }
  }
  if (INVISIBLE.test(value)) {
    const shown = chars.slice(0, 4).map((c) => u(c.codePointAt(0)!)).join(' ');
    return { rule: 'invisible-text', message: contentMessages().invisibleText(field, `${shown}${chars.length > 4 ? ' …' : ''}`) };
  }
  return undefined;
}

/**
 * Problems of the listed fields of a parsed YAML mapping (`value`), each placed
 * at its value in the file. A field is a key, or a key whose value is a list
 * (`tags`): then each item is checked.
 */
export function textFieldProblems(value: unknown, source: YamlSource, file: string, fields: { oneLine: string[]; multiline: string[] }): Problem[] {
  if (typeof value !== 'object' || value === null) return [];
  const data = value as Record<string, unknown>;
  const out: Problem[] = [];
  const check = (v: unknown, path: Path, field: string, multiline: boolean) => {
    if (typeof v !== 'string') return;
    const p = textProblem(v, field, multiline);
    if (p) out.push({ file, ...source.locate(path), severity: 'error', ...p });
    // Markup is shown as other characters, or dropped: `<svg onload=…>` as a tag is published empty.
    const tag = p ? undefined : markupIn(v);
    if (tag) out.push({ file, ...source.locate(path), severity: 'warning', rule: 'markup-in-text', message: contentMessages().markupInField(field, tag) });
  };
  for (const [keys, multiline] of [[fields.oneLine, false], [fields.multiline, true]] as const) {
    for (const key of keys) {
      const v = data[key];
      if (Array.isArray(v)) v.forEach((item, i) => check(item, [key, i], `${key}`, multiline));
      else check(v, [key], key, multiline);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
