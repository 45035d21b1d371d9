/**
 * Time for the dispatcher. `Clock.now()` is the only way delivery code reads
 * the time, so tests and drills can move it: `systemClock(start)` runs at real
 * speed from a chosen start (`advisory run --clock-start`), `ManualClock` only
 * moves when told. The ticker (node-cron, every minute, in the campaign zone)
 * makes the daemon plan again even when nothing else wakes it.
 */
import cron, { type ScheduledTask } from 'node-cron';

export interface Clock {
  now(): Date;
}

/** Real time, optionally shifted so that it reads `start` at the moment of the call. */
export function systemClock(start?: Date): Clock {
  const offset = start ? start.getTime() - Date.now() : 0;
  return { now: () => new Date(Date.now() + offset) };
}

export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(to: Date | string): void {
    this.t = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Ticker {
  start(onTick: () => void): void;
  stop(): void;
}

/**
 * Fires `onTick` on a node-cron expression in `timezone`: by default at the start
 * of every minute (where the zone matters only for readable logs), or e.g.
 * `'5 0 * * *'` for shortly after local midnight.
 */
export function cronTicker(timezone: string, expression = '* * * * *', name = 'advisory-dispatcher'): Ticker {
  let task: ScheduledTask | undefined;
  return {
    start(onTick) {
      task = cron.schedule(expression, () => onTick(), { timezone, name, noOverlap: false });
    },
    stop() {
      void task?.destroy();
      task = undefined;
    },
  };
}
