/**
 * makeDir on a read-only disk says EROFS, not ENOENT: Node's recursive mkdir
 * says ENOENT there, which the sender took for a transient error and retried
 * until the delivery failed (found by the read-only var/ test on PostgreSQL,
 * test/delivery/fault-recovery.test.ts). Real tmpfs; root only, skipped
 * with the reason otherwise.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDir } from '../../src/fs/make-dir.js';
import { mount, mountingPermitted, remount, unmount } from './tmpfs.js';

const canMount = mountingPermitted();
const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) {
    unmount(d);
    rmSync(d, { recursive: true, force: true });
  }
});

describe('makeDir', () => {
  it('makes the missing folders and returns the first it made, as mkdir -p', () => {
    const root = mkdtempSync(join(tmpdir(), 'advisory-make-dir-'));
    try {
      expect(makeDir(join(root, 'a/b/c'))).toBe(join(root, 'a'));
      expect(existsSync(join(root, 'a/b/c'))).toBe(true);
      expect(makeDir(join(root, 'a/b/c'))).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.skipIf(!canMount)('on a read-only disk: EROFS (Node says ENOENT), one level or several (real tmpfs; root only)', () => {
    const d = mkdtempSync(join(tmpdir(), 'advisory-make-dir-ro-'));
    mount(d, '64k');
    made.push(d);
    remount(d, 'ro');
    for (const target of [join(d, 'outbox'), join(d, 'outbox/email/x')]) {
      expect(() => makeDir(target)).toThrow(expect.objectContaining({ code: 'EROFS' }));
    }
  });
});
