/**
 * Reads everything under `<root>/templates/` once: the bytes (for the
 * templates hash and style sheets) keyed by project-relative path, sorted.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TemplateFiles {
  /** `templates/<channel>/…` → bytes, in sorted path order. */
  files: ReadonlyMap<string, Buffer>;
  /** sha256 over every path and its bytes, in sorted order. */
  hash: string;
}

export function readTemplateFiles(root: string): TemplateFiles {
  const base = join(root, 'templates');
  const paths: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) paths.push(child);
    }
  };
  if (existsSync(base)) walk('templates');
  paths.sort();
  const files = new Map<string, Buffer>();
  const h = createHash('sha256');
  for (const p of paths) {
    const bytes = readFileSync(join(root, p));
    files.set(p, bytes);
    h.update(p).update('\0').update(bytes).update('\0');
  }
  return { files, hash: h.digest('hex') };
}
