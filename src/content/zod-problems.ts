/**
 * Turns zod issues into Problems placed on the YAML node they are about:
 * the value for a wrong value, the key for an unknown key, the parent mapping
 * for a missing field. Messages say what was expected and received, and how to fix it.
 */
import type { z } from 'zod';
import type { Problem } from '../errors.js';
import { closest } from '../suggest.js';
import type { Path, YamlSource } from './yaml-source.js';
import { yamlMessages } from '../i18n/messages-yaml.js';

type Issue = z.core.$ZodIssue;
const m = yamlMessages;

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
  cron: 'cron: "0 8 * * *"',
  advisories: 'advisories: [burglary, robbery]',
  'at.holiday': 'at: { holiday: -2d, time: "09:00" }',
  'at.time': 'at: { holiday: -2d, time: "09:00" }',
};

/** The example for the field at `path` (`holiday` inside `at` is an offset, not a holiday key). */
function exampleFor(path: Path): string | undefined {
  const last = String(path[path.length - 1]);
  return (path[path.length - 2] === 'at' ? EXAMPLES[`at.${last}`] : undefined) ?? exampleOf(last);
}

/** The example for a field name (`at`'s says "or" in the reader's language). */
const exampleOf = (name: string): string | undefined => (name === 'at' ? yamlMessages().exampleAt : EXAMPLES[name]);

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
          add([...path, key], 'key', m().unknownField(key, near, known.join(', ')), 'unknown-key');
        }
        break;
      }
      case 'invalid_type': {
        if (value === undefined && !src.has(path)) {
          const example = exampleFor(path);
          const parent = path.length > 1 ? fieldName(path.slice(0, -1)) : undefined;
          add(path.slice(0, -1), 'value', m().missingField(String(path[path.length - 1]), parent, example?.split('\n')[0]), 'missing-field');
        } else {
          const example = exampleFor(path);
          const unquote = issue.expected === 'number' && typeof value === 'string' && /^\d+$/.test(value);
          const what = path.length === 0 ? (file.endsWith('.md') ? m().theFrontMatter : m().theFile) : m().quotedField(field);
          add(path, 'value', m().wrongType(what, article(issue.expected), describe(value), unquote, example?.split('\n')[0]), 'wrong-type');
        }
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map(String);
        const rule = path[0] === 'holiday' ? 'unknown-holiday' : path.includes('channels') ? 'unknown-channel' : 'invalid-value';
        const what = rule === 'unknown-holiday' ? m().whatHoliday : rule === 'unknown-channel' ? m().whatChannel : m().whatFieldValue(field);
        const near = typeof value === 'string' ? closest(value, values) : undefined;
        add(path, 'value', m().unknownValue(what, typeof value === 'string' ? JSON.stringify(value) : describe(value), near, values.join(', ')), rule);
        break;
      }
      case 'invalid_union': {
        // The value has the shape of one of the alternatives (a mapping for `at: { holiday: … }`): report what is wrong inside it.
        const branch = issue.errors.find((errs) => errs.length > 0 && !errs.some((e) => e.path.length === 0 && e.code === 'invalid_type'));
        if (branch) {
          out.push(...issuesToProblems(branch.map((e) => ({ ...e, path: [...path, ...e.path] }) as Issue), src, file, schema, data));
          break;
        }
        const example = exampleOf(String(path[path.length - 1]));
        add(path, 'value', m().notAllowedHere(field, describe(value), example?.split('\n')[0]), 'wrong-type');
        break;
      }
      case 'too_small': {
        const custom = !/^Too small/.test(issue.message);
        const reason = custom ? issue.message : issue.origin === 'string' ? m().mustNotBeEmpty : issue.origin === 'number' ? m().atLeast(String(issue.minimum), describe(value)) : m().atLeastItems(String(issue.minimum));
        add(path, 'value', m().fieldReason(field, reason), 'invalid-value');
        break;
      }
      case 'custom': {
        const params = (issue as { params?: { rule?: string; maximum?: number } }).params;
        if (params?.rule === 'too-long') {
          const length = typeof value === 'string' ? [...value.trim()].length : undefined;
          add(path, 'value', m().tooLong(field, length, String(params.maximum)), 'too-long');
        } else {
          add(path, 'value', m().fieldReasonReceived(field, issue.message, value !== undefined ? describe(value) : undefined), 'invalid-value');
        }
        break;
      }
      case 'too_big': {
        // Only numbers have a zod maximum (year); text lengths are the 'too-long' refinement above.
        add(path, 'value', m().tooBig(field, String(issue.maximum), describe(value)), 'invalid-value');
        break;
      }
      default:
        add(path, 'value', m().fieldReasonReceived(field, issue.message, value !== undefined ? describe(value) : undefined), 'invalid-value');
    }
  }
  return out;
}

function fieldName(path: Path): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || m().theFile;
}

function article(expected: string): string {
  const names: Record<string, string> = { string: m().typeString, number: m().typeNumber, object: m().typeObject, array: m().typeArray, boolean: m().typeBoolean };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === undefined) return m().valueNothing;
  if (value === null) return m().valueEmpty;
  if (Array.isArray(value)) return m().valueList;
  if (typeof value === 'object') return m().valueMapping;
  if (typeof value === 'string') return m().valueText(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return m().valueOther(typeof value, String(value));
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
