/**
 * Riding out the ledger's server going away (src/app/ledger-outage.ts), with an
 * injected clock and sleep: said once when it stops answering and once when it
 * answers again; given up after the bound with the error as it came; anything
 * but a lost server thrown at once. (The real outage, a PostgreSQL restart under
 * a waiting `publish --now`: test/delivery/queue/restarts.test.ts; under one
 * that sends, and under the daemon: test/delivery/publish-ledger-outage.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTAGE_MS, isLedgerOutage, outageFromEnv, outageRider } from '../../src/app/ledger-outage.js';
import { ConfigError, StateError } from '../../src/errors.js';

const lost = () => new StateError('ELEDGER_UNAVAILABLE', 'the connection to the ledger postgres://x failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432). …', {
  cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
});

function rider(maxMs: number) {
  let t = 0;
  const said: string[] = [];
  const ride = outageRider({ maxMs, sleep: async (ms) => void (t += ms), say: (l) => said.push(l), clock: () => t });
  return { ride, said, elapsed: () => t };
}

describe('riding out a ledger outage', () => {
  it('a read failing while the server is away is tried again each second; said once when it starts and once when it ends', async () => {
    const { ride, said, elapsed } = rider(300_000);
    let calls = 0;
    const read = async () => {
      if (++calls <= 4) throw lost();
      return 42;
    };
    expect(await ride(read)).toBe(42);
    expect(elapsed()).toBe(4000);
    expect(said).toEqual([
      expect.stringMatching(/^the ledger does not answer \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:5432\): waiting up to 300 s for it to come back/),
      'the ledger answers again (after 4 s); waiting as before',
    ]);
    // A later read that works says nothing more.
    expect(await ride(async () => 1)).toBe(1);
    expect(said).toHaveLength(2);
  });

  it('away longer than the bound: the error as it came, after saying once', async () => {
    const { ride, said, elapsed } = rider(3000);
    const err = lost();
    await expect(ride(async () => {
      throw err;
    })).rejects.toBe(err);
    expect(elapsed()).toBe(3000);
    expect(said).toHaveLength(1);
  });

  it('calls side by side (the sender\'s runners): one outage said once each way, and a call that never asked the server (no keys) does not say it is over', async () => {
    let t = 0;
    let up = false;
    const said: string[] = [];
    const ride = outageRider({ maxMs: 300_000, sleep: async (ms) => void (t += ms), clock: () => t, say: (l) => said.push(l), doing: 'sending' });
    const call = async () => {
      if (!up) throw lost();
      return 'ok';
    };
    const riding = [ride(call), ride(call), ride(call)];
    await Promise.resolve();
    expect(await ride(async () => 0)).toBe(0);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/sending paused, waiting up to 300 s/);
    up = true;
    expect(await Promise.all(riding)).toEqual(['ok', 'ok', 'ok']);
    expect(said).toHaveLength(2);
    expect(said[1]).toMatch(/^the ledger answers again \(after \d+ s\); sending$/);
  });

  it('told to stop (the daemon\'s SIGTERM): the outage is no longer waited for', async () => {
    const stop = new AbortController();
    let t = 0;
    const ride = outageRider({ maxMs: 300_000, sleep: async (ms) => void ((t += ms), t >= 3000 && stop.abort()), clock: () => t, stop: stop.signal });
    const err = lost();
    await expect(ride(async () => {
      throw err;
    })).rejects.toBe(err);
    expect(t).toBe(3000);
  });

  it('anything but a lost server is thrown at once, unsaid', async () => {
    const { ride, said, elapsed } = rider(300_000);
    const other = new StateError('ELEDGER_BUSY', 'the dispatcher lock is kept by a transaction that does not finish');
    await expect(ride(async () => {
      throw other;
    })).rejects.toBe(other);
    expect([elapsed(), said]).toEqual([0, []]);
  });

  it('knows a lost server by its code, also as the cause of another error', () => {
    expect(isLedgerOutage(lost())).toBe(true);
    expect(isLedgerOutage(new Error('wrapped', { cause: lost() }))).toBe(true);
    expect(isLedgerOutage(new StateError('ELEDGER', 'cannot reach the ledger'))).toBe(false);
    expect(isLedgerOutage(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
  });

  it('ADVISORY_LEDGER_OUTAGE: seconds, default 300; a wrong value is a configuration error', () => {
    expect(outageFromEnv({})).toBe(DEFAULT_OUTAGE_MS);
    expect(outageFromEnv({ ADVISORY_LEDGER_OUTAGE: '2' })).toBe(2000);
    expect(outageFromEnv({ ADVISORY_LEDGER_OUTAGE: '0' })).toBe(0);
    expect(() => outageFromEnv({ ADVISORY_LEDGER_OUTAGE: 'soon' })).toThrow(ConfigError);
    expect(() => outageFromEnv({ ADVISORY_LEDGER_OUTAGE: '-1' })).toThrow(/ADVISORY_LEDGER_OUTAGE is "-1": expected seconds from 0 to 86400/);
  });
});
