/**
 * Per-recipient deliveries (e-mail: one per subscriber) said as one line per channel and reason, with a
 * count and an example key, where a line each would bury the rest (`publish --now`'s held, failed and
 * missed rows; `status`'s lists). Deliveries with no recipient (a WeChat post, a Weibo post, the website)
 * keep a line each. The JSON reports keep every row.
 */
export interface GroupableRow {
  key: string;
  channel: string;
  /** The subscriber for a per-recipient delivery, else null. */
  recipient: string | null;
}

export type RowLine<R> =
  | { kind: 'one'; row: R }
  | { kind: 'group'; channel: string; reason: string | null; count: number; example: R };

/** Rows in first-seen order; recipients alike in channel and reason (two or more) as one group. */
export function groupPerRecipient<R extends GroupableRow>(rows: readonly R[], reasonOf: (r: R) => string | null): RowLine<R>[] {
  const groups = new Map<string, { channel: string; reason: string | null; rows: R[] }>();
  const order: Array<R | string> = [];
  for (const r of rows) {
    if (r.recipient === null) {
      order.push(r);
      continue;
    }
    const reason = reasonOf(r);
    const id = JSON.stringify([r.channel, reason]);
    const g = groups.get(id);
    if (g) g.rows.push(r);
    else (groups.set(id, { channel: r.channel, reason, rows: [r] }), order.push(id));
  }
  return order.map((o) => {
    if (typeof o !== 'string') return { kind: 'one', row: o };
    const g = groups.get(o)!;
    return g.rows.length === 1 ? { kind: 'one', row: g.rows[0] } : { kind: 'group', channel: g.channel, reason: g.reason, count: g.rows.length, example: g.rows[0] };
  });
}
