/**
 * Regression (frozen.test.ts on PostgreSQL, another host): the sandbox's sent.log named a key twice though its
 * file was written once. Two processes each had an outbox on the same var/ (the dispatcher frozen past its lease
 * and the one that took over); the second had read the log before the first wrote and logged a key, then met that
 * key's file (EEXIST) and, from its stale reading, logged it again as recovered. A key twice in sent.log is what
 * the tests read as a second send.
 */
import { afterEach, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOutbox } from '../../src/channels/sandbox.js';

let varDir: string;
afterEach(() => rmSync(varDir, { recursive: true, force: true }));

const lines = () => readFileSync(join(varDir, 'outbox/email/sent.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; recovered?: boolean });

it('a key another process wrote and logged since this one read the log is not logged again', () => {
  varDir = mkdtempSync(join(tmpdir(), 'advisory-outbox-'));
  const first = createOutbox(varDir, 'email');
  const second = createOutbox(varDir, 'email');
  const at = new Date('2014-09-29T01:00:00Z');
  second.record('k0', 'zero', 1, at);
  expect(second.find('k0')).not.toBeNull(); // the second has read the log: it names k0 only
  expect(first.record('k1', 'one', 1, at).existed).toBe(false);
  expect(second.record('k1', 'one', 2, at).existed).toBe(true); // not written again
  expect(lines().map((l) => l.key)).toEqual(['k0', 'k1']);
});

it('a file a kill left without its line is still logged once, marked recovered', () => {
  varDir = mkdtempSync(join(tmpdir(), 'advisory-outbox-'));
  const outbox = createOutbox(varDir, 'email');
  const at = new Date('2014-09-29T01:00:00Z');
  outbox.record('k0', 'zero', 1, at);
  rmSync(join(varDir, 'outbox/email/sent.log')); // as if killed between the file and its line
  expect(outbox.find('k0')).not.toBeNull();
  expect(outbox.find('k0')).not.toBeNull();
  expect(lines()).toEqual([expect.objectContaining({ key: 'k0', recovered: true })]);
});
