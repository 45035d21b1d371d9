/**
 * The whole message catalogue (issue 14): every table of every src/i18n/messages-*.ts, found by reading the
 * folder (a new file is checked without being named here). Each Chinese entry says something in Chinese and
 * not the English: a string as it is, a function called with sample arguments.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Lang } from '../../src/i18n/index.js';

const DIR = fileURLToPath(new URL('../../src/i18n/', import.meta.url));
/**
 * Chinese: a Han character, or Chinese punctuation: full-width forms (`advisory run：` before a message says only
 * that) and the curly quotes Chinese text quotes with (`“x”` where the English has `"x"`).
 */
const CHINESE = /[\p{Script=Han}\u3000-\u303f\uff01-\uff60\u201c\u201d]/u;

/**
 * A sample argument that can stand for any argument: a string (`x`), a number (2), a flag (true), a list of two
 * of itself, or an object whose every field is itself, so one call works for every entry's signature.
 */
function anything(): unknown {
  const pair: unknown[] = [];
  const p: unknown = new Proxy(function () {}, {
    get(_target, key) {
      if (key === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? 2 : 'x');
      if (key === Symbol.iterator) return pair[Symbol.iterator].bind(pair);
      if (key === 'length') return 2;
      if (typeof key === 'string' && key in Array.prototype && key !== 'toString') {
        return (Array.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[key].bind(pair);
      }
      return p;
    },
    apply: () => p,
  });
  pair.push(p, p);
  return p;
}

/** Arguments for entries a stand-in cannot exercise (`table.key`): a key into a table of their own, a list of pairs. */
const SAMPLES: Record<string, unknown[]> = {
  'previewMessages.channelCounts': [[['wechat', 1], ['weibo', 3]]],
  'subscribersMessages.counts': [[[120, 'active'], [3, 'pending']]],
  'publishProgressMessages.count': [298, 'sent'],
  'contentMessages.markdownLimit': ['tableColumns', 200, 12],
  'contentMessages.kindName': ['fifo'],
  'contentMessages.charName': [0x09],
  'yamlMessages.valueOther': ['number', '5'],
  'calendarMessages.basis': ['spring-festival'],
  'channelModeMessages.smtpUrlBad': ['SMTP_URL', 'scheme', 'http'],
  'calendarMessages.estimated': ['national-day', '国庆节', 2027, '2027-10-01', '2027-10-07', { kind: 'year-not-covered' }],
};

/** Entries whose Chinese is rightly not Chinese, each with why. */
const NOT_CHINESE: Record<string, string> = {
  'consoleMessages.otherLang': 'the link to the other language names it in that language',
  'consoleMessages.otherLangLabel': 'the link to the other language says it in that language',
};

type Table = (lang?: Lang) => Record<string, unknown>;

async function tables(): Promise<Array<{ file: string; name: string; table: Table }>> {
  const files = readdirSync(DIR).filter((f) => /^messages-.*\.ts$/.test(f)).sort();
  const found: Array<{ file: string; name: string; table: Table }> = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(`${DIR}${file}`).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'function' || value.length !== 0) continue;
      const en = (value as Table)('en');
      const zh = (value as Table)('zh-CN');
      if (en && zh && typeof en === 'object' && typeof zh === 'object') found.push({ file, name, table: value as Table });
    }
  }
  return found;
}

describe('the message catalogue', () => {
  it('has a table in every messages-*.ts file', async () => {
    const files = readdirSync(DIR).filter((f) => /^messages-.*\.ts$/.test(f));
    const withTables = new Set((await tables()).map((t) => t.file));
    expect(files.filter((f) => !withTables.has(f))).toEqual([]);
  });

  it('every Chinese entry, in every table, is Chinese and differs from its English', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const { file, name, table } of await tables()) {
      const en = table('en');
      const zh = table('zh-CN');
      expect(Object.keys(zh).sort(), `${file} ${name}`).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        const say = (entry: unknown): string => {
          if (typeof entry === 'string') return entry;
          const fn = entry as (...args: unknown[]) => unknown;
          return String(fn(...(SAMPLES[`${name}.${key}`] ?? Array.from({ length: fn.length }, anything))));
        };
        let e: string, z: string;
        try {
          [e, z] = [say(en[key]), say(zh[key])];
        } catch (err) {
          wrong.push(`${file} ${name}.${key}: needs sample arguments in SAMPLES (${(err as Error).message})`);
          continue;
        }
        checked++;
        if (`${name}.${key}` in NOT_CHINESE) continue;
        if (!CHINESE.test(z)) wrong.push(`${file} ${name}.${key}: not Chinese: ${z}`);
        else if (z === e) wrong.push(`${file} ${name}.${key}: the same as the English: ${z}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });

  it('the stand-in argument reads as a string, a number, a flag and a list', () => {
    const a = anything() as string & number & unknown[];
    expect(`${a}`).toBe('x');
    expect(+a).toBe(2);
    expect(a.map(String).join(', ')).toBe('x, x');
    expect(Boolean(a)).toBe(true);
  });
});
