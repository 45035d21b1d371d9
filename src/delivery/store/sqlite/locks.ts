/**
 * One dispatcher per ledger: a lease with a fencing generation.
 *
 * A `locks` row names the holder (pid, host, the process's start time), the
 * lease it declared and its last heartbeat. Whether a holder is alive is
 * decided the way that can be known:
 * - on the same host, by its process: alive while that pid exists, is not a
 *   zombie and started when the holder did (pid reuse). A process that exists
 *   but stopped heartbeating (SIGSTOP, a swap storm) is still alive, reported
 *   `unresponsive`, and is never taken over: it would resume and send.
 * - from another host, by its heartbeat: alive while younger than its lease.
 * Every acquisition increments the generation. A dispatcher commits state
 * changes only while the row still carries its generation (the store checks it
 * in the same transaction), so one that lost the lock finds out at its next
 * write, or its next heartbeat, and stops.
 */
import { prepared } from './prepared.js';
import type { Database } from 'better-sqlite3';
import { DEFAULT_LEASE_MS, LockLostError, type HeldLock, type LockHolder } from '../types.js';
import { holdsLock, lockHolder, selfIdentity, type ProcessIdentity } from '../lock-holder.js';
import { storeMessages } from '../../../i18n/messages-store.js';


interface Row {
  name: string; pid: number; host: string; purpose: string; started_at: string; heartbeat_at: string;
  generation: number; lease_ms: number; process_start: string | null; released_at: string | null;
}

export { selfIdentity, type ProcessIdentity };

export class LockTable {
  constructor(
    private readonly db: Database,
    private readonly me: ProcessIdentity = selfIdentity(),
    /** Lock liveness is about real processes, so it reads the wall clock, never the (possibly shifted) dispatch clock. */
    private readonly wall: () => Date = () => new Date(),
  ) {}

  private row(name: string): Row | undefined {
    return prepared(this.db, 'SELECT * FROM locks WHERE name = ?').get(name) as Row | undefined;
  }

  private toHolder(r: Row): LockHolder {
    return lockHolder({
      pid: r.pid, host: r.host, purpose: r.purpose, startedAt: r.started_at, heartbeatAt: r.heartbeat_at,
      generation: r.generation, leaseMs: r.lease_ms, processStart: r.process_start, releasedAt: r.released_at,
    }, this.me, this.wall());
  }

  /** Takes the lock (a new generation) unless a live holder has it; then returns that holder. */
  acquire(name: string, purpose: string, leaseMs = DEFAULT_LEASE_MS): { held: HeldLock } | { holder: LockHolder } {
    // A look first, without the write lock: a holder frozen in the middle of a write keeps SQLite's lock, and the
    // answer ("it holds it and is not responding") must not wait behind it.
    const seen = this.row(name);
    if (seen && !seen.released_at) {
      const h = this.toHolder(seen);
      if (holdsLock(h)) return { holder: h };
    }
    return this.db.transaction(() => {
      const r = this.row(name);
      // Even a holder in this very process counts: one process never holds the lock twice.
      if (r) {
        const h = this.toHolder(r);
        if (holdsLock(h)) return { holder: h };
      }
      const at = this.wall().toISOString();
      const generation = (r?.generation ?? 0) + 1;
      this.db
        .prepare(
          `INSERT INTO locks (name, pid, host, purpose, started_at, heartbeat_at, generation, lease_ms, process_start, released_at)
           VALUES (@name, @pid, @host, @purpose, @at, @at, @generation, @leaseMs, @start, NULL)
           ON CONFLICT(name) DO UPDATE SET pid = excluded.pid, host = excluded.host, purpose = excluded.purpose,
             started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, generation = excluded.generation,
             lease_ms = excluded.lease_ms, process_start = excluded.process_start, released_at = NULL`,
        )
        .run({ name, pid: this.me.pid, host: this.me.host, purpose, at, generation, leaseMs, start: this.me.start });
      return { held: { name, generation, leaseMs } };
    }).immediate();
  }

  /** Refreshes the heartbeat. False when the lock is no longer ours (taken over, or released). */
  heartbeat(lock: HeldLock): boolean {
    const r = this.db
      .prepare('UPDATE locks SET heartbeat_at = ? WHERE name = ? AND generation = ? AND released_at IS NULL')
      .run(this.wall().toISOString(), lock.name, lock.generation);
    return r.changes > 0;
  }

  /** Throws LockLostError unless the row still carries this generation. Call inside the transaction it guards. */
  check(lock: HeldLock): void {
    const r = this.row(lock.name);
    if (r && r.generation === lock.generation && r.released_at === null) return;
    const by = r && !r.released_at ? storeMessages().nowHeldBy(r.purpose, r.pid, r.host, r.generation) : '';
    throw new LockLostError(storeMessages().lockLost(lock.generation, by));
  }

  release(lock: HeldLock): void {
    this.db
      .prepare('UPDATE locks SET released_at = ? WHERE name = ? AND generation = ? AND released_at IS NULL')
      .run(this.wall().toISOString(), lock.name, lock.generation);
  }

  /** The holder as it stands (alive, unresponsive, dead, expired, released), or null when nobody ever took the lock. */
  describe(name: string): LockHolder | null {
    const r = this.row(name);
    return r ? this.toHolder(r) : null;
  }

  /** The live holder (alive or unresponsive), else null. */
  holder(name: string): LockHolder | null {
    const h = this.describe(name);
    return h && holdsLock(h) ? h : null;
  }
}
