/**
 * What reading a YAML text gives (yaml-source.ts with yaml's parser,
 * simple-yaml.ts for the plainest texts): the data, its problems, and a way
 * back from a data path to a place in the file.
 */
import type { Problem } from '../errors.js';

export type Path = ReadonlyArray<string | number>;
export interface Place {
  line: number;
  column: number;
}

export interface YamlSource {
  /** The data, or undefined when the YAML could not be read at all. */
  value: unknown;
  problems: Problem[];
  /**
   * Where `path` is: `value` → the value, `key` → its key (for unknown keys),
   * falling back to the nearest enclosing node that exists (the parent mapping
   * for a missing field).
   */
  locate(path: Path, target?: 'value' | 'key'): Place;
  /** True when a node exists at `path` (a key written with no value counts). */
  has(path: Path): boolean;
}
