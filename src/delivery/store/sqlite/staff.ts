/** Staff accounts in the ledger (the staff listener's login): names and scrypt hashes, changes audit-logged by name. */
import { prepared } from './prepared.js';
import type { Database } from 'better-sqlite3';
import type { StaffAccount } from '../types.js';
import { toStaffAccount as toAccount, type StaffRow as Row } from '../records.js';

export class StaffTable {
  constructor(
    private readonly db: Database,
    private readonly log: (event: string, detail: Record<string, unknown>, at: Date) => void,
  ) {}

  add(name: string, hash: string, at: Date): boolean {
    const iso = at.toISOString();
    const added = prepared(this.db, 'INSERT OR IGNORE INTO staff (name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, hash, iso, iso).changes === 1;
    if (added) this.log('staff-added', { name }, at);
    return added;
  }

  get(name: string): StaffAccount | undefined {
    const r = prepared(this.db, 'SELECT * FROM staff WHERE name = ?').get(name) as Row | undefined;
    return r && toAccount(r);
  }

  list(): StaffAccount[] {
    return (prepared(this.db, 'SELECT * FROM staff ORDER BY name').all() as Row[]).map(toAccount);
  }

  setPassword(name: string, hash: string, at: Date): boolean {
    const changed = prepared(this.db, 'UPDATE staff SET password_hash = ?, updated_at = ? WHERE name = ?').run(hash, at.toISOString(), name).changes === 1;
    if (changed) this.log('staff-password', { name }, at);
    return changed;
  }

  remove(name: string, at: Date): boolean {
    const removed = prepared(this.db, 'DELETE FROM staff WHERE name = ?').run(name).changes === 1;
    if (removed) this.log('staff-removed', { name }, at);
    return removed;
  }
}
