/** Staff accounts: one per name, a hash that can be replaced, removal; each change in the audit log, never the hash. */
import { expect, it } from 'vitest';
import type { Harness } from '../contract.js';
import { AT, instant, later } from './fixtures.js';

export function staffContract(h: Harness): void {
  it('an account: added once (a taken name is refused, the first hash stays), found by its exact name, listed by name', async () => {
    const s = await h.open();
    expect(await s.staffAccounts()).toEqual([]);
    expect(await s.addStaff('wang', 'scrypt$h1', AT)).toBe(true);
    expect(await s.addStaff('wang', 'scrypt$other', later(1000))).toBe(false);
    expect(await s.addStaff('li', 'scrypt$h2', later(2000))).toBe(true);
    const wang = (await s.staffAccount('wang'))!;
    expect(wang).toMatchObject({ name: 'wang', passwordHash: 'scrypt$h1' });
    expect(instant(wang.createdAt)).toBe(AT.getTime());
    expect(instant(wang.updatedAt)).toBe(AT.getTime());
    expect(await s.staffAccount('Wang')).toBeUndefined();
    expect(await s.staffAccount('nobody')).toBeUndefined();
    expect((await s.staffAccounts()).map((a) => a.name)).toEqual(['li', 'wang']);
  });

  it('a new password replaces the hash and moves updatedAt (sessions from before end); unknown names change nothing', async () => {
    const s = await h.open();
    await s.addStaff('wang', 'scrypt$h1', AT);
    expect(await s.setStaffPassword('wang', 'scrypt$h2', later(60_000))).toBe(true);
    const wang = (await s.staffAccount('wang'))!;
    expect(wang.passwordHash).toBe('scrypt$h2');
    expect(instant(wang.createdAt)).toBe(AT.getTime());
    expect(instant(wang.updatedAt)).toBe(later(60_000).getTime());
    expect(await s.setStaffPassword('nobody', 'scrypt$x', later(60_000))).toBe(false);
    expect(await s.staffAccount('nobody')).toBeUndefined();
  });

  it('removal: once; the name can be added again; the audit log names each change and never holds a hash', async () => {
    const s = await h.open();
    await s.addStaff('wang', 'scrypt$secret-hash', AT);
    await s.setStaffPassword('wang', 'scrypt$secret-hash-2', later(1000));
    expect(await s.removeStaff('wang', later(2000))).toBe(true);
    expect(await s.removeStaff('wang', later(3000))).toBe(false);
    expect(await s.staffAccount('wang')).toBeUndefined();
    expect(await s.addStaff('wang', 'scrypt$h3', later(4000))).toBe(true);
    const log = (await s.auditLog()).filter((e) => e.event.startsWith('staff-'));
    expect(log.map((e) => [e.event, e.detail])).toEqual([
      ['staff-added', { name: 'wang' }], ['staff-password', { name: 'wang' }], ['staff-removed', { name: 'wang' }], ['staff-added', { name: 'wang' }],
    ]);
    expect(JSON.stringify(await s.auditLog())).not.toContain('secret-hash');
  });

  it('another instance on the same store sees the accounts', async () => {
    const s = await h.open();
    await s.addStaff('wang', 'scrypt$h1', AT);
    const t = await h.reopen(s);
    expect(await t.staffAccount('wang')).toMatchObject({ passwordHash: 'scrypt$h1' });
  });
}
