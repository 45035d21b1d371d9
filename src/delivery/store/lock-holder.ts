/**
 * How a dispatcher lock's holder stands, the same for every backend: decided
 * the way that can be known.
 * - on the same host, by its process: alive while that pid exists, is not a
 *   zombie and started when the holder did (pid reuse). A process that exists
 *   but stopped heartbeating (SIGSTOP, a swap storm) is still alive, reported
 *   `unresponsive`, and is never taken over: it would resume and send.
 * - from another host, by its heartbeat: alive while younger than its lease.
 */
import { hostname } from 'node:os';
import { processAlive, processStart } from '../../fs/process-alive.js';
import type { LockHolder, LockState } from './types.js';

/** The identity of a process on this host: its pid and the kernel's start time for it (Linux), so a reused pid is not mistaken for it. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  start: string | null;
}

export function selfIdentity(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), start: processStart(process.pid) };
}

/** A lock as a backend keeps it. */
export interface LockRecord {
  pid: number;
  host: string;
  purpose: string;
  startedAt: string;
  heartbeatAt: string;
  generation: number;
  leaseMs: number;
  processStart: string | null;
  releasedAt: string | null;
}

/** The holder as `me` sees it at `now` (the wall clock: lock liveness is about real processes). */
export function lockHolder(r: LockRecord, me: ProcessIdentity, now: Date): LockHolder {
  const age = now.getTime() - Date.parse(r.heartbeatAt);
  const sameHost = r.host === me.host;
  let state: LockState;
  if (r.releasedAt) state = 'released';
  else if (sameHost) state = !processAlive(r.pid, r.processStart) ? 'dead' : age > r.leaseMs ? 'unresponsive' : 'alive';
  else state = age > r.leaseMs ? 'expired' : 'alive';
  return {
    pid: r.pid, host: r.host, purpose: r.purpose, startedAt: r.startedAt, heartbeatAt: r.heartbeatAt,
    generation: r.generation, leaseMs: r.leaseMs, sameHost, heartbeatAgeMs: age, state,
  };
}

/** Whether a holder keeps the lock: alive, or alive but not responding (never taken over). */
export const holdsLock = (h: LockHolder) => h.state === 'alive' || h.state === 'unresponsive';
