/**
 * `advisory migrate`: the configured ledger's schema brought up to date, or
 * (`--from`, `--to`) a whole ledger copied to another store, verified table by
 * table before it commits (delivery/store/transfer.ts). SQLite paths typed on
 * the command line are relative to the folder it runs in.
 */
import { join } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { ConfigError, UsageError } from '../../errors.js';
import { migrateStore, parseStoreSpec, shownLocation, storeConfig, storeLocation, transferStore, type StoreConfig } from '../../delivery/store/index.js';
import { migrateMessages } from '../../i18n/messages-postgres.js';

function spec(value: string, where: string, base: string, root: string): StoreConfig {
  try {
    return parseStoreSpec(value, { base, where, defaultVarDir: join(root, 'var') });
  } catch (err) {
    // Typed on the command line: a usage error (exit 2), not the project's configuration.
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

export const migrateCommand: Command = {
  name: 'migrate',
  get usage() {
    return migrateMessages().usage;
  },
  options: { from: { type: 'string' }, to: { type: 'string' } },
  async run({ root, cwd, values, positionals, io }) {
    const m = migrateMessages();
    if (positionals.length > 0) throw new UsageError(`${m.positional(positionals[0])}\n\n${m.usage}`);
    const configured = await storeConfig({ root, env: io.env });
    if (typeof values.from !== 'string') {
      if (typeof values.to === 'string') throw new UsageError(`${m.toWithoutFrom}\n\n${m.usage}`);
      const r = await migrateStore(configured);
      const where = shownLocation(r.location);
      io.out(r.created ? m.created(where, r.to) : r.from === r.to ? m.upToDate(where, r.to) : m.applied(where, r.from, r.to));
      return EXIT.OK;
    }
    const here = cwd ?? process.cwd();
    const from = spec(values.from, '--from', here, root);
    const to = typeof values.to === 'string' ? spec(values.to, '--to', here, root) : configured;
    io.out(m.copying(shownLocation(storeLocation(from)), shownLocation(storeLocation(to))));
    const tables = await transferStore(from, to);
    for (const t of tables) io.out(m.tableLine(t.table, t.rows, t.sha256));
    io.out(m.done(tables.reduce((n, t) => n + t.rows, 0), shownLocation(storeLocation(to))));
    return EXIT.OK;
  },
};
