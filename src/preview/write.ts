/**
 * Writes a preview build to a folder, replacing an earlier preview there. A
 * folder is only emptied when it is empty or holds our marker file, so
 * `--out` pointed at the wrong place cannot delete someone's files.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import { siteMessages } from '../i18n/messages-site.js';

export const PREVIEW_MARKER = '.advisory-preview';

export function writePreview(dir: string, files: Map<string, string | Buffer>): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(PREVIEW_MARKER)) {
      throw new ConfigError(siteMessages().previewNotEmpty(dir, PREVIEW_MARKER));
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, PREVIEW_MARKER), 'Written by `advisory preview`; the folder is replaced on every run.\n');
  for (const [rel, content] of files) {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}
