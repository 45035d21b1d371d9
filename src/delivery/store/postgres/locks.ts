/**
 * The dispatcher lock in PostgreSQL: a lease with a fencing generation, kept in
 * the `locks` table exactly as the SQLite ledger keeps it, its holder judged by
 * lock-holder.ts (same host: by its process; another host: by its lease).
 *
 * Fencing: every fenced write first reads the lock row FOR SHARE inside its own
 * transaction (`check`). A takeover updates that row, so it waits for the
 * fenced writes in flight to commit, and every later one sees the new
 * generation and throws LockLostError: a write commits under a generation or
 * not at all, whatever the clocks say.
 *
 * A holder frozen in the middle of a fenced write (SIGSTOP, a paused VM) would
 * keep the lock row locked, and PostgreSQL keeps a session idle in its
 * transaction forever: no takeover could ever happen. So a fenced transaction
 * asks the server to end it once it has sat idle for the lease
 * (idle_in_transaction_session_timeout, set locally with the row read: no extra
 * round trip), and the heartbeat is one statement outside any transaction. A
 * holder frozen past its lease then holds nothing; when it resumes, its
 * connection is gone and what it had not committed is not recorded.
 */
import { DEFAULT_LEASE_MS, LockLostError, type HeldLock, type LockHolder } from '../types.js';
import { holdsLock, lockHolder, selfIdentity, type ProcessIdentity } from '../lock-holder.js';
import { StateError } from '../../../errors.js';
import { storeMessages } from '../../../i18n/messages-store.js';
import { postgresMessages } from '../../../i18n/messages-postgres.js';
import type { Db, Q } from './sql.js';

interface Row {
  name: string; pid: number; host: string; purpose: string; started_at: string; heartbeat_at: string;
  generation: number; lease_ms: number; process_start: string | null; released_at: string | null;
}

/** How long a takeover waits for a transaction that holds the lock row (a frozen holder mid-write on another host). */
const LOCK_WAIT = '5s';

export class LockTable {
  constructor(
    private readonly db: Db,
    private readonly me: ProcessIdentity = selfIdentity(),
    /** Lock liveness is about real processes, so it reads the wall clock, never the (possibly shifted) dispatch clock. */
    private readonly wall: () => Date = () => new Date(),
  ) {}

  private toHolder(r: Row): LockHolder {
    return lockHolder({
      pid: r.pid, host: r.host, purpose: r.purpose, startedAt: r.started_at, heartbeatAt: r.heartbeat_at,
      generation: r.generation, leaseMs: r.lease_ms, processStart: r.process_start, releasedAt: r.released_at,
    }, this.me, this.wall());
  }

  private async row(name: string): Promise<Row | undefined> {
    return (await this.db.rows<Row>('SELECT * FROM locks WHERE name = $1', [name]))[0];
  }

  /** Takes the lock (a new generation) unless a live holder has it; then returns that holder. */
  async acquire(name: string, purpose: string, leaseMs = DEFAULT_LEASE_MS): Promise<{ held: HeldLock } | { holder: LockHolder }> {
    // A look first, without locking the row: a holder frozen in the middle of a write keeps it locked, and the
    // answer ("it holds it and is not responding") must not wait behind it.
    const seen = await this.row(name);
    if (seen && !seen.released_at) {
      const h = this.toHolder(seen);
      if (holdsLock(h)) return { holder: h };
    }
    try {
      return await this.db.tx(async (c) => {
        await c.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
        const r = (await c.query<Row>('SELECT * FROM locks WHERE name = $1 FOR UPDATE', [name])).rows[0];
        // Even a holder in this very process counts: one process never holds the lock twice.
        if (r) {
          const h = this.toHolder(r);
          if (holdsLock(h)) return { holder: h };
        }
        const at = this.wall().toISOString();
        // Two first acquirers at once: the second's insert waits for the first's, then takes the row's next generation or is refused.
        const taken = await c.query<{ generation: number }>(
          `INSERT INTO locks AS l (name, pid, host, purpose, started_at, heartbeat_at, generation, lease_ms, process_start, released_at)
           VALUES ($1, $2, $3, $4, $5, $5, 1, $6, $7, NULL)
           ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, purpose = excluded.purpose,
             started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, generation = l.generation + 1,
             lease_ms = excluded.lease_ms, process_start = excluded.process_start, released_at = NULL
           WHERE l.generation = $8
           RETURNING generation`,
          [name, this.me.pid, this.me.host, purpose, at, leaseMs, this.me.start, r?.generation ?? 0],
        );
        if (taken.rowCount === 0) {
          const now = (await c.query<Row>('SELECT * FROM locks WHERE name = $1', [name])).rows[0];
          return { holder: this.toHolder(now) };
        }
        return { held: { name, generation: taken.rows[0].generation, leaseMs } };
      });
    } catch (err) {
      // lock_not_available (55P03), as it comes or as Db.tx says it (ELEDGER_BUSY): here it is the lock row.
      const code = (err as { code?: string }).code;
      if (code === '55P03' || code === 'ELEDGER_BUSY') throw new StateError('ELEDGER_BUSY', postgresMessages().lockWait(this.db.location), { cause: err });
      throw err;
    }
  }

  /** Refreshes the heartbeat. False when the lock is no longer ours (taken over, or released). */
  async heartbeat(lock: HeldLock): Promise<boolean> {
    // One statement, no transaction around it: a holder frozen between it and a COMMIT would keep the row locked.
    const r = await this.db.rows('UPDATE locks SET heartbeat_at = $1 WHERE name = $2 AND generation = $3 AND released_at IS NULL RETURNING generation',
      [this.wall().toISOString(), lock.name, lock.generation]);
    return r.length > 0;
  }

  /** Throws LockLostError unless the row still carries this generation. Call inside the transaction it guards. */
  async check(c: Q, lock: HeldLock): Promise<void> {
    // The server ends this transaction if it sits idle for the lease (a holder frozen mid-write; see above).
    const r = (await c.query<Row>(`SELECT *, set_config('idle_in_transaction_session_timeout', $2, true) FROM locks WHERE name = $1 FOR SHARE`,
      [lock.name, `${Math.max(1, Math.round(lock.leaseMs))}ms`])).rows[0];
    if (r && r.generation === lock.generation && r.released_at === null) return;
    const by = r && !r.released_at ? storeMessages().nowHeldBy(r.purpose, r.pid, r.host, r.generation) : '';
    throw new LockLostError(storeMessages().lockLost(lock.generation, by));
  }

  async release(lock: HeldLock): Promise<void> {
    await this.db.tx((c) => c.query('UPDATE locks SET released_at = $1 WHERE name = $2 AND generation = $3 AND released_at IS NULL',
      [this.wall().toISOString(), lock.name, lock.generation]));
  }

  /** The holder as it stands (alive, unresponsive, dead, expired, released), or null when nobody ever took the lock. */
  async describe(name: string): Promise<LockHolder | null> {
    const r = await this.row(name);
    return r ? this.toHolder(r) : null;
  }

  /** The live holder (alive or unresponsive), else null. */
  async holder(name: string): Promise<LockHolder | null> {
    const h = await this.describe(name);
    return h && holdsLock(h) ? h : null;
  }
}
