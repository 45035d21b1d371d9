import { createHash } from 'node:crypto';

/** Hex sha256 of text (UTF-8) or bytes: the one digest the project uses for content, payloads and files. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
