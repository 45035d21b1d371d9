/**
 * The store contract: what every backend of `Store` (src/delivery/store/types.ts)
 * does, exercised only through that interface — no SQL, no backend type, no
 * look at how it keeps anything. A backend's own test runs it:
 *
 *   storeContract('sqlite', { open, reopen, takeOver, cleanup });
 *
 * and a PostgreSQL (or any other) backend passes it unchanged. What only one
 * backend can show (its files, its schema, its migrations) stays in that
 * backend's own tests beside this one.
 */
import { afterEach, describe } from 'vitest';
import type { Store } from '../../../src/delivery/store/index.js';
import { queueContract } from './contract/queue.js';
import { stateContract } from './contract/states.js';
import { peopleContract } from './contract/people.js';
import { lockContract } from './contract/lock.js';
import { staffContract } from './contract/staff.js';

export interface StoreBackend {
  /** A new, empty store of its own. */
  open(): Promise<Store>;
  /** A second instance on the same store as `store` (as another process would open it). */
  reopen(store: Store): Promise<Store>;
  /**
   * Another dispatcher takes the lock `name` over from `store`'s holder, as one
   * on another host does once the holder's lease has run out. A backend whose
   * liveness check lets a second instance of this process take over may do it
   * with `reopen`; one that judges a holder on this host by its process (SQLite)
   * has to act as the other host.
   */
  takeOver(store: Store, name: string): Promise<void>;
  /** Removes whatever `open` made; called after each case, once its stores are closed. */
  cleanup(): void | Promise<void>;
}

/** What each part of the contract gets: instances it may open, closed for it after each case. */
export interface Harness {
  open(): Promise<Store>;
  reopen(store: Store): Promise<Store>;
  takeOver(store: Store, name: string): Promise<void>;
  /** Closes an instance before the case ends. */
  close(store: Store): Promise<void>;
}

export function storeContract(name: string, backend: StoreBackend): void {
  const opened: Store[] = [];
  const track = (s: Store) => (opened.push(s), s);
  const h: Harness = {
    open: async () => track(await backend.open()),
    reopen: async (s) => track(await backend.reopen(s)),
    takeOver: (s, lock) => backend.takeOver(s, lock),
    close: async (s) => {
      opened.splice(opened.indexOf(s), 1);
      await s.close();
    },
  };
  afterEach(async () => {
    for (const s of opened.splice(0).reverse()) await s.close();
    await backend.cleanup();
  });

  describe(`store contract (${name})`, () => {
    describe('DeliveryQueue: occurrences and deliveries', () => queueContract(h));
    describe('DeliveryQueue: the state machine and what is due', () => stateContract(h));
    describe('ApprovalStore, SubscriberStore', () => peopleContract(h));
    describe('DispatcherLock, MetaStore, AuditLog, the store itself', () => lockContract(h));
    describe('StaffStore', () => staffContract(h));
  });
}
