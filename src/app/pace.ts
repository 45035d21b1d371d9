/**
 * The pause before the next look at the ledger: at least `minMs`, and ten times what the last look took, so that
 * waiting on a large publish (counting 200,000 rows) takes at most a tenth of the ledger's time; at most MAX_PACE_MS
 * (a look slowed by a busy server is not waited on for long).
 */
export const MAX_PACE_MS = 2_000;

export function pace(minMs: number): { timed<T>(look: () => Promise<T>): Promise<T>; next(): number } {
  let tookMs = 0;
  return {
    async timed(look) {
      const t0 = performance.now();
      try {
        return await look();
      } finally {
        tookMs = performance.now() - t0;
      }
    },
    next: () => Math.max(minMs, Math.min(MAX_PACE_MS, Math.round(10 * tookMs))),
  };
}
