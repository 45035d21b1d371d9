/**
 * The plain front-matter reader (content/simple-yaml.ts) against readYaml's
 * full parse (yaml's parseDocument), the definition: wherever it gives a
 * result, it is the full parse's (the value, no problems, `has` and `locate`
 * of every path, as key and as value); wherever they could differ it refuses.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simpleYaml } from '../../src/content/simple-yaml.js';
import { fullYaml, readYaml, type Path } from '../../src/content/yaml-source.js';
import { splitFrontMatter } from '../../src/content/front-matter.js';

const REPO = join(import.meta.dirname, '../..');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(md|ya?ml)$/.test(name)) out.push(p);
  }
  return out;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every path the checks may ask about: each key, each item, one past the end, below a scalar, a key not there. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [[...prefix, 'missing'], [...prefix, 0], [...prefix, -1], [...prefix, 0.5, 'x']];
  if (prefix.length === 0) out.push([]);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const key = Array.isArray(value) ? Number(k) : k;
      out.push([...prefix, key], [...prefix, key, 'x'], [...prefix, key, 0]);
      if (Array.isArray(value)) out.push([...prefix, value.length]);
      if (v && typeof v === 'object') out.push(...paths(v, [...prefix, key]));
    }
  }
  return out;
}

function agree(text: string, firstLine = 1): boolean {
  const fast = simpleYaml(text, firstLine);
  if (fast === undefined) return false;
  const full = fullYaml(text, 'f.md', firstLine);
  const label = JSON.stringify(text);
  expect(full.problems, label).toEqual([]);
  expect(fast.value, label).toEqual(full.value);
  expect(Object.keys(fast.value as object), label).toEqual(Object.keys(full.value as object));
  for (const p of paths(full.value)) {
    expect(fast.has(p), `${label} has ${JSON.stringify(p)}`).toBe(full.has(p));
    expect(fast.locate(p), `${label} locate ${JSON.stringify(p)}`).toEqual(full.locate(p));
    expect(fast.locate(p, 'key'), `${label} locate key ${JSON.stringify(p)}`).toEqual(full.locate(p, 'key'));
  }
  return true;
}

const KEYS = ['title', 'summary', 'tags', 'author', 'expires', 'id', 'image', 'image_alt', 'Weird-key', '_x', 'title', '__proto__', 'a b', '0k', 'k', 'True', 'true', 'NULL', 'null', 'False', 'Null'];
const PIECES = [
  '防范入室盗窃案件', '（第1号）', '外出前认真检查家中水电，同时将窗户和门关好。', '2014年', '国庆', '110', 'ok', 'A1', '“引号”', '：', '——', '、', '，', '　', ' ', '  ',
  ':', ': ', '#', ' #', '# ', "'", '"', '[', ']', '{', '}', ',', '&a', '*a', '!t', '|', '>', '%', '@', '`', '~', '-', '- ', '?', '.', '+', '\t', '\u0085', '\u2028', '\ufeff', '\u0007',
  'null', 'true', 'False', '1', '0x1F', '1e5', '.5', '-3', '+2', '.inf', '12:30', '2014-10-08', 'yes', 'no', 'on', '😀',
];

function scalar(r: () => number, near: number): string {
  let s = '';
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) s += r() < near ? PIECES[Math.floor(r() * PIECES.length)] : PIECES[Math.floor(r() * 5)];
  return s;
}

function frontMatter(seed: number, near: number): string {
  const r = rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < 1 + Math.floor(r() * 6); i++) {
    const key = KEYS[Math.floor(r() * (r() < near ? KEYS.length : 8))];
    const gap = r() < 0.9 ? ' ' : r() < 0.5 ? '   ' : '';
    const k = r();
    if (k < 0.55) lines.push(`${key}:${gap}${scalar(r, near)}${r() < 0.1 ? '  ' : ''}`);
    else if (k < 0.8) {
      const items = Array.from({ length: Math.floor(r() * 4) }, () => scalar(r, near));
      const sep = r() < 0.8 ? ', ' : r() < 0.5 ? ',' : ' , ';
      lines.push(`${key}:${gap}[${r() < 0.2 ? ' ' : ''}${items.join(sep)}${r() < 0.1 ? ', ' : ''}]`);
    } else if (k < 0.85) lines.push(`# ${scalar(r, near)}`);
    else if (k < 0.9) lines.push('');
    else if (k < 0.94) lines.push(`  ${key}: ${scalar(r, near)}`);
    else if (k < 0.97) lines.push(`- ${scalar(r, near)}`);
    else lines.push(`${key}:`);
  }
  return lines.join('\n') + (r() < 0.5 ? '\n' : '');
}

/** campaign.yaml-like texts: top-level keys, whole numbers, quoted strings, a schedule list of flat mappings, and slips near them. */
function campaignLike(seed: number, near: number): string {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const value = () => {
    const k = r();
    if (k < 0.5) return scalar(r, near);
    if (k < 0.65) return pick(['2014', '0', '7', '123456789', '1234567890', '012', '-1', '2014.5', '1e3', '0x10']);
    if (k < 0.72) return pick(['"0 8 * * *"', "'09:00'", '"国庆"', '"a\\"b"', "'it''s'", '" x"', '""', '"a', "'b", '"a"b"']);
    if (k < 0.8) return r() < 0.5 ? `"${scalar(r, 0.5)}"` : `'${scalar(r, 0.5)}'`;
    if (k < 0.9) return `[${Array.from({ length: Math.floor(r() * 3) }, () => pick(['website', 'wechat', 'email', '国庆节', '1', '"q"'])).join(', ')}]`;
    return pick(['2014-09-29T09:00+08:00', 'national-day', 'rotate', '6h', 'holiday', '{ holiday: -2d }', '>-', '|']);
  };
  const lines: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < 1 + Math.floor(r() * 6); i++) {
    let key = pick(KEYS.slice(0, 8).concat(['holiday', 'year', 'issuer', 'schedule']));
    if (r() > near && used.has(key)) continue;
    used.add(key);
    const k = r();
    if (k < 0.6) lines.push(`${key}: ${value()}`);
    else {
      lines.push(`${key}:`);
      const indent = r() < near ? pick(['', ' ', '   ', '    ']) : pick(['  ', '']);
      for (let j = 0; j < 1 + Math.floor(r() * 3); j++) {
        if (r() < 0.25) {
          lines.push(`${indent}- ${value()}`);
          continue;
        }
        const itemKeys = ['name', 'channels', 'at', 'cron', 'during', 'pick', 'window'];
        lines.push(`${indent}- ${pick(itemKeys)}: ${value()}`);
        for (let m = 0; m < Math.floor(r() * 4); m++) {
          const extra = r() < near ? pick([' ', '   ', '', '- ']) : '';
          if (r() < 0.1) lines.push(`${indent}  # ${scalar(r, near)}`);
          lines.push(`${indent}  ${extra}${pick(itemKeys)}: ${value()}`);
        }
        if (r() < near) lines.push(pick(['', `${indent}    deeper: x`, `${indent}  sub:`, `${indent}-`, `${indent}- - x`]));
      }
    }
    if (r() < 0.1) lines.push(pick(['', '# 注释', '  # 缩进的注释']));
  }
  return lines.join('\n') + (r() < 0.5 ? '\n' : '');
}

