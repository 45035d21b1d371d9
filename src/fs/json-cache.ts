/**
 * A cache of JSON records in a folder (under `var/cache/`), one file per name,
 * each kept with the key of the inputs it was made from: `get` answers only
 * for the same key, so a changed input, template or program is a miss, never a
 * stale answer. The key always includes the program itself (`codeIdentity`).
 *
 * It is a cache, not state: written without fsync (a record torn by a crash
 * does not parse and is a miss), and a folder that cannot be written (a full
 * or read-only disk) only means no cache. Deleting `var/cache/` is always safe.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../hash.js';

export interface JsonCache<T> {
  get(name: string, key: string): T | undefined;
  set(name: string, key: string, value: T): void;
}

interface Stored<T> {
  key: string;
  value: T;
}

export function jsonCache<T>(dir: string): JsonCache<T> {
  const file = (name: string) => join(dir, `${encodeURIComponent(name)}.json`);
  const identity = codeIdentity();
  const full = (key: string) => sha256(`${identity}\0${key}`);
  let usable = true;
  return {
    get(name, key) {
      try {
        const stored = JSON.parse(readFileSync(file(name), 'utf8')) as Stored<T>;
        return stored.key === full(key) ? stored.value : undefined;
      } catch {
        return undefined; // none yet, or torn: a miss
      }
    },
    set(name, key, value) {
      if (!usable) return;
      const target = file(name);
      const tmp = `${target}.tmp-${process.pid}`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(tmp, JSON.stringify({ key: full(key), value } satisfies Stored<T>));
        renameSync(tmp, target);
      } catch {
        usable = false; // a full or read-only disk: carry on without a cache
        try {
          unlinkSync(tmp);
        } catch {
          // nothing was written
        }
      }
    },
  };
}

let identity: string | undefined;

/**
 * Which program made a record: the size and time of every file of the bundle
 * (dist/cli/, its chunks named by their content) or, run from source or from
 * tsc's output, of every file of the program's tree. A new build of the
 * program, or an edited source file, makes every record a miss.
 */
export function codeIdentity(): string {
  if (identity) return identity;
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = fileExists(join(here, 'main.js')) && fileExists(join(here, 'render-worker.js'));
  const parts: string[] = [];
  const walk = (dir: string, deep: boolean): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (deep) walk(path, deep);
      } else if (/\.(js|ts)$/.test(e.name)) {
        const st = statSync(path);
        parts.push(`${path}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  try {
    if (bundled) walk(here, false);
    else walk(dirname(here), true);
  } catch {
    parts.push(here);
  }
  return (identity = sha256(parts.join('\n')));
}

function fileExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
