/**
 * `advisory.yaml`, the project's optional settings file: the ledger it uses
 * (`store:`) and where the sending work is queued (`queue:`). A project
 * without it runs with the defaults (SQLite in var/, the queue in process). An unknown key (`stor:`)
 * or an empty value is an error at its place: either silently meant the default ledger. Parsing is pure
 * (`parseProjectFile`); `readProjectFile` only reads the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { closest } from '../suggest.js';
import { storeConfigMessages } from '../i18n/messages-postgres.js';
import { queueConfigMessages } from '../i18n/messages-queue.js';
import { PROJECT_FILE } from './project-file-name.js';

export { PROJECT_FILE };

/** A setting's text and where it was written (for messages that point at it). */
export interface Setting {
  value: string;
  file: string;
  line: number;
  column: number;
}

export interface ProjectFile {
  store?: Setting;
  queue?: Setting;
}

/** The settings read from the file, each a text. */
const KEYS = ['store', 'queue'] as const;

export function parseProjectFile(text: string, file: string): ProjectFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset = 0) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const error = doc.errors[0];
  if (error) {
    const { line, column } = at(error.pos[0]);
    throw new ConfigError(storeConfigMessages().yamlError(file, line, column, error.message.split('\n')[0]), { file });
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw new ConfigError(storeConfigMessages().notAMapping(file), { file });
  const m = storeConfigMessages();
  for (const pair of doc.contents.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if ((KEYS as readonly string[]).includes(name)) continue;
    const { line, column } = at(isScalar(pair.key) ? pair.key.range?.[0] : 0);
    throw new ConfigError(m.unknownKey(file, line, column, name, closest(name, KEYS), KEYS.join(', ')), { file });
  }
  const out: ProjectFile = {};
  for (const key of KEYS) {
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair === undefined) continue;
    const node = pair.value;
    const keyAt = at(isScalar(pair.key) ? pair.key.range?.[0] : 0);
    if (node === null || (isScalar(node) && (node.value === null || (typeof node.value === 'string' && node.value.trim() === '')))) {
      throw new ConfigError(m.emptyValue(file, keyAt.line, keyAt.column, key), { file });
    }
    const { line, column } = at((node as { range?: [number, number, number] }).range?.[0]);
    const value: unknown = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string') {
      const why = key === 'store' ? storeConfigMessages().storeNotText(file, line, column) : queueConfigMessages().queueNotText(file, line, column);
      throw new ConfigError(why, { file });
    }
    out[key] = { value: value.trim(), file, line, column };
  }
  return out;
}

/** The project's settings file, or no settings when it does not exist. */
export function readProjectFile(root: string): ProjectFile {
  const file = join(root, PROJECT_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return parseProjectFile(text, PROJECT_FILE);
}
