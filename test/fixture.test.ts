/** The fixture helper: a missing fixture fails the test (it is never written by the run that should check it); UPDATE=1 writes it. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectFixture } from './fixture.js';

let dir: string;
const saved = process.env.UPDATE;
afterEach(() => {
  process.env.UPDATE = saved;
  if (saved === undefined) delete process.env.UPDATE;
  rmSync(dir, { recursive: true, force: true });
});

describe('expectFixture', () => {
  it('fails on a missing fixture and writes nothing; with UPDATE=1 writes it, and then compares', () => {
    dir = mkdtempSync(join(tmpdir(), 'advisory-fixture-'));
    const file = join(dir, 'sub/expected.txt');
    delete process.env.UPDATE;
    expect(() => expectFixture(file, 'hello')).toThrow(/fixture .* is missing: run the test with UPDATE=1/);
    process.env.UPDATE = '1';
    expectFixture(file, 'hello');
    expect(readFileSync(file, 'utf8')).toBe('hello');
    delete process.env.UPDATE;
    expect(() => expectFixture(file, 'hello')).not.toThrow();
    expect(() => expectFixture(file, 'changed')).toThrow();
  });
});
