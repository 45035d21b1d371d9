/** writeAtomic on a real, really full disk: a 64 KiB tmpfs (we run as root in CI). */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseTempName, writeAtomic } from '../../src/fs/write-atomic.js';

const disk = mkdtempSync(join(tmpdir(), 'advisory-full-disk-'));
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

afterEach(() => {
  for (const name of readdirSync(disk)) rmSync(join(disk, name), { recursive: true, force: true });
});
afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

/** Everything in a folder and below it, as relative paths. */
function listing(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

const onTmpfs = `(on a 64 KiB tmpfs; skipped where this process may not mount one)`;

describe('writeAtomic', () => {
  it.skipIf(!mounted)(`regression, truncated .eml on a nearly full disk: a write larger than the free space throws ENOSPC, and neither the final name nor a temp file is left ${onTmpfs}`, () => {
    const file = join(disk, 'outbox', 'email', 'k.eml');
    // the first write(2) is short (64 KiB of 200 KB): the old code renamed those 64 KiB under the final name
    expect(() => writeAtomic(file, randomBytes(200_000))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(existsSync(file)).toBe(false);
    expect(listing(disk)).toEqual(['outbox', join('outbox', 'email')]);
  });

  it.skipIf(!mounted)(`a failed rewrite keeps the file's old content ${onTmpfs}`, () => {
    const file = join(disk, 'index.json');
    writeAtomic(file, '{"campaigns":{}}');
    expect(() => writeAtomic(file, 'x'.repeat(200_000))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(readFileSync(file, 'utf8')).toBe('{"campaigns":{}}');
    expect(listing(disk)).toEqual(['index.json']);
    // and once there is room again, the same write goes through
    writeAtomic(file, 'x'.repeat(20_000));
    expect(readFileSync(file, 'utf8')).toBe('x'.repeat(20_000));
  });

  it.skipIf(!mounted)(`a write that fits (most of the disk) arrives byte for byte, into folders it makes, with no temp file left ${onTmpfs}`, () => {
    const bytes = randomBytes(40_000);
    const file = join(disk, 'a', 'b', 'c.eml');
    writeAtomic(file, bytes);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(listing(disk)).toEqual(['a', join('a', 'b'), join('a', 'b', 'c.eml')]);
  });

  it('replaces a file, string or bytes, and leaves nothing beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-atomic-'));
    try {
      const file = join(dir, 'published.json');
      writeAtomic(file, '一');
      writeAtomic(file, Buffer.from('二'));
      expect(readFileSync(file, 'utf8')).toBe('二');
      expect(readdirSync(dir)).toEqual(['published.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names its temp files so that the sweep can tell whose they are, and nothing else', () => {
    expect(parseTempName('/v/outbox/email/a.b.eml.tmp-4242-k3j9x0')).toEqual({ target: 'a.b.eml', pid: 4242 });
    expect(parseTempName('a.eml')).toBeNull();
    expect(parseTempName('.tmp-000003-20140929T010000Z')).toBeNull();
    expect(parseTempName('0123456789abcdef.tmp-4242')).toBeNull();
  });
});
