/**
 * The pause before the next look at the ledger: at least `minMs`, and `factor` times what the last look took (so
 * that the looks take at most 1/factor of the ledger's time, however large the publish: counting 200,000 rows on
 * PostgreSQL takes about 0.1 s), and at most `maxMs` (a look slowed by a busy server is not waited on for long).
 */
export function pace(minMs: number, o: { factor?: number; maxMs?: number } = {}): { timed<T>(look: () => Promise<T>): Promise<T>; next(): number } {
  const factor = o.factor ?? 10;
  const maxMs = o.maxMs ?? 2_000;
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
    next: () => Math.max(minMs, Math.min(maxMs, Math.round(factor * tookMs))),
  };
}
