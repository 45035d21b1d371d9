/** Failpoints (ADVISORY_FAILPOINT) and the sandbox outbox's file names. */
import { describe, expect, it } from 'vitest';
import { parseFailpoints } from '../../src/delivery/failpoint.js';
import { outboxFile, safeKey } from '../../src/channels/sandbox.js';

describe('failpoints and outbox names', () => {
  it('rejects a malformed failpoint with the expected form', () => {
    expect(() => parseFailpoints('after-send:3')).toThrow(/Expected NAME:N with NAME one of after-create, after-sending, after-checkpoint, after-publish/);
    let killed = 0;
    const f = parseFailpoints('after-sending:2', () => killed++);
    f.hit('after-sending');
    f.hit('after-publish');
    expect(killed).toBe(0);
    f.hit('after-sending');
    expect(killed).toBe(1);
  });
  it('gives every delivery key its own safe file name', () => {
    expect(safeKey('a/b:c')).not.toBe(safeKey('a_b_c'));
    expect(outboxFile('/v', 'email', 'c/s/email/2014-09-29T01:00:00Z/s-1')).toMatch(/^\/v\/outbox\/email\/c_s_email_2014-09-29T01_00_00Z_s-1\.[0-9a-f]{10}\.eml$/);
  });
});
