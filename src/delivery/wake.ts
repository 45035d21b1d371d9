/**
 * A nudge from a command to the running daemon: `advisory publish --now`
 * records its deliveries in the ledger, then touches `var/dispatch.wake`; the
 * daemon watches the file and looks at the ledger at once instead of at its
 * next poll (up to a second later). Only a hint: a lost nudge costs that
 * second, never a delivery, since the daemon polls the ledger anyway.
 */
import { watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

const WAKE_FILE = 'dispatch.wake';

export function nudgeDispatcher(varDir: string): void {
  try {
    writeFileSync(join(varDir, WAKE_FILE), `${process.pid} ${Date.now()}\n`);
  } catch {
    // no var/ to write (read-only): the daemon's poll finds the work
  }
}

/** Calls `onNudge` when a command touches the wake file; `close()` stops watching. */
export function watchNudges(varDir: string, onNudge: () => void): { close(): void } {
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(varDir, { persistent: false }, (_event, name) => {
      if (name === WAKE_FILE) onNudge();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // no inotify here (or too many watches): the poll alone
  }
  return { close: () => watcher?.close() };
}
