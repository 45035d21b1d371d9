/**
 * The daemon's wake loop: run a dispatcher cycle, then sleep until the next
 * thing is due, but never longer than `pollMs` (so deliveries another process
 * wrote into the ledger, e.g. `advisory publish`, are found within a second).
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Dispatcher } from './dispatcher.js';

export interface WakeLoop {
  /** Runs a cycle now (another process recorded work): at once when idle, right after the current one otherwise. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * `fatal(err)` is asked about every failed cycle: true means the loop must not
 * go on (the dispatcher lost its lock); otherwise the cycle is logged and tried
 * again shortly.
 */
export function startWakeLoop(dispatcher: Dispatcher, clock: Clock, log: Logger, pollMs = 1000, fatal: (err: unknown) => boolean = () => false): WakeLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // After failed cycles (a full disk, a locked ledger) the next try waits longer: 1 s, 2 s, 4 s … up to a minute.
  let failures = 0;
  let cycling = false;
  let again = false;
  const loop = async () => {
    if (stopped) return;
    cycling = true;
    again = false;
    try {
      await dispatcher.wake();
      failures = 0;
    } catch (err) {
      if (fatal(err)) {
        stopped = true;
        return;
      }
      failures++;
      const pause = Math.min(60_000, pollMs * 2 ** (failures - 1));
      log.error({ err, failures, retryInMs: pause }, `dispatch cycle failed; trying again in ${Math.round(pause / 1000)} s: ${(err as Error).message}`);
      cycling = false; // a nudge meanwhile runs the next try at once
      timer = setTimeout(loop, again ? 0 : pause);
      return;
    }
    if (stopped) return;
    let next: Date | null = null;
    try {
      next = await dispatcher.nextWakeAt();
    } catch (err) {
      log.error({ err }, 'could not read when something is next due; looking again shortly');
    }
    const wait = again ? 0 : next ? Math.min(pollMs, Math.max(0, next.getTime() - clock.now().getTime())) : pollMs;
    // one cycle at a time: until the next one is scheduled, a nudge only asks for it to come at once
    cycling = false;
    timer = setTimeout(loop, wait);
  };
  void loop();
  return {
    wake() {
      if (stopped) return;
      if (cycling) {
        again = true;
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await dispatcher.idle();
    },
  };
}
