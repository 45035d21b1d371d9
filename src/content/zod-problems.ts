/**
 * Turns zod issues into Problems placed on the YAML node they are about:
 * the value for a wrong value, the key for an unknown key, the parent mapping
 * for a missing field. Messages say what was expected and received, and how to fix it.
 */
import type { z } from 'zod';
import type { Problem } from '../errors.js';
import { closest } from '../suggest.js';
import type { Path, YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

/** Example values for messages, by field name. */
const EXAMPLES: Record<string, string> = {
  title: 'title: 防范入室盗窃案件',
  issuer: 'issuer: 章丘市公安局',
  summary: 'summary: 节日外出前关好门窗、检查水电。',
  year: 'year: 2014',
  holiday: 'holiday: national-day',
  channels: 'channels: [website, wechat]',
  tags: 'tags: [入室盗窃]',
  schedule: 'schedule: [{ name: bulletin, channels: [website], at: "2014-09-29T09:00+08:00" }]',
  name: 'name: bulletin',
  at: 'at: 2014-09-29T09:00+08:00   or   at: { holiday: -2d, time: "09:00" }',
  cron: 'cron: "0 8 * * *"',
  advisories: 'advisories: [burglary, robbery]',
  'at.holiday': 'at: { holiday: -2d, time: "09:00" }',
  'at.time': 'at: { holiday: -2d, time: "09:00" }',
};

/** The example for the field at `path` (`holiday` inside `at` is an offset, not a holiday key). */
function exampleFor(path: Path): string | undefined {
  const last = String(path[path.length - 1]);
  return (path[path.length - 2] === 'at' ? EXAMPLES[`at.${last}`] : undefined) ?? EXAMPLES[last];
}

export function issuesToProblems(issues: readonly Issue[], src: YamlSource, file: string, schema: z.ZodType, data: unknown): Problem[] {
  const out: Problem[] = [];
  const add = (path: Path, target: 'value' | 'key', message: string, rule: string) =>
    out.push({ file, ...src.locate(path, target), severity: 'error', message, rule });

  for (const issue of issues) {
    const path = issue.path as Path;
    const field = fieldName(path);
    const value = getIn(data, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path);
        for (const key of issue.keys) {
          const near = closest(key, known);
          add([...path, key], 'key', `unknown field "${key}".${near ? ` Did you mean "${near}"?` : ''} Known fields here: ${known.join(', ')}`, 'unknown-key');
        }
        break;
      }
      case 'invalid_type': {
        if (value === undefined && !src.has(path)) {
          const example = exampleFor(path);
          const parent = path.length > 1 ? ` in ${fieldName(path.slice(0, -1))}` : '';
          add(path.slice(0, -1), 'value', `missing required field "${String(path[path.length - 1])}"${parent}${example ? `; add it, e.g. ${example.split('\n')[0]}` : ''}`, 'missing-field');
        } else {
          const example = exampleFor(path);
          const unquote = issue.expected === 'number' && typeof value === 'string' && /^\d+$/.test(value) ? ': remove the quotes' : '';
          const what = path.length === 0 ? `the ${file.endsWith('.md') ? 'front matter' : 'file'}` : `"${field}"`;
          add(path, 'value', `${what} should be ${article(issue.expected)}, but is ${describe(value)}${unquote}${example ? `. Example: ${example.split('\n')[0]}` : ''}`, 'wrong-type');
        }
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map(String);
        const rule = path[0] === 'holiday' ? 'unknown-holiday' : path.includes('channels') ? 'unknown-channel' : 'invalid-value';
        const what = rule === 'unknown-holiday' ? 'holiday' : rule === 'unknown-channel' ? 'channel' : `"${field}" value`;
        const near = typeof value === 'string' ? closest(value, values) : undefined;
        add(path, 'value', `unknown ${what} ${typeof value === 'string' ? JSON.stringify(value) : describe(value)}.${near ? ` Did you mean "${near}"?` : ''} Expected one of: ${values.join(', ')}`, rule);
        break;
      }
      case 'invalid_union': {
        // The value has the shape of one of the alternatives (a mapping for `at: { holiday: … }`): report what is wrong inside it.
        const branch = issue.errors.find((errs) => errs.length > 0 && !errs.some((e) => e.path.length === 0 && e.code === 'invalid_type'));
        if (branch) {
          out.push(...issuesToProblems(branch.map((e) => ({ ...e, path: [...path, ...e.path] }) as Issue), src, file, schema, data));
          break;
        }
        const example = EXAMPLES[String(path[path.length - 1])];
        add(path, 'value', `"${field}" is ${describe(value)}, which is not allowed here${example ? `; expected e.g. ${example.split('\n')[0]}` : ''}`, 'wrong-type');
        break;
      }
      case 'too_small': {
        const custom = !/^Too small/.test(issue.message);
        const reason = custom ? issue.message : issue.origin === 'string' ? 'must not be empty' : issue.origin === 'number' ? `must be at least ${String(issue.minimum)}, but is ${describe(value)}` : `needs at least ${String(issue.minimum)}`;
        add(path, 'value', `"${field}": ${reason}`, 'invalid-value');
        break;
      }
      case 'custom': {
        const params = (issue as { params?: { rule?: string; maximum?: number } }).params;
        if (params?.rule === 'too-long') {
          const length = typeof value === 'string' ? [...value.trim()].length : undefined;
          add(path, 'value', `"${field}" is too long${length !== undefined ? ` (${length})` : ''}: at most ${String(params.maximum)} characters allowed; shorten it`, 'too-long');
        } else {
          add(path, 'value', `"${field}": ${issue.message}${value !== undefined ? ` (received ${describe(value)})` : ''}`, 'invalid-value');
        }
        break;
      }
      case 'too_big': {
        // Only numbers have a zod maximum (year); text lengths are the 'too-long' refinement above.
        add(path, 'value', `"${field}" must be at most ${String(issue.maximum)}, but is ${describe(value)}`, 'invalid-value');
        break;
      }
      default:
        add(path, 'value', `"${field}": ${issue.message}${value !== undefined ? ` (received ${describe(value)})` : ''}`, 'invalid-value');
    }
  }
  return out;
}

