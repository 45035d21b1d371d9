/** Staff accounts in PostgreSQL (the staff listener's login): names and scrypt hashes, changes audit-logged by name. */
import type { StaffAccount } from '../types.js';
import { toStaffAccount as toAccount, type StaffRow as Row } from '../records.js';
import type { Db, Q } from './sql.js';

type Audit = (c: Q, event: string, detail: Record<string, unknown>, at: Date) => Promise<void>;

export class StaffTable {
  constructor(
    private readonly db: Db,
    private readonly audit: Audit,
  ) {}

  async add(c: Q, name: string, hash: string, at: Date): Promise<boolean> {
    const iso = at.toISOString();
    const added = (await c.query('INSERT INTO staff (name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING', [name, hash, iso])).rowCount === 1;
    if (added) await this.audit(c, 'staff-added', { name }, at);
    return added;
  }

  async get(name: string): Promise<StaffAccount | undefined> {
    const [r] = await this.db.rows<Row>('SELECT * FROM staff WHERE name = $1', [name]);
    return r && toAccount(r);
  }

  async list(): Promise<StaffAccount[]> {
    return (await this.db.rows<Row>('SELECT * FROM staff ORDER BY name')).map(toAccount);
  }

  async setPassword(c: Q, name: string, hash: string, at: Date): Promise<boolean> {
    const changed = (await c.query('UPDATE staff SET password_hash = $1, updated_at = $2 WHERE name = $3', [hash, at.toISOString(), name])).rowCount === 1;
    if (changed) await this.audit(c, 'staff-password', { name }, at);
    return changed;
  }

  async remove(c: Q, name: string, at: Date): Promise<boolean> {
    const removed = (await c.query('DELETE FROM staff WHERE name = $1', [name])).rowCount === 1;
    if (removed) await this.audit(c, 'staff-removed', { name }, at);
    return removed;
  }
}
