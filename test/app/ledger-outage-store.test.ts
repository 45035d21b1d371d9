/**
 * The sender's ledger riding out an outage (src/app/ledger-outage-store.ts,
 * unrecorded-sends.ts), on the SQLite store with the outage injected around
 * it: a call refused before it reached the server (nothing committed), and a
 * call whose COMMIT went through but whose answer was lost. A claim is made
 * again only if it did not commit; the ends of an attempt are repeated
 * harmlessly; past the bound, what was sent and what was claimed and never
 * sent are kept, and the next run records and gives them back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../../src/errors.js';
import { openStore, type Store } from '../../src/delivery/store/index.js';
import { outageRider } from '../../src/app/ledger-outage.js';
import { outageRidingStore } from '../../src/app/ledger-outage-store.js';
import { UNRECORDED_FILE, unrecordedSends } from '../../src/app/unrecorded-sends.js';
import { newDelivery, tmpProject } from '../delivery/helpers.js';

const T0 = new Date('2026-10-01T00:00:00Z');
const gone = () => new StateError('ELEDGER_UNAVAILABLE', 'the connection to the ledger failed (ECONNREFUSED)');

let root: string;
let store: Store;
let keys: string[];
beforeEach(async () => {
  root = tmpProject();
  store = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
  const ds = Array.from({ length: 4 }, (_, i) => newDelivery('email', i, T0.toISOString()));
  await store.createDeliveries('m-1', ds, T0);
  keys = ds.map((d) => d.key);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/**
 * `store` with faults on `method`: `refused` calls fail before reaching it; `lost` calls reach it (commit) and then
 * fail as a lost answer. Counts the calls that reached it.
 */
function faulty(method: keyof Store, o: { refused?: number; lost?: number }) {
  let refused = o.refused ?? 0;
  let lost = o.lost ?? 0;
  const reached = { n: 0 };
  const s = new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const fn = (v as (...a: unknown[]) => Promise<unknown>).bind(target);
      if (prop !== method) return fn;
      return async (...args: unknown[]) => {
        if (refused > 0) {
          refused--;
          throw gone();
        }
        reached.n++;
        const out = await fn(...args);
        if (lost > 0) {
          lost--;
          throw gone();
        }
        return out;
      };
    },
  });
  return { s, reached };
}

function rider(maxMs = 60_000) {
  let t = 0;
  const said: string[] = [];
  const ride = outageRider({ maxMs, sleep: async (ms) => void (t += ms), clock: () => t, say: (l) => said.push(l), doing: 'sending' });
  return { ride, said };
}

const started = async () => (await store.auditLog({ event: 'attempt-started' })).length;

describe('a claim', () => {
  it('whose COMMIT went through but whose answer was lost is not made again: the rows it claimed are returned, once each', async () => {
    const { s, reached } = faulty('markSendingMany', { lost: 1 });
    const { ride, said } = rider();
    const ledger = outageRidingStore(s, ride, { keep: () => {} });
    const claimed = await ledger.markSendingMany(keys.slice(0, 3), T0);
    expect(claimed.map((d) => [d.key, d.state, d.attempts])).toEqual(keys.slice(0, 3).map((k) => [k, 'sending', 1]));
    expect(reached.n).toBe(1);
    expect(await started()).toBe(3);
    expect(said).toHaveLength(2);
  });

  it('refused before it reached the server is made again, whole', async () => {
    const { s, reached } = faulty('markSendingMany', { refused: 2 });
    const { ride } = rider();
    const claimed = await outageRidingStore(s, ride, { keep: () => {} }).markSendingMany(keys, T0);
    expect(claimed.map((d) => d.key)).toEqual(keys);
    expect(reached.n).toBe(1);
    expect(await started()).toBe(4);
  });

  it('of one delivery (website, WeChat, Weibo): a lost answer gives the attempt it opened', async () => {
    const { s, reached } = faulty('markSending', { lost: 1 });
    const { ride } = rider();
    expect(await outageRidingStore(s, ride, { keep: () => {} }).markSending(keys[0], T0)).toEqual({ attempt: 1 });
    expect(reached.n).toBe(1);
    expect((await store.get(keys[0]))!.state).toBe('sending');
  });
});

describe('the end of an attempt', () => {
  it('`sent` whose answer was lost is repeated harmlessly: recorded once', async () => {
    await store.markSendingMany(keys.slice(0, 1), T0);
    const { s, reached } = faulty('markSent', { lost: 1 });
    const { ride } = rider();
    await outageRidingStore(s, ride, { keep: () => {} }).markSent(keys[0], 1, { id: 'm-1' }, T0);
    expect(reached.n).toBe(2);
    expect((await store.get(keys[0]))!.state).toBe('sent');
    expect(await store.auditLog({ event: 'attempt-sent' })).toHaveLength(1);
  });
});

describe('past the bound', () => {
  it('keeps what was sent and what was claimed and never sent; the next run records the one and gives back the other', async () => {
    const { s } = faulty('markSent', { refused: 1_000 });
    const { ride } = rider(3_000);
    const journal = unrecordedSends(join(root, 'var'), store.location);
    const ledger = outageRidingStore(s, ride, journal);
    const claimed = await ledger.markSendingMany(keys.slice(0, 3), T0);
    expect(claimed).toHaveLength(3);
    // keys[0] went out, keys[1] was refused by the channel (recorded), keys[2] was never handed to it.
    await ledger.markRetry(keys[1], 1, new Date(T0.getTime() + 60_000), { failure: 'transient', message: '451' }, T0);
    await expect(ledger.markSent(keys[0], 1, { id: 'msg-0' }, T0)).rejects.toThrow(/connection to the ledger failed/);
    ledger.abandon();
    expect(existsSync(join(root, 'var', UNRECORDED_FILE))).toBe(true);

    const late = await unrecordedSends(join(root, 'var'), store.location).recordOn(store, T0);
    expect(late).toEqual({ sent: 1, unsent: 1 });
    const d0 = (await store.get(keys[0]))!;
    expect([d0.state, d0.receipt?.id, d0.receipt?.details?.recordedLate]).toEqual(['sent', 'msg-0', true]);
    const d2 = (await store.get(keys[2]))!;
    expect([d2.state, d2.attempts]).toEqual(['pending', 0]);
    expect((await store.get(keys[1]))!.state).toBe('pending');
    expect(existsSync(join(root, 'var', UNRECORDED_FILE))).toBe(false);
    // Applied once: a second run finds nothing.
    expect(await unrecordedSends(join(root, 'var'), store.location).recordOn(store, T0)).toEqual({ sent: 0, unsent: 0 });
  });

  it('a kept send whose delivery moved on since (reconciled elsewhere, a later attempt) is left alone', async () => {
    await store.markSendingMany(keys.slice(0, 1), T0);
    const journal = unrecordedSends(join(root, 'var'), store.location);
    journal.keep([{ key: keys[0], attempt: 1, receipt: { id: 'msg-0' } }]);
    await store.markUnsent(keys[0], T0, 'reconciled');
    await store.markSendingMany(keys.slice(0, 1), T0);
    expect(await journal.recordOn(store, T0)).toEqual({ sent: 0, unsent: 0 });
    const d = (await store.get(keys[0]))!;
    expect([d.state, d.attempts]).toEqual(['sending', 2]);
  });
});