describe('the plain front-matter reader gives the full parse\'s result or refuses', () => {
  it('every front matter and YAML file in the repository (and the bundled advisories are read by it)', () => {
    let read = 0;
    const all = files(join(REPO, 'advisories')).concat(files(join(REPO, 'test')), files(join(REPO, 'channels')));
    for (const f of all) {
      const text = readFileSync(f, 'utf8').replace(/\r\n?/g, '\n');
      if (f.endsWith('.md')) {
        const split = splitFrontMatter(text);
        if (split.ok && agree(split.yaml, split.yamlLine)) read++;
      } else if (agree(text)) read++;
    }
    expect(read).toBeGreaterThan(5);
    for (const f of files(join(REPO, 'advisories')).filter((f) => f.endsWith('.md'))) {
      const split = splitFrontMatter(readFileSync(f, 'utf8'));
      expect(split.ok && simpleYaml(split.yaml, split.yamlLine), f).toBeTruthy();
    }
  });

  it('5,000 front matters of the shape advisories have: read, and the same', () => {
    let read = 0;
    for (let seed = 1; seed <= 5000; seed++) if (agree(frontMatter(seed, 0), 1 + (seed % 3))) read++;
    expect(read).toBeGreaterThan(1500);
  });

  it('20,000 near it (quotes, indicators, numbers, null and booleans, comments, indentation, tabs, control characters, duplicate keys): the same wherever read', () => {
    let read = 0;
    for (let seed = 1; seed <= 20_000; seed++) if (agree(frontMatter(seed + 7_000_000, 0.3), 2)) read++;
    expect(read).toBeGreaterThan(1000);
  });

  it('5,000 campaign files of the usual shape (numbers, quoted strings, a schedule list) and 20,000 near them: the same wherever read', () => {
    let read = 0;
    let lists = 0;
    for (let seed = 1; seed <= 5000; seed++) {
      const text = campaignLike(seed, 0);
      if (!agree(text)) continue;
      read++;
      if (/\n {0,2}- [a-z]+: .*\n {2,4}[a-z]+: /.test(text)) lists++; // a list of mappings of two keys or more
    }
    expect(read).toBeGreaterThan(1200);
    expect(lists).toBeGreaterThan(300);
    let near = 0;
    for (let seed = 1; seed <= 20_000; seed++) if (agree(campaignLike(seed + 9_000_000, 0.3))) near++;
    expect(near).toBeGreaterThan(1000);
  });

  it('refuses what it does not model, and readYaml still reports it', () => {
    for (const text of ['title: "转\\n义"', 'tags:\n  - a: 1\n    b:\n      - c', 'title: 2014.5', 'title: null', 'a: 1\na: 2', 'tags: [入室盗窃，诈骗]', 'title: a # 注释', 'title: a: b', 'x: &a 防范', 'title：防范', '']) {
      expect(simpleYaml(text, 1), JSON.stringify(text)).toBeUndefined();
    }
    expect(readYaml('a: 一\na: 二', 'f.md').problems.map((p) => p.rule)).toContain('duplicate-key');
    // keys the core schema reads as booleans or null are other keys in the data (True: → "true"): two of them clash
    for (const text of ['True: x', 'NULL: x', 'true: a\nTrue: b', 'k:\n- FALSE: 1\n  a: b']) expect(simpleYaml(text, 1), text).toBeUndefined();
    expect(readYaml('true: a\nTrue: b', 'f.md').problems.map((p) => p.rule)).toContain('duplicate-key');
    expect(readYaml('tags: [入室盗窃，诈骗]', 'f.md').problems.map((p) => p.rule)).toContain('full-width-punctuation');
  });
});
