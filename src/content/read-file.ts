/**
 * The one place content bytes come off the disk, defensively: symlinks may not
 * leave the allowed folder, oversized files are refused before reading, and
 * text must be UTF-8 (with a conversion hint for GBK files saved on Windows).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import type { Problem } from '../errors.js';
import { contentMessages } from '../i18n/messages-content.js';

export const MAX_CONTENT_BYTES = 1024 * 1024;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** A refusal names the file a link leads to (`target`) when it leads outside the allowed folder. */
export type ReadResult = { ok: true; bytes: Buffer; realPath: string } | { ok: false; problem: Problem; target?: string };

const fail = (file: string, message: string, rule: string, line = 1, column = 1): Extract<ReadResult, { ok: false }> => ({
  ok: false,
  problem: { file, line, column, severity: 'error', message, rule },
});

export function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/**
 * Reads `abs` (labelled `file` in problems) if it is a regular file inside `allowedRoot` (a real path) and at most `maxBytes`.
 * Four system calls for a plain file (realpath, open, fstat, read): opened without waiting, so a named pipe is
 * refused by its fstat instead of blocking the read, and size and kind are those of the file actually read.
 */
export function readBytes(abs: string, file: string, allowedRoot: string, maxBytes: number): ReadResult {
  let real: string;
  try {
    real = realpathSync.native(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(file, code === 'ENOENT' ? contentMessages().fileNotFound : contentMessages().cannotRead(code ?? (err as Error).message), 'unreadable');
  }
  if (!isInside(real, allowedRoot)) {
    const link = isLink(abs);
    return { ...fail(file, contentMessages().symlinkOutside(link, real, allowedRoot.endsWith('advisories') ? 'advisories' : 'campaign'), 'symlink-outside'), target: real };
  }
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return fail(file, contentMessages().cannotRead((err as NodeJS.ErrnoException).code ?? (err as Error).message), 'unreadable');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return fail(file, contentMessages().notRegularFile, 'unreadable');
    if (st.size > maxBytes) {
      return fail(file, contentMessages().fileTooLarge(formatBytes(st.size), formatBytes(maxBytes), maxBytes === MAX_CONTENT_BYTES), 'file-too-large');
    }
    const bytes = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, null);
      if (n === 0) break; // shrank while being read
      got += n;
    }
    return { ok: true, bytes: got === bytes.length ? bytes : bytes.subarray(0, got), realPath: real };
  } finally {
    closeSync(fd);
  }
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

export type DecodeResult = { ok: true; text: string } | { ok: false; problem: Problem };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8 decoding. A BOM is kept (the parsers strip it); CRLF is left alone. */
export function decodeUtf8(bytes: Uint8Array, file: string): DecodeResult {
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    const utf16 = utf16Kind(bytes);
    if (utf16) {
      const message = contentMessages().utf16(utf16);
      return { ok: false, problem: { file, line: 1, column: 1, severity: 'error', message, rule: 'not-utf8' } };
    }
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const looksGbk = decodesAs('gb18030', bytes);
    const message = contentMessages().notUtf8(bytes[bad]?.toString(16).padStart(2, '0') ?? '', looksGbk);
    return { ok: false, problem: { file, line, column, severity: 'error', message, rule: 'not-utf8' } };
  }
}

/** UTF-16 (Notepad's "Unicode"): a UTF-16 BOM, or ASCII text with every other byte zero. */
function utf16Kind(b: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (b[0] === 0xff && b[1] === 0xfe) return 'UTF-16LE';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16BE';
  if (b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) return 'UTF-16LE';
  if (b.length >= 4 && b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) return 'UTF-16BE';
  return undefined;
}

function decodesAs(encoding: string, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}

/** 1 MiB → "1 MiB", 1,100,000 bytes → "1.05 MiB" (never rounds a too-large file down to the limit). */
function formatBytes(n: number): string {
  const [unit, size] = n >= 1024 * 1024 ? ['MiB', n / 1024 / 1024] : ['KiB', n / 1024];
  const text = Number.isInteger(size) ? String(size) : (Math.ceil(size * 100) / 100).toFixed(2);
  return `${text} ${unit}`;
}
