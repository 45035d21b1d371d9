/**
 * YAML of the plainest kind, read a line at a time: a mapping of `key: text`,
 * `key: 12`, `key: "text"` and `key: [a, b]` lines, as nearly every
 * advisory's front matter has it (title, summary, tags), and lists of such
 * flat mappings (a campaign's schedule). For such a text this gives the same value, and the
 * same places for every data path, as readYaml's full parse (yaml's
 * parseDocument with source positions, ≈ 0.15 ms a file, a tenth of a cold
 * site build); for anything else (quotes, block lists, nesting, anchors, a
 * value that may be a number, null or true, a comment after a value, a comma
 * typed by an input method, a key twice, a folded or escaped string, a
 * { } mapping …) it returns undefined and the text
 * takes the full parse, which also says what is wrong.
 *
 * test/content/simple-yaml.test.ts holds it to the full parse (value, `has`,
 * `locate` of every path, key and value) over the repository's files and
 * thousands of generated ones, and requires a refusal wherever they could differ.
 */
import { LineCounter } from 'yaml';
import type { Path, Place, YamlSource } from './yaml-types.js';

type SimpleNode =
  | { kind: 'scalar'; offset: number; value: string | number }
  | { kind: 'seq'; offset: number; items: SimpleNode[] }
  | { kind: 'map'; offset: number; pairs: Array<{ key: string; keyOffset: number; value: SimpleNode }> };

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?:( +)(.*?))? *$/;
/** A plain scalar this reader takes as text: no indicator first, nothing that could end it or make it another type. */
const UNSAFE_START = /^[-?:,[\]{}#&*!|>'"%@`~.+\s]/;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
const UNSAFE_ANYWHERE = /: |:$| #/;
/** Inside a [ ] list, also the flow indicators; and the input method's commas, which the full reader reports. */
const UNSAFE_IN_FLOW = /[[\]{},，、]/;
/** The core schema's null, booleans and numbers (yaml's `core` tags), which this reader leaves to the full parse. */
const CORE_NOT_TEXT = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0o[0-7]+|0x[0-9a-fA-F]+)$/;
/** Whole numbers it reads itself (small enough for any reader to agree on). */
const SMALL_INT = /^(?:0|[1-9][0-9]{0,8})$/;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const plainText = (s: string, flow: boolean) =>
  s !== '' && !UNSAFE_START.test(s) && !CONTROL.test(s) && !UNSAFE_ANYWHERE.test(s) && !CORE_NOT_TEXT.test(s) && !(flow && UNSAFE_IN_FLOW.test(s));

/** YAML's white space is spaces (tabs are refused): not JavaScript's trim, which also takes U+3000 and U+FEFF. */
const trimSpaces = (s: string) => s.replace(/^ +| +$/g, '');

/** A scalar: plain text, a small whole number, or a quoted string with nothing to unescape. */
function scalarAt(raw: string, offset: number, flow: boolean): SimpleNode | undefined {
  if (SMALL_INT.test(raw)) return { kind: 'scalar', offset, value: Number(raw) };
  if (!flow && raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0])) {
    const inner = raw.slice(1, -1);
    if (inner.includes(raw[0]) || inner.includes('\\') || CONTROL.test(inner) || inner.startsWith(' ') || inner.endsWith(' ')) return undefined;
    return { kind: 'scalar', offset, value: inner };
  }
  return plainText(raw, flow) ? { kind: 'scalar', offset, value: raw } : undefined;
}

/** A value written on its key's line: a scalar, or a [ ] list of scalars. */
function valueAt(raw: string, offset: number): SimpleNode | undefined {
  if (!raw.startsWith('[')) return scalarAt(raw, offset, false);
  if (!raw.endsWith(']')) return undefined;
  const inner = raw.slice(1, -1);
  const items: SimpleNode[] = [];
  if (trimSpaces(inner) !== '') {
    let at = offset + 1;
    for (const part of inner.split(',')) {
      const item = trimSpaces(part);
      const node = item === '' ? undefined : scalarAt(item, at + part.indexOf(item), true);
      if (!node) return undefined;
      items.push(node);
      at += part.length + 1;
    }
  }
  return { kind: 'seq', offset, items };
}

type Pair = { key: string; keyOffset: number; value: SimpleNode };

