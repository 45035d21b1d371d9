/**
 * Opening a store: the one way the rest of the program gets durable state.
 * `sqlite` (the embedded default) keeps it in `<varDir>/advisory.db`. Other
 * backends plug in here, behind the same interfaces (types.ts).
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './types.js';
import { LEDGER_FILE } from './ledger-file.js';

export type StoreConfig = { kind: 'sqlite'; varDir: string };

export async function openStore(config: StoreConfig): Promise<Store> {
  // Loaded on first use: a command that never opens the ledger (check, plan, preview) loads no SQLite.
  const { openLedger } = await import('./sqlite/ledger.js');
  return openLedger(config.varDir);
}

/** Where a store lives, for messages. */
export function storeLocation(config: StoreConfig): string {
  return join(config.varDir, LEDGER_FILE);
}

/** Whether a store exists at this configuration (nothing is created). */
export function storeExists(config: StoreConfig): boolean {
  try {
    // Whatever is there counts, a link whose target is gone included: opening it says what is wrong.
    lstatSync(join(config.varDir, LEDGER_FILE));
    return true;
  } catch {
    return false;
  }
}

/** A consistent copy of a store into another place (a drill's own ledger), made whole or not at all. */
export async function copyStore(from: StoreConfig, to: StoreConfig): Promise<void> {
  const { copyLedger } = await import('./sqlite/copy.js');
  await copyLedger(from.varDir, to.varDir);
}

export * from './types.js';
export { newSubscriberId } from './ids.js';
