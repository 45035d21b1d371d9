/**
 * One dispatcher per ledger. A `locks` row names the holder (pid, host) and a
 * heartbeat; a holder counts as alive while its process exists on this host
 * (`process.kill(pid, 0)`) and its heartbeat is recent, so the lock dies with
 * the process even after SIGKILL.
 */
import type { Database } from 'better-sqlite3';
import { hostname } from 'node:os';
import type { LockHolder } from './store.js';

/** A holder whose heartbeat is older than this is dead even if its pid exists (pid reuse, frozen host). */
export const LOCK_STALE_MS = 60_000;

interface Row { pid: number; host: string; purpose: string; started_at: string; heartbeat_at: string }
const toHolder = (r: Row): LockHolder => ({ pid: r.pid, host: r.host, purpose: r.purpose, startedAt: r.started_at, heartbeatAt: r.heartbeat_at });

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LockTable {
  constructor(private readonly db: Database) {}

  /** Lock liveness is about real processes, so it reads the wall clock, never the (possibly shifted) dispatch clock. */
  private wall(): Date {
    return new Date();
  }

  private alive(r: Row): boolean {
    if (this.wall().getTime() - Date.parse(r.heartbeat_at) > LOCK_STALE_MS) return false;
    return r.host !== hostname() || processAlive(r.pid);
  }

  /** Returns null when this process now holds the lock, else the live holder. */
  acquire(name: string, purpose: string): LockHolder | null {
    const at = this.wall();
    return this.db.transaction(() => {
      const r = this.db.prepare('SELECT * FROM locks WHERE name = ?').get(name) as Row | undefined;
      if (r && !(r.pid === process.pid && r.host === hostname()) && this.alive(r)) return toHolder(r);
      this.db
        .prepare(
          `INSERT INTO locks (name, pid, host, purpose, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET pid = excluded.pid, host = excluded.host, purpose = excluded.purpose,
             started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
        )
        .run(name, process.pid, hostname(), purpose, at.toISOString(), at.toISOString());
      return null;
    }).immediate();
  }

  heartbeat(name: string): void {
    this.db.prepare('UPDATE locks SET heartbeat_at = ? WHERE name = ? AND pid = ? AND host = ?').run(this.wall().toISOString(), name, process.pid, hostname());
  }

  release(name: string): void {
    this.db.prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ?').run(name, process.pid, hostname());
  }

  holder(name: string): LockHolder | null {
    const r = this.db.prepare('SELECT * FROM locks WHERE name = ?').get(name) as Row | undefined;
    return r && this.alive(r) ? toHolder(r) : null;
  }
}
