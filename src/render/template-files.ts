/**
 * Reads the templates once: the package's built-in `templates/` first, then the
 * project's `<root>/templates/` over it (a project file replaces the built-in
 * file of the same path). A project made with `advisory new` therefore renders
 * with no templates of its own, and staff can override a single file.
 * Bytes are keyed by project-relative path (`templates/<channel>/…`), sorted.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TemplateFiles {
  /** `templates/<channel>/…` → bytes, in sorted path order. */
  files: ReadonlyMap<string, Buffer>;
  /** sha256 over every path and its bytes, in sorted order. */
  hash: string;
}

/** The package's own root (where its built-in templates/ and channels/ live), from src/render or dist/render. */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function listTemplates(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) found.set(child, join(root, child));
    }
  };
  if (existsSync(join(root, 'templates'))) walk('templates');
  return found;
}

export function readTemplateFiles(root: string, builtinRoot: string = PACKAGE_ROOT): TemplateFiles {
  const sources = new Map([...listTemplates(builtinRoot), ...listTemplates(root)]);
  const paths = [...sources.keys()].sort();
  const files = new Map<string, Buffer>();
  const h = createHash('sha256');
  for (const p of paths) {
    const bytes = readFileSync(sources.get(p)!);
    files.set(p, bytes);
    h.update(p).update('\0').update(bytes).update('\0');
  }
  return { files, hash: h.digest('hex') };
}

/**
 * Absolute path of a project-relative file that may be a built-in template
 * asset (e.g. `templates/wechat/default-cover.png`): the project's copy when it
 * has one, else the package's.
 */
export function resolveProjectFile(root: string, path: string): string {
  const own = join(root, path);
  if (path.startsWith('templates/') && !existsSync(own)) return join(PACKAGE_ROOT, path);
  return own;
}
