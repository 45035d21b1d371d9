/**
 * advisory.yaml (config/project-file.ts). Regression: a typo'd key (`stor: postgres://…`) or an empty `store:`
 * silently meant the default SQLite ledger; both are now errors at their place.
 */
import { describe, expect, it } from 'vitest';
import { parseProjectFile } from '../../src/config/project-file.js';
import { ConfigError } from '../../src/errors.js';

const PG = 'postgres://advisory@db.internal:5432/advisory';

describe('parseProjectFile', () => {
  it('store: and queue: are read with their place', () => {
    expect(parseProjectFile(`store: ${PG}\nqueue: redis://q:6379/0\n`, 'advisory.yaml')).toEqual({
      store: { value: PG, file: 'advisory.yaml', line: 1, column: 8 },
      queue: { value: 'redis://q:6379/0', file: 'advisory.yaml', line: 2, column: 8 },
    });
    expect(parseProjectFile('', 'advisory.yaml')).toEqual({});
    expect(parseProjectFile('# only a comment\n', 'advisory.yaml')).toEqual({});
  });

  it('an unknown key is an error at its place, with a did-you-mean', () => {
    expect(() => parseProjectFile(`stor: ${PG}\n`, 'advisory.yaml')).toThrow(ConfigError);
    expect(() => parseProjectFile(`stor: ${PG}\n`, 'advisory.yaml')).toThrow('advisory.yaml:1:1: unknown key "stor" (did you mean "store"?)');
    expect(() => parseProjectFile(`store: ${PG}\n  \nqeue: local\n`, 'advisory.yaml')).toThrow('advisory.yaml:3:1: unknown key "qeue" (did you mean "queue"?)');
    expect(() => parseProjectFile('colour: blue\n', 'advisory.yaml')).toThrow(/^advisory\.yaml:1:1: unknown key "colour": the settings are store, queue\.$/);
  });

  it.each([
    ['store:\n', 'advisory.yaml:1:1: store: is empty'],
    ['store: ""\n', 'advisory.yaml:1:1: store: is empty'],
    ['store: ~\n', 'advisory.yaml:1:1: store: is empty'],
    [`store: ${PG}\nqueue:\n`, 'advisory.yaml:2:1: queue: is empty'],
  ])('an empty value is an error naming file:line:column (%j)', (text, message) => {
    expect(() => parseProjectFile(text, 'advisory.yaml')).toThrow(message);
  });
});
