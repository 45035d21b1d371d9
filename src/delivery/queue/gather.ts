/**
 * A micro-batch: calls made within a few milliseconds of each other are
 * answered by one run over all of them. A queue worker's jobs in hand arrive
 * one by one (BullMQ hands each to the processor on its own), and the ones of
 * an e-mail queue are then sent together (work-batch.ts). A batch is run once
 * `size` calls wait (a worker never has more jobs in hand than its
 * concurrency, so that is the size) or `waitMs` after the first, whichever
 * comes first; batches may run side by side.
 */
export interface GatherOptions {
  size: number;
  waitMs: number;
}

/** `run` answers each item of a batch in order: fulfilled with its result, or rejected with its own error. */
export function gather<T, R>(o: GatherOptions, run: (items: T[]) => Promise<Array<PromiseSettledResult<R>>>): (item: T) => Promise<R> {
  let waiting: Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = waiting;
    waiting = [];
    run(batch.map((x) => x.item)).then(
      (results) => batch.forEach((x, i) => {
        const r = results[i];
        if (!r) x.reject(new Error('a batch returned no result for one of its items'));
        else if (r.status === 'fulfilled') x.resolve(r.value);
        else x.reject(r.reason);
      }),
      (err) => batch.forEach((x) => x.reject(err)),
    );
  };
  return (item) => new Promise<R>((resolve, reject) => {
    waiting.push({ item, resolve, reject });
    if (waiting.length >= o.size) flush();
    else timer ??= setTimeout(flush, o.waitMs);
  });
}