function fieldName(path: Path): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || 'the file';
}

function article(expected: string): string {
  const names: Record<string, string> = { string: 'a text', number: 'a number', object: 'a mapping (key: value lines)', array: 'a list ([a, b] or "- " lines)', boolean: 'true or false' };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

function getIn(data: unknown, path: Path): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** The keys the schema allows for the object at `path` (for "did you mean"). */
function knownKeys(schema: z.ZodType, path: Path): string[] {
  let s: unknown = schema;
  for (const seg of path) s = child(s, seg);
  const obj = objectOf(s);
  return obj ? Object.keys(obj._zod.def.shape) : [];
}

type AnyDef = { _zod: { def: { type: string; innerType?: unknown; element?: unknown; options?: unknown[]; shape?: Record<string, unknown> } } };

function unwrap(s: unknown): AnyDef | undefined {
  let cur = s as AnyDef | undefined;
  for (let i = 0; cur?._zod?.def?.innerType && i < 10; i++) cur = cur._zod.def.innerType as AnyDef;
  return cur;
}

function objectOf(s: unknown): { _zod: { def: { shape: Record<string, unknown> } } } | undefined {
  const u = unwrap(s);
  if (!u) return undefined;
  if (u._zod.def.type === 'object') return u as never;
  if (u._zod.def.type === 'union') return (u._zod.def.options ?? []).map(objectOf).find(Boolean);
  return undefined;
}

function child(s: unknown, seg: string | number): unknown {
  const u = unwrap(s);
  if (!u) return undefined;
  if (typeof seg === 'number' && u._zod.def.type === 'array') return u._zod.def.element;
  return objectOf(u)?._zod.def.shape[String(seg)];
}
