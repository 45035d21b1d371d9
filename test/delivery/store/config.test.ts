/**
 * Which ledger a project uses (delivery/store/config.ts): the precedence
 * environment → advisory.yaml → SQLite in var/, each pair on its own; the
 * spec forms; a drill's folder keeping its own SQLite; passwords never shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskPassword, parseStoreSpec, postgresLocation, storeConfig, storeLocation } from '../../../src/delivery/store/index.js';
import { unencodedUserinfo } from '../../../src/delivery/store/config.js';
import { cannotConnect } from '../../../src/delivery/store/postgres/open.js';
import { ConfigError } from '../../../src/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function project(yaml?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'advisory-store-config-'));
  dirs.push(root);
  if (yaml !== undefined) writeFileSync(join(root, 'advisory.yaml'), yaml);
  return root;
}
const PG = 'postgres://advisory:s3cret@db.internal:5432/ledger';

describe('storeConfig: environment → advisory.yaml → SQLite in var/', () => {
  it('neither: SQLite in <root>/var (zero setup)', async () => {
    const root = project();
    expect(await storeConfig({ root, env: {} })).toEqual({ kind: 'sqlite', varDir: join(root, 'var') });
  });

  it('advisory.yaml over the default', async () => {
    const root = project(`store: ${PG}?schema=jinan\n`);
    expect(await storeConfig({ root, env: {} })).toEqual({ kind: 'postgres', url: PG, schema: 'jinan' });
  });

  it('the environment over advisory.yaml', async () => {
    const root = project(`store: ${PG}?schema=jinan\n`);
    expect(await storeConfig({ root, env: { ADVISORY_STORE: 'sqlite' } })).toEqual({ kind: 'sqlite', varDir: join(root, 'var') });
    expect(await storeConfig({ root, env: { ADVISORY_STORE: `${PG}?schema=other` } })).toMatchObject({ kind: 'postgres', schema: 'other' });
  });

  it('the environment over the default; an empty ADVISORY_STORE counts as unset', async () => {
    const root = project();
    expect(await storeConfig({ root, env: { ADVISORY_STORE: PG } })).toEqual({ kind: 'postgres', url: PG, schema: 'advisory' });
    expect(await storeConfig({ root, env: { ADVISORY_STORE: '  ' } })).toEqual({ kind: 'sqlite', varDir: join(root, 'var') });
  });

  it("a drill's own folder keeps its own SQLite ledger, whatever is configured; the project's var/ follows the configuration", async () => {
    const root = project(`store: ${PG}\n`);
    const drill = join(root, 'var', 'drill');
    expect(await storeConfig({ root, env: { ADVISORY_STORE: PG }, varDir: drill })).toEqual({ kind: 'sqlite', varDir: drill });
    expect(await storeConfig({ root, env: {}, varDir: join(root, 'var') })).toMatchObject({ kind: 'postgres' });
  });

  it('advisory.yaml without store:, or with other settings only, is the default', async () => {
    expect(await storeConfig({ root: project(''), env: {} })).toMatchObject({ kind: 'sqlite' });
    expect(await storeConfig({ root: project('queue: local\n'), env: {} })).toMatchObject({ kind: 'sqlite' });
  });

  it('a wrong advisory.yaml is a ConfigError pointing at the place, the password masked', async () => {
    await expect(storeConfig({ root: project('store: mysql://root:hunter2@db/x\n'), env: {} })).rejects.toThrow(
      /^advisory\.yaml:1:8 \(store:\) names the ledger as "mysql:\/\/root:\*\*\*@db\/x": expected `sqlite`/,
    );
    await expect(storeConfig({ root: project('store: [a, b]\n'), env: {} })).rejects.toThrow(/^advisory\.yaml:1:8: store: must be text/);
    await expect(storeConfig({ root: project('store: "unclosed\n'), env: {} })).rejects.toThrow(/^advisory\.yaml:\d+:\d+: not valid YAML/);
    const err = await storeConfig({ root: project(), env: { ADVISORY_STORE: 'postgres://u:hunter2@db/x?schema=Bad-Name' } }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^ADVISORY_STORE names the PostgreSQL schema "Bad-Name"/);
    expect(err.message).not.toContain('hunter2');
  });
});

describe('store specs', () => {
  const ctx = { base: '/srv/bureau', where: '--from', defaultVarDir: '/srv/bureau/var' };

  it('sqlite, sqlite:FILE and sqlite:FOLDER; relative to the base', () => {
    expect(parseStoreSpec('sqlite', ctx)).toEqual({ kind: 'sqlite', varDir: '/srv/bureau/var' });
    expect(parseStoreSpec('sqlite:var/advisory.db', ctx)).toEqual({ kind: 'sqlite', varDir: '/srv/bureau/var' });
    expect(parseStoreSpec('sqlite:/backup/2014/advisory.db', ctx)).toEqual({ kind: 'sqlite', varDir: '/backup/2014' });
    expect(parseStoreSpec('sqlite:old-var', ctx)).toEqual({ kind: 'sqlite', varDir: '/srv/bureau/old-var' });
    expect(() => parseStoreSpec('sqlite:var/ledger.db', ctx)).toThrow(/expected the ledger file advisory\.db/);
  });

  it('postgres:// and postgresql://, the schema taken out of the URL (default advisory), other parameters kept', () => {
    expect(parseStoreSpec('postgresql://u@h/db?sslmode=require&schema=a_1', ctx)).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db?sslmode=require', schema: 'a_1' });
    expect(parseStoreSpec('postgres://u@h:5433/db', ctx)).toEqual({ kind: 'postgres', url: 'postgres://u@h:5433/db', schema: 'advisory' });
  });

  it('where a PostgreSQL ledger is, as people read it: the password masked, the schema named', () => {
    expect(postgresLocation({ url: PG, schema: 'jinan' })).toBe('postgres://advisory:***@db.internal:5432/ledger?schema=jinan');
    expect(storeLocation({ kind: 'postgres', url: PG })).toBe('postgres://advisory:***@db.internal:5432/ledger?schema=advisory');
    expect(storeLocation({ kind: 'postgres', url: 'postgres://nopass@h/db' })).toBe('postgres://nopass@h/db?schema=advisory');
  });
});

describe('passwords with @, /, # or ? never shown (regression: the mask stopped at the first / or @)', () => {
  const cases: Array<[string, string]> = [
    ['postgres://advisory:ab/secret2@127.0.0.1:42337/advisory', 'secret2'],
    ['postgres://advisory:p@ss:w/rd#?%&x@127.0.0.1:42337/advisory', 'ss:w/rd'],
    ['redis://:r:p@ss/w#1@127.0.0.1:43325/3', 'ss/w#1'],
    ['postgres://advisory@db.internal/advisory?password=secret6', 'secret6'],
    ['postgres://advisory@db.internal/advisory?sslmode=disable&password=secret7&x=1', 'secret7'],
  ];
  it.each(cases)('maskPassword(%s) hides the password', (url, secret) => {
    const masked = maskPassword(`cannot reach ${url}: getaddrinfo ENOTFOUND ss`);
    expect(masked).not.toContain(secret);
    expect(masked).toContain('@127.0.0.1'.length && url.includes('@127') ? '***@127.0.0.1' : 'password=***');
  });
  it('a URL without a password, or with an @ only in its query, is left whole', () => {
    expect(maskPassword('postgres://advisory@db/advisory')).toBe('postgres://advisory@db/advisory');
    expect(maskPassword('redis://127.0.0.1:6379/2')).toBe('redis://127.0.0.1:6379/2');
  });
  it.each(cases.slice(0, 2))('parseStoreSpec(%s) refuses, hints at percent-encoding, never shows the password', (url, secret) => {
    let message = '';
    try {
      parseStoreSpec(url, { base: '/', where: 'ADVISORY_STORE', defaultVarDir: '/var' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('%40');
    expect(message).not.toContain(secret);
  });
  it('an encoded password parses, and an @ in the query is no reason to refuse', () => {
    expect(parseStoreSpec('postgres://advisory:p%40ss%2Fw%23@127.0.0.1:5432/advisory', { base: '/', where: 'x', defaultVarDir: '/v' })).toMatchObject({ kind: 'postgres' });
    expect(unencodedUserinfo('postgres://u:p@h/db?application_name=a@b')).toBe(false);
    expect(unencodedUserinfo('redis://:r:p@ss/w#1@127.0.0.1:43325/3')).toBe(true);
  });
});

describe('no password given to a server that asks one (regression: "SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string")', () => {
  it('says no password, and where to put one', () => {
    const err = cannotConnect({ location: 'postgres://advisory@db/advisory?schema=advisory' }, new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'));
    expect(err.message).toContain('no password: set PGPASSWORD or put it in the store URL, percent-encoded');
    expect(err.message).toContain('PGPASSWORD');
    expect(err.message).not.toContain('SASL');
  });
});
