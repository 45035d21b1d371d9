/**
 * Writes `bytes` to `file` atomically and durably: a temp file beside it
 * (`<name>.tmp-<pid>-<random>`), every byte written and fsynced, renamed over
 * `file`, then the folder fsynced so the rename itself survives a power cut.
 * A reader, or a restart after a crash, sees the old file or the new one,
 * never part of one: the sandbox's reconcile takes "the file exists" to mean
 * "it was sent". Used for the sandbox outbox and the website's published
 * state and build manifests. A temp left by a killed writer is removed by
 * `sweepOrphans` (sweep.ts) at the next start.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { StateError } from '../errors.js';
import { siteMessages } from '../i18n/messages-site.js';
import { makeDir } from './make-dir.js';

/**
 * `exclusive`: create `file` only if it does not exist (a hard link instead of
 * a rename, so the check and the creation are one step); otherwise throw an
 * error with code EEXIST and leave the existing file alone. For a write that
 * must happen once however many processes try: the sandbox's outbox.
 */
export function writeAtomic(file: string, bytes: string | Buffer, options: { exclusive?: boolean } = {}): void {
  const dir = dirname(file);
  const made = makeDir(dir);
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    writeAll(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes, file);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (options.exclusive) {
      linkSync(tmp, file);
      unlinkSync(tmp);
    } else renameSync(tmp, file);
  } catch (err) {
    // whatever failed (ENOSPC half-way, EIO on fsync or close), the final name never holds a partial file
    if (fd !== undefined) ignore(() => closeSync(fd!));
    ignore(() => unlinkSync(tmp));
    throw err;
  }
  // a folder mkdir just made is itself an entry in its parent, which must reach the disk too
  for (let d = dir; ; d = dirname(d)) {
    fsyncDir(d);
    if (made === undefined || d === dirname(made) || d === dirname(d)) break;
  }
}

/**
 * Appends `text` to `file` durably: all of it or none of it (on an error the
 * file is cut back to its old length, so a full disk leaves no half line for
 * the next append to continue), fsynced before returning.
 */
export function appendDurable(file: string, text: string): void {
  makeDir(dirname(file));
  const fd = openSync(file, 'a');
  const before = fstatSync(fd).size;
  try {
    writeAll(fd, Buffer.from(text), file);
    fsyncSync(fd);
  } catch (err) {
    ignore(() => ftruncateSync(fd, before));
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** One `writeSync` may write less than asked (a nearly full disk): write until every byte is out. */
function writeAll(fd: number, data: Buffer, file: string): void {
  for (let at = 0; at < data.length; ) {
    const n = writeSync(fd, data, at, data.length - at);
    if (n <= 0) throw new StateError('ESHORTWRITE', siteMessages().shortWrite(file, data.length - at));
    at += n;
  }
}

/**
 * Makes the entries of a folder (a rename into it, a new file) durable.
 * Filesystems that cannot fsync a folder (EINVAL, EISDIR, ENOTSUP) offer no
 * stronger guarantee to wait for, so those are not errors; any other is.
 */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw err;
  } finally {
    closeSync(fd);
  }
}

const TEMP_NAME = /^(.+)\.tmp-(\d+)-[a-z0-9]+$/;

/** The file a writeAtomic temp is for, and the pid of its writer; null for any other name. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = TEMP_NAME.exec(basename(name));
  return m ? { target: m[1], pid: Number(m[2]) } : null;
}

function ignore(fn: () => void): void {
  try {
    fn();
  } catch {
    // already failing with a better error
  }
}
