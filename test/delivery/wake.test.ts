/**
 * `publish --now` handing work to a running daemon nudges it through
 * var/dispatch.wake, so the daemon looks at the ledger at once instead of at
 * its next poll; the wake loop still runs one cycle at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { startWakeLoop } from '../../src/delivery/loop.js';
import { nudgeDispatcher, watchNudges } from '../../src/delivery/wake.js';
import type { Dispatcher } from '../../src/delivery/dispatcher.js';

/** A dispatcher whose cycles take `ms` each, counting them and how many ran at once. */
function slowDispatcher(ms: number) {
  let active = 0;
  const seen = { cycles: 0, mostAtOnce: 0 };
  const dispatcher = {
    async wake() {
      active++;
      seen.mostAtOnce = Math.max(seen.mostAtOnce, active);
      await new Promise((r) => setTimeout(r, ms));
      active--;
      seen.cycles++;
    },
    async nextWakeAt() {
      return null;
    },
    async idle() {},
  } as unknown as Dispatcher;
  return { dispatcher, seen };
}

const clock = { now: () => new Date() } as never;
const log = pino({ level: 'silent' });

describe('nudging the daemon', () => {
  it('a nudge runs a cycle at once, though the poll is a minute; nudges during a cycle make one more, never two at once', async () => {
    const { dispatcher, seen } = slowDispatcher(30);
    const loop = startWakeLoop(dispatcher, clock, log, 60_000);
    try {
      await vi.waitFor(() => expect(seen.cycles).toBe(1));
      loop.wake();
      await vi.waitFor(() => expect(seen.cycles).toBe(2), { timeout: 2_000 });
      loop.wake(); // starts the third
      await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < 5; i++) loop.wake(); // during it: one more after it
      await vi.waitFor(() => expect(seen.cycles).toBe(4), { timeout: 2_000 });
      await new Promise((r) => setTimeout(r, 100));
      expect(seen.cycles).toBe(4);
      expect(seen.mostAtOnce).toBe(1);
    } finally {
      await loop.stop();
    }
  });

  it("the wake file: a command touches it, the daemon's watch hears it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisory-wake-'));
    let heard = 0;
    const w = watchNudges(dir, () => heard++);
    try {
      nudgeDispatcher(dir);
      await vi.waitFor(() => expect(heard).toBeGreaterThan(0), { timeout: 2_000 });
    } finally {
      w.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => nudgeDispatcher(join(dir, 'gone'))).not.toThrow();
  });
});