/** `key: value` at `offset` into a map being built (undefined: not of the plain kind, or the key twice). */
function pairAt(text: string, offset: number, pairs: Pair[], allowEmpty: boolean): { pair?: Pair; empty?: string } | undefined {
  const m = KEY_LINE.exec(text);
  if (!m) return undefined;
  const [, key, spaces, raw] = m;
  // a key the core schema reads as null or a boolean (True:, NULL:) becomes another key in the data: the full parse's
  if (RESERVED_KEYS.has(key) || CORE_NOT_TEXT.test(key) || pairs.some((p) => p.key === key)) return undefined;
  if (raw === undefined || raw === '') return allowEmpty ? { empty: key } : undefined;
  const value = valueAt(raw, offset + key.length + 1 + spaces.length);
  if (!value) return undefined;
  const pair = { key, keyOffset: offset, value };
  pairs.push(pair);
  return { pair };
}

/** The data a node stands for, as yaml's toJS gives it. */
function toJS(node: SimpleNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJS);
  return Object.fromEntries(node.pairs.map((p) => [p.key, toJS(p.value)]));
}

export function simpleYaml(text: string, firstLine: number): YamlSource | undefined {
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  const lineCounter = new LineCounter(); // the full reader's own way from an offset to a line and column
  for (let i = 0, off = 0; i < lines.length; i++) {
    lineStarts.push(off);
    lineCounter.addNewLine(off);
    off += lines[i].length + 1;
  }
  // the lines that hold something (not blank, not a comment), with their indentation
  const content: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (CONTROL.test(line)) return undefined;
    const body = line.replace(/^ +/, '');
    if (body === '' || body.startsWith('#')) continue;
    content.push(i);
  }
  const indentOf = (i: number) => lines[i].length - lines[i].replace(/^ +/, '').length;
  const pairs: Pair[] = [];
  for (let c = 0; c < content.length; c++) {
    const i = content[c];
    if (indentOf(i) !== 0) return undefined;
    const got = pairAt(lines[i], lineStarts[i], pairs, true);
    if (!got) return undefined;
    if (got.pair) continue;
    // `key:` alone: a block list follows, each item a scalar or a flat mapping
    const next = content[c + 1];
    if (next === undefined) return undefined;
    const n = indentOf(next);
    if (!lines[next].startsWith('- ', n)) return undefined;
    const items: SimpleNode[] = [];
    while (c + 1 < content.length && indentOf(content[c + 1]) === n && lines[content[c + 1]].startsWith('- ', n)) {
      const at = content[++c];
      const itemText = lines[at].slice(n + 2);
      if (itemText.startsWith(' ')) return undefined;
      const itemOffset = lineStarts[at] + n + 2;
      if (KEY_LINE.test(itemText)) {
        const itemPairs: Pair[] = [];
        if (!pairAt(itemText, itemOffset, itemPairs, false)) return undefined;
        while (c + 1 < content.length && indentOf(content[c + 1]) === n + 2) {
          const more = content[++c];
          if (!pairAt(lines[more].slice(n + 2), lineStarts[more] + n + 2, itemPairs, false)) return undefined;
        }
        items.push({ kind: 'map', offset: itemOffset, pairs: itemPairs });
      } else {
        const item = valueAt(itemText.replace(/ +$/, ''), itemOffset);
        if (!item) return undefined;
        items.push(item);
      }
    }
    // after the list: the next top-level key, or the end (anything else, deeper or shallower, is not modelled)
    if (c + 1 < content.length && indentOf(content[c + 1]) !== 0) return undefined;
    pairs.push({ key: got.empty!, keyOffset: lineStarts[i], value: { kind: 'seq', offset: lineStarts[next] + n, items } });
  }
  if (pairs.length === 0) return undefined;
  const root: SimpleNode = { kind: 'map', offset: pairs[0].keyOffset, pairs };

  const place = (off: number): Place => {
    const { line, col } = lineCounter.linePos(off);
    return { line: line + firstLine - 1, column: col };
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
        // -1 or 0.5 find no item: the list itself is the nearest place, as in yaml's nodes
        const item: SimpleNode | undefined = node.items[seg];
        if (item === undefined) return { nearest: node };
        key = undefined;
        node = item;
      } else {
        return { nearest };
      }
    }
    return { node, key, nearest: node };
  };
  return {
    value: toJS(root),
    problems: [],
    has: (path) => nodeAt(path).node !== undefined,
    locate(path, target = 'value') {
      const found = nodeAt(path);
      if (target === 'key' && found.key !== undefined) return place(found.key);
      return place((found.node ?? found.nearest).offset);
    },
  };
}
