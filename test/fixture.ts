/**
 * Fixture comparison for every rendition test: the expected file must exist.
 * `UPDATE=1` (re)writes it from what was rendered; without it, a missing
 * fixture fails the test, so a fixture can never be written by the run that
 * is supposed to check it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export function expectFixture(file: string, actual: string, label = file): void {
  if (process.env.UPDATE === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    expect.fail(`fixture ${label} is missing: run the test with UPDATE=1 to write it from the current output, then review and commit it`);
  }
  expect(actual, label).toBe(readFileSync(file, 'utf8'));
}
