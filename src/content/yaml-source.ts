/**
 * YAML text → plain data plus a way back from a data path to a place in the
 * file. Pure: the caller hands in text; positions are offset by `firstLine` so
 * front matter maps to lines of the .md file, not of the block.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Problem } from '../errors.js';
import { yamlMessages } from '../i18n/messages-yaml.js';
import { simpleYaml } from './simple-yaml.js';

export type { Path, Place, YamlSource } from './yaml-types.js';
import type { Path, Place, YamlSource } from './yaml-types.js';

/** Where each top-level key of a mapping is written. */
export function topLevelPlaces(source: YamlSource): Record<string, Place> {
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.keys(value).map((key) => [key, source.locate([key], 'key')]));
}

/** More alias expansions than this is a "billion laughs" document, not an advisory. */
export const MAX_ALIAS_COUNT = 100;

export function readYaml(text: string, file: string, firstLine = 1): YamlSource {
  return simpleYaml(text, firstLine) ?? fullYaml(text, file, firstLine);
}

/** readYaml through yaml's parser, for every text simple-yaml.ts does not take (and the tests' reference). */
export function fullYaml(text: string, file: string, firstLine = 1): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  const place = (offset: number): Place => {
    const { line, col } = lineCounter.linePos(Math.max(0, offset));
    return { line: line + firstLine - 1, column: col };
  };
  const problem = (offset: number, severity: Problem['severity'], message: string, rule: string): Problem => ({
    file,
    ...place(offset),
    severity,
    message,
    rule,
  });
  const problems: Problem[] = [];
  const fullWidth = doc.errors.length > 0 || !(isMap(doc.contents) || doc.contents === null) ? fullWidthProblems(text, firstLine, file) : [];
  if (fullWidth.length > 0) return { value: undefined, problems: fullWidth, has: () => false, locate: () => ({ line: firstLine, column: 1 }) };
  const reported = new Set<string>();
  for (const e of doc.errors) {
    const deep = /call stack/i.test(e.message);
    // A deeply nested document fails once per level: one line says it all.
    if (reported.has(deep ? 'deep' : `${e.code} ${e.message}`)) continue;
    reported.add(deep ? 'deep' : `${e.code} ${e.message}`);
    problems.push(deep
      ? problem(e.pos[0], 'error', yamlMessages().tooDeep, 'yaml-too-deep')
      : problem(e.pos[0], 'error', yamlMessage(e.code, e.message), e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax'));
  }
  for (const w of doc.warnings) {
    const tag = /^Unresolved tag: (\S+)/.exec(w.message);
    problems.push(problem(w.pos[0], 'warning', tag ? yamlMessages().tagIgnored(tag[1]) : yamlMessages().parserWarning(w.message), 'yaml-warning'));
  }

  // A list typed with the input method's commas is split as meant (and stays an error): the rest of the file is
  // still read and checked, so its other problems show in this run, not only after the commas are fixed.
  const parseErrors = problems.some((p) => p.severity === 'error');
  problems.push(...flowListCommas(doc, problem));

  let value: unknown;
  if (!parseErrors) {
    const missing = unresolvedAlias(doc);
    if (missing) {
      problems.push(problem(missing.offset, 'error', yamlMessages().aliasWithoutAnchor(missing.source), 'yaml-syntax'));
    } else {
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (err) {
        const bomb = /alias count/i.test((err as Error).message);
        problems.push(
          problem(0, 'error', bomb ? yamlMessages().aliasBomb(MAX_ALIAS_COUNT) : yamlMessages().unreadable((err as Error).message), bomb ? 'yaml-alias-bomb' : 'yaml-syntax'),
        );
      }
    }
  }

  const nodeAt = (path: Path): { node?: Node | null; key?: Node; nearest: Node | null } => {
    let node: Node | null = (doc.contents as Node | null) ?? null;
    let nearest: Node | null = node;
    let key: Node | undefined;
    for (const seg of path) {
      node = deref(doc, node);
      if (!node) return { nearest };
      nearest = node;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
        if (!pair) return { nearest };
        key = pair.key as Node;
        node = (pair.value as Node | null) ?? null;
        if (!node) return { node: null, key, nearest: key };
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        key = undefined;
        node = node.items[seg] as Node;
      } else {
        return { nearest };
      }
    }
    return { node, key, nearest: node ?? nearest };
  };

  return {
    value,
    problems,
    has: (path) => nodeAt(path).node !== undefined,
    locate(path, target = 'value') {
      const found = nodeAt(path);
      const chosen = target === 'key' && found.key ? found.key : (found.node ?? found.key ?? found.nearest);
      return place(chosen?.range?.[0] ?? 0);
    },
  };
}

