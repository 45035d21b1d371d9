/**
 * Writes `bytes` to `file` atomically and durably: a temp file beside it,
 * fsync, then rename. A reader (or a restart after a crash) sees the old file
 * or the new one, never half of one. Used for the sandbox outbox and the
 * website's published state.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeAtomic(file: string, bytes: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
