/**
 * The module map (README "For developers", DESIGN.md) as a test: imports run
 * one way, top to bottom, never up and never sideways into another module's
 * internals, and no file imports itself back through others. Read from the
 * sources as text (static imports, re-exports, `import()` of a literal).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Lower levels never import higher ones; a module at one level never imports another at the same level. */
export const LEVELS: ReadonlyArray<readonly string[]> = [
  // the message catalogue imports nothing, so everything may use it (errors for its severity words)
  ['i18n'],
  ['errors', 'hash', 'suggest'],
  ['fs'],
  ['calendar'],
  ['config'],
  ['content'],
  ['schedule'],
  ['render'],
  ['channels'],
  ['delivery', 'preview'],
  ['app'],
  ['server'],
  ['cli'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Project-relative imports of a file: `{ spec, target }` with the target's path under src/. */
function importsOf(file: string): Array<{ spec: string; target: string }> {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.')).map((spec) => ({
    spec, target: relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'),
  }));
}

/** The module a file belongs to: its top folder under src/, or the file's own name at the top. */
const moduleOf = (rel: string) => (rel.includes('/') ? rel.split('/')[0] : rel.replace(/\.ts$/, ''));
const levelOf = (module: string) => LEVELS.findIndex((l) => l.includes(module));

const files = sources(SRC).map((f) => relative(SRC, f));
const graph = new Map(files.map((f) => [f, importsOf(join(SRC, f)).map((i) => i.target)]));

describe('the module map', () => {
  it('every module has a level', () => {
    expect([...new Set(files.map(moduleOf))].filter((m) => levelOf(m) < 0)).toEqual([]);
  });

  it('imports run one way: down, never up, never sideways to another module of the same level', () => {
    const wrong: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const a = moduleOf(from), b = moduleOf(to);
        if (a === b) continue;
        if (levelOf(b) >= levelOf(a)) wrong.push(`${from} → ${to} (${a} may not import ${b})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a channel is reached through its entry (index.ts; helpers.ts for its template helpers; rendition.ts for its render and check, which check and preview use without its transport): nothing outside its folder imports its other files', () => {
    const wrong: string[] = [];
    const channelOf = (rel: string) => /^channels\/([^/]+)\//.exec(rel)?.[1];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const target = channelOf(to);
        if (!target || channelOf(from) === target) continue;
        if (![`channels/${target}/index.ts`, `channels/${target}/helpers.ts`, `channels/${target}/rendition.ts`].includes(to)) wrong.push(`${from} → ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the store is reached through its entry (delivery/store/index.ts): its backends stay behind it', () => {
    const wrong: string[] = [];
    for (const [from, targets] of graph) {
      if (from.startsWith('delivery/store/')) continue;
      for (const to of targets) if (to.startsWith('delivery/store/') && to !== 'delivery/store/index.ts') wrong.push(`${from} → ${to}`);
    }
    expect(wrong).toEqual([]);
  });

  it('only the store\'s folder touches SQL', () => {
    const wrong = files.filter((f) => !f.startsWith('delivery/store/') && /from\s+['"](?:better-sqlite3|pg)['"]/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(wrong).toEqual([]);
  });

  it('tests reach the store through its interface: only test/delivery/store/ touches SQLite (better-sqlite3, the backend\'s files, .db)', () => {
    const TEST = resolve(SRC, '../test');
    // Each with why it may.
    const allowed: Record<string, string> = {
      'cli/faults.test.ts': 'holds the ledger\'s lock from a second process (fault injection)',
      'delivery/fault-recovery.test.ts': 'holds the ledger\'s lock from a second process (fault injection)',
      'cli/fault-message.test.ts': 'builds better-sqlite3 SqliteError values to check the one-line messages; opens no database',
    };
    const touches = (text: string) =>
      /['"]better-sqlite3['"]/.test(text) || /\.db\.(?:prepare|pragma|exec)\s*\(/.test(text) || /['"][./]*\/src\/delivery\/store\/sqlite\//.test(text);
    const wrong = sources(TEST)
      .map((f) => relative(TEST, f))
      .filter((f) => !f.startsWith('delivery/store/') && !(f in allowed) && touches(readFileSync(join(TEST, f), 'utf8')));
    expect(wrong).toEqual([]);
  });

  it('no file imports itself back through others (no cycles)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t) && graph.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