function deref(doc: Document, node: Node | null): Node | null {
  let n = node;
  for (let i = 0; n && isAlias(n) && i < 10; i++) n = (n.resolve(doc) as Node | undefined) ?? null;
  return n;
}

function unresolvedAlias(doc: Document): { offset: number; source: string } | undefined {
  let found: { offset: number; source: string } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!node.resolve(doc)) {
        found = { offset: node.range?.[0] ?? 0, source: node.source };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Chinese input methods type a full-width colon "：" or space "　" where YAML
 * needs an ASCII ": ". The parser then reports something cryptic ("Implicit keys
 * need to be on a single line"), so when the YAML does not read as a mapping,
 * look for those first and say exactly which character to retype.
 */
const FULL_WIDTH_KEY = /^([ ]*(?:- +)?)([A-Za-z_][A-Za-z0-9_-]*)([ \t]*)(：|:\u3000)/;

function fullWidthProblems(text: string, firstLine: number, file: string): Problem[] {
  const out: Problem[] = [];
  text.split('\n').forEach((line, i) => {
    const at = (column: number, message: string) => out.push({ file, line: firstLine + i, column, severity: 'error', message, rule: 'full-width-punctuation' });
    const indent = /^[ ]*\u3000/.exec(line);
    if (indent) {
      at(indent[0].length, yamlMessages().fullWidthIndent);
      return;
    }
    const m = FULL_WIDTH_KEY.exec(line);
    if (!m) return;
    const column = m[1].length + m[2].length + m[3].length + 1;
    at(column, m[4] === '：' ? yamlMessages().fullWidthColon(m[2]) : yamlMessages().fullWidthSpaceAfterColon(m[2]));
  });
  return out;
}

/**
 * `channels: [website，wechat，email]` or `tags: [入室盗窃、防盗]`: a Chinese input method's comma "，" or
 * enumeration comma "、" inside a [ ] list is not a separator to YAML, so the list has one item
 * "website，wechat，email". Each such item is an error naming the character, and is split as meant, so the
 * checks that follow see the intended list and report nothing else about it.
 */
const CHINESE_COMMA = /[，、]/;

function flowListCommas(doc: Document, problem: (offset: number, severity: Problem['severity'], message: string, rule: string) => Problem): Problem[] {
  const out: Problem[] = [];
  visit(doc, {
    Seq(_, seq) {
      if (!seq.flow) return;
      for (let i = 0; i < seq.items.length; i++) {
        const item = seq.items[i];
        if (!isScalar(item) || typeof item.value !== 'string' || !CHINESE_COMMA.test(item.value)) continue;
        const text = item.value;
        const char = CHINESE_COMMA.exec(text)![0];
        const parts = text.split(CHINESE_COMMA).map((t) => t.trim()).filter(Boolean);
        const offset = (item.range?.[0] ?? 0) + Math.max(0, (item.source ?? text).indexOf(char));
        out.push(problem(offset, 'error', yamlMessages().listComma(text, char, parts.join(', ')), 'full-width-punctuation'));
        seq.items.splice(i, 1, ...parts.map((t) => doc.createNode(t)));
        i += parts.length - 1;
      }
    },
  });
  return out;
}

/** The hint for each parser error code (the parser's own sentence alone says too little to staff). */
const HINTS = {
  DUPLICATE_KEY: 'hintDuplicateKey',
  TAB_AS_INDENT: 'hintTabIndent',
  BAD_INDENT: 'hintBadIndent',
  MISSING_CHAR: 'hintMissingChar',
  BLOCK_AS_IMPLICIT_KEY: 'hintColonInValue',
  MULTIPLE_DOCS: 'hintMultipleDocs',
  BAD_SCALAR_START: 'hintBadScalarStart',
} as const satisfies Record<string, keyof ReturnType<typeof yamlMessages>>;

function yamlMessage(code: string, message: string): string {
  const hint = HINTS[code as keyof typeof HINTS];
  return yamlMessages().invalid(message.replace(/\.$/, ''), hint && yamlMessages()[hint]);
}
