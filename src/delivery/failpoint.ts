/**
 * Fault injection for crash drills: `ADVISORY_FAILPOINT=after-sending:3` makes
 * the process SIGKILL itself right after the 3rd delivery is committed as
 * `sending` (before the channel is called); `after-checkpoint:N` right after a
 * channel recorded the Nth step of a multi-step publish (WeChat: 1 the draft,
 * 2 the submit about to be sent, 3 its publish_id; Weibo: 1 the post about to
 * be sent); `after-publish:N` right after the
 * Nth channel call returned, before `sent` is recorded; `after-create:N` after
 * the Nth occurrence (with all its deliveries) was committed. Inside that one
 * transaction, before it commits: `record-occurrence:N` after the occurrence
 * row, `record-channel:N` after a channel's deliveries, `record-fanout:N` after
 * a chunk of the e-mail fan-out. `NAME:N:stop` freezes the process there
 * (SIGSTOP) instead of killing it: a frozen dispatcher at a known point, for
 * split-brain drills. Several may be given, comma-separated. Unset (the normal
 * case), every hit is a no-op.
 */
import { ConfigError } from '../errors.js';
import { runMessages } from '../i18n/messages-run.js';

export const FAILPOINTS = ['after-create', 'after-sending', 'after-checkpoint', 'after-publish', 'record-occurrence', 'record-channel', 'record-fanout'] as const;
export type FailpointName = (typeof FAILPOINTS)[number];

export interface Failpoints {
  hit(name: FailpointName): void;
}

export function parseFailpoints(
  spec: string | undefined,
  kill: () => void = () => process.kill(process.pid, 'SIGKILL'),
  stop: () => void = () => process.kill(process.pid, 'SIGSTOP'),
): Failpoints {
  const targets = new Map<string, { n: number; action: () => void }>();
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z-]+):(\d+)(:stop)?$/.exec(part);
    if (!m || !(FAILPOINTS as readonly string[]).includes(m[1]) || Number(m[2]) < 1) {
      throw new ConfigError(runMessages().badFailpoint(part, FAILPOINTS.join(', ')));
    }
    targets.set(m[1], { n: Number(m[2]), action: m[3] ? stop : kill });
  }
  const counts = new Map<string, number>();
  return {
    hit(name) {
      const target = targets.get(name);
      if (target === undefined) return;
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      if (n === target.n) target.action();
    },
  };
}
