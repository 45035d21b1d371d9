/**
 * Which ledger a project uses, said once. Precedence, highest first:
 *
 *   the environment (ADVISORY_STORE) → advisory.yaml's `store:` → SQLite in <root>/var
 *
 * so an operator can point one run elsewhere without editing the project, and
 * a project with neither runs on the zero-setup default. A drill's own folder
 * (anything but <root>/var) always has its own SQLite ledger there: a
 * rehearsal never writes to the configured one.
 *
 * A store is named by a spec: `sqlite`, `sqlite:PATH/advisory.db` (or the
 * folder holding it), or `postgres://USER:PASSWORD@HOST:PORT/DB?schema=NAME`
 * (schema `advisory` by default; each schema is a ledger of its own). A URL is
 * shown only with its password masked.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { storeConfigMessages } from '../../i18n/messages-postgres.js';
import { LEDGER_FILE } from './ledger-file.js';

export type StoreConfig =
  | { kind: 'sqlite'; varDir: string }
  /** `url` without its `schema` parameter; `schema` defaults to DEFAULT_SCHEMA. */
  | { kind: 'postgres'; url: string; schema?: string };

export const DEFAULT_SCHEMA = 'advisory';
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const POSTGRES = /^postgres(ql)?:\/\//i;

/**
 * `text` with the password of every `scheme://user:password@host` replaced by `***`, and every `password=`
 * parameter's value. The userinfo runs to the LAST `@` of the URL (a password with an unencoded `@`, `/`, `#`
 * or `?` is still masked whole, whether or not the text parses as a URL); a URL ends at white space.
 */
export function maskPassword(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)(\S*)/gi, (_all, scheme: string, rest: string) => {
      const at = rest.lastIndexOf('@');
      if (at < 0) return scheme + rest;
      const colon = rest.indexOf(':');
      if (colon < 0 || colon > at) return scheme + rest;
      return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`;
    })
    .replace(/([?&;\s]password=)[^&\s]*/gi, '$1***');
}

/**
 * True when a URL's text holds, before its last `@`, a character that ends the userinfo (`@`, `/`, `#`, `?`):
 * the URL then names another host, port or path than meant (the password must be percent-encoded).
 * A URL that parses is suspect only with a fragment or an `@` in its path (a query may hold an `@`).
 */
export function unencodedUserinfo(text: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(\S*)$/i.exec(text.trim());
  if (!m) return false;
  const rest = m[1]!;
  const userinfo = rest.slice(0, Math.max(0, rest.lastIndexOf('@')));
  if (!/[@/#?]/.test(userinfo)) return false;
  try {
    const url = new URL(text.trim());
    return url.hash !== '' || url.pathname.includes('@');
  } catch {
    return true;
  }
}

export interface SpecContext {
  /** Relative SQLite paths are resolved against it (the project root; the working folder for the command line). */
  base: string;
  /** Where the spec was written, for messages (`ADVISORY_STORE`, `advisory.yaml:1:8 (store:)`, `--to`). */
  where: string;
  /** The folder of a bare `sqlite`. */
  defaultVarDir: string;
}

export function parseStoreSpec(spec: string, ctx: SpecContext): StoreConfig {
  const m = storeConfigMessages();
  const text = spec.trim();
  if (text === 'sqlite') return { kind: 'sqlite', varDir: ctx.defaultVarDir };
  if (text.startsWith('sqlite:')) {
    const path = resolve(ctx.base, text.slice('sqlite:'.length));
    if (text.length === 'sqlite:'.length) throw new ConfigError(m.badSqlitePath(ctx.where, text));
    if (basename(path) === LEDGER_FILE) return { kind: 'sqlite', varDir: dirname(path) };
    if (/\.(db|sqlite3?)$/i.test(path)) throw new ConfigError(m.badSqlitePath(ctx.where, text));
    return { kind: 'sqlite', varDir: path };
  }
  if (POSTGRES.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch (err) {
      throw new ConfigError(m.badUrl(ctx.where, maskPassword(text), (err as Error).message) + encodeHint(text), { cause: err });
    }
    if (unencodedUserinfo(text)) throw new ConfigError(m.badUrl(ctx.where, maskPassword(text), m.otherHost) + encodeHint(text));
    const schema = url.searchParams.get('schema') ?? DEFAULT_SCHEMA;
    if (!SCHEMA.test(schema)) throw new ConfigError(m.badSchema(ctx.where, schema));
    url.searchParams.delete('schema');
    return { kind: 'postgres', url: url.toString(), schema };
  }
  throw new ConfigError(m.badSpec(ctx.where, maskPassword(text)));
}

/** The hint to percent-encode a password, when the text needs it (else nothing). */
export function encodeHint(text: string): string {
  return unencodedUserinfo(text) ? ` ${storeConfigMessages().percentEncode}` : '';
}

/**
 * The ledger of the project at `root` (see the file comment for the
 * precedence). `varDir` is the state folder a command runs on; any other than
 * <root>/var (a drill's) keeps its own SQLite ledger.
 */
export async function storeConfig(o: { root: string; env: NodeJS.ProcessEnv; varDir?: string }): Promise<StoreConfig> {
  const projectVar = join(o.root, 'var');
  if (o.varDir !== undefined && resolve(o.varDir) !== resolve(projectVar)) return { kind: 'sqlite', varDir: o.varDir };
  const m = storeConfigMessages();
  const fromEnv = o.env.ADVISORY_STORE?.trim();
  if (fromEnv) return parseStoreSpec(fromEnv, { base: o.root, where: m.envWhere, defaultVarDir: projectVar });
  // Loaded here: the YAML parser is not part of every command's start.
  const { readProjectFile } = await import('../../config/project-file.js');
  const setting = readProjectFile(o.root).store;
  if (setting?.value) {
    return parseStoreSpec(setting.value, { base: o.root, where: m.fileWhere(setting.file, setting.line, setting.column), defaultVarDir: projectVar });
  }
  return { kind: 'sqlite', varDir: projectVar };
}

/** A PostgreSQL store as a spec people can read and paste back: the password masked, the schema named. */
export function postgresLocation(config: { url: string; schema?: string }): string {
  const url = new URL(config.url);
  url.searchParams.set('schema', config.schema ?? DEFAULT_SCHEMA);
  return maskPassword(url.toString());
}
