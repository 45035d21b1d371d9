/**
 * Front matter of the plainest kind, read a line at a time: a flat mapping of
 * `key: text` and `key: [a, b]` lines, as nearly every advisory has it
 * (title, summary, tags). For such a text this gives the same value, and the
 * same places for every data path, as readYaml's full parse (yaml's
 * parseDocument with source positions, ≈ 0.15 ms a file, a tenth of a cold
 * site build); for anything else (quotes, block lists, nesting, anchors, a
 * value that may be a number, null or true, a comment after a value, a comma
 * typed by an input method, a key twice …) it returns undefined and the text
 * takes the full parse, which also says what is wrong.
 *
 * test/content/simple-yaml.test.ts holds it to the full parse (value, `has`,
 * `locate` of every path, key and value) over the repository's files and
 * thousands of generated ones, and requires a refusal wherever they could differ.
 */
import type { Path, Place, YamlSource } from './yaml-source.js';

type SimpleNode =
  | { kind: 'scalar'; offset: number; value: string }
  | { kind: 'seq'; offset: number; items: SimpleNode[] }
  | { kind: 'map'; offset: number; pairs: Array<{ key: string; keyOffset: number; value: SimpleNode }> };

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):( +)(.*?) *$/;
/** A plain scalar this reader takes as text: no indicator first, nothing that could end it or make it another type. */
const UNSAFE_START = /^[-?:,[\]{}#&*!|>'"%@`~.+\s]/;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
const UNSAFE_ANYWHERE = /: |:$| #/;
/** Inside a [ ] list, also the flow indicators; and the input method's commas, which the full reader reports. */
const UNSAFE_IN_FLOW = /[[\]{},，、]/;
/** The core schema's words for null and booleans. */
const SPECIAL_WORDS = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** A core-schema number is ASCII: text that starts with a digit is text only when it holds another character too. */
const MAY_BE_NUMBER = /^[0-9][\x20-\x7e]*$/;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const plainText = (s: string, flow: boolean) =>
  s !== '' &&
  !UNSAFE_START.test(s) &&
  !CONTROL.test(s) &&
  !UNSAFE_ANYWHERE.test(s) &&
  !SPECIAL_WORDS.test(s) &&
  !MAY_BE_NUMBER.test(s) &&
  !(flow && UNSAFE_IN_FLOW.test(s));

/** YAML's white space is spaces (tabs are refused): not JavaScript's trim, which also takes U+3000 and U+FEFF. */
const trimSpaces = (s: string) => s.replace(/^ +| +$/g, '');

export function simpleYaml(text: string, firstLine: number): YamlSource | undefined {
  const lines = text.split('\n');
  const pairs: Array<{ key: string; keyOffset: number; value: SimpleNode }> = [];
  const value: Record<string, unknown> = {};
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    const start = offset;
    offset += line.length + 1;
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (CONTROL.test(line)) return undefined;
      continue; // a comment line
    }
    const m = KEY_LINE.exec(line);
    if (!m) return undefined;
    const [, key, spaces, raw] = m;
    if (RESERVED_KEYS.has(key) || Object.hasOwn(value, key) || raw === '') return undefined;
    const valueOffset = start + key.length + 1 + spaces.length;
    let node: SimpleNode;
    if (raw.startsWith('[')) {
      if (!raw.endsWith(']')) return undefined;
      const inner = raw.slice(1, -1);
      const items: SimpleNode[] = [];
      if (trimSpaces(inner) !== '') {
        let at = valueOffset + 1;
        for (const part of inner.split(',')) {
          const item = trimSpaces(part);
          const lead = item === '' ? 0 : part.indexOf(item);
          if (!plainText(item, true)) return undefined;
          items.push({ kind: 'scalar', offset: at + lead, value: item });
          at += part.length + 1;
        }
      }
      node = { kind: 'seq', offset: valueOffset, items };
      value[key] = items.map((i) => (i as { value: string }).value);
    } else {
      if (!plainText(raw, false)) return undefined;
      node = { kind: 'scalar', offset: valueOffset, value: raw };
      value[key] = raw;
    }
    pairs.push({ key, keyOffset: start, value: node });
  }
  if (pairs.length === 0) return undefined;
  const root: SimpleNode = { kind: 'map', offset: pairs[0].keyOffset, pairs };

  const place = (off: number): Place => {
    // the last line that starts at or before `off`
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + firstLine, column: off - lineStarts[lo] + 1 };
  };
  // The same walk as readYaml's nodeAt over yaml's nodes.
  const nodeAt = (path: Path): { node?: SimpleNode; key?: number; nearest: SimpleNode } => {
    let node: SimpleNode = root;
    let nearest: SimpleNode = root;
    let key: number | undefined;
    for (const seg of path) {
      nearest = node;
      if (node.kind === 'map') {
        const pair: { keyOffset: number; value: SimpleNode } | undefined = node.pairs.find((p) => p.key === String(seg));
        if (!pair) return { nearest };
        key = pair.keyOffset;
        node = pair.value;
      } else if (node.kind === 'seq' && typeof seg === 'number' && seg < node.items.length) {
        key = undefined;
        node = node.items[seg];
      } else {
        return { nearest };
      }
    }
    return { node, key, nearest: node };
  };
  return {
    value,
    problems: [],
    has: (path) => nodeAt(path).node !== undefined,
    locate(path, target = 'value') {
      const found = nodeAt(path);
      if (target === 'key' && found.key !== undefined) return place(found.key);
      return place((found.node ?? found.nearest).offset);
    },
  };
}
