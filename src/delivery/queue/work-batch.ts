/**
 * What a queue worker does with the e-mail jobs it has in hand, together: the
 * per-recipient channel's share of what the single process does in groups
 * (sender.ts sendBatched), so a worker pays a few PostgreSQL round trips per
 * batch instead of some fifteen per message. The jobs a worker holds at once
 * (gathered for a few ms, gather.ts; at most its concurrency) are:
 *
 * 1. looked up in one read; a key final, not due, in `sending` (a live claim,
 *    or one to reconcile) or of another channel goes sendKey's way, one by one;
 * 2. the pending, due ones claimed `sending` in ONE committed statement
 *    (markSendingMany: per row the same `UPDATE … WHERE state = 'pending'` as
 *    markSending, each claim's attempt its generation), before any is sent;
 * 3. the approval read once per campaign, the recipients in one read, and the
 *    claims looked at in one read just before the calls (the last look: a claim
 *    taken over is not sent), each claim kept fresh while in hand (hold);
 * 4. sent side by side (sender.ts sendClaimed: failures recorded at once, by
 *    the one retry policy), and the accepted ones recorded `sent` in ONE
 *    statement (markSentMany, fenced row by row by the attempt) once every
 *    send of the batch has returned (waiting out the ledger's server going
 *    away, up to RECORD_OUTAGE_MS: recordSent); only then are the jobs
 *    acknowledged.
 *
 * What a killed worker can repeat is unchanged: a batch is only jobs in hand,
 * so at most the worker's concurrency deliveries are claimed and unrecorded at
 * any moment; after the lease they are reconciled and resent (marked
 * resentAfterCrash), and only those the server had taken arrive twice.
 */
import type { Logger } from 'pino';
import type { Receipt } from '../../channels/channel.js';
import { FINAL_STATES, isLedgerOutage, type Approval, type Delivery } from '../store/index.js';
import { sendClaimed, sendKey, staleReason, type KeyOutcome, type SendDeps } from '../sender.js';
import { accountMismatch } from '../frozen-account.js';
import { assertStillClaimed } from './work.js';

/**
 * How long a worker waits, after a job comes into its hands, for more to join its batch (unless it has as many
 * as its concurrency already). BullMQ hands out jobs one Redis round trip apart, and hands the next ones as the
 * last batch's are acknowledged together: a few ms gathers them, and adds no more than that to a lone job.
 */
export const GATHER_MS = 5;

/** Handles the jobs of `keys` as one batch (see above); each key's outcome, or its own error, in `keys` order. */
export async function handleJobs(deps: SendDeps, keys: string[], staleMs: number): Promise<Array<PromiseSettledResult<KeyOutcome>>> {
  const rows = new Map((await deps.store.list({ keys: [...new Set(keys)] })).map((d) => [d.key, d]));
  const now = deps.now().getTime();
  const outcome = new Map<string, Promise<KeyOutcome>>();
  const claimable: Delivery[] = [];
  for (const key of keys) {
    if (outcome.has(key)) continue;
    const d = rows.get(key);
    if (!d) outcome.set(key, Promise.resolve('not-in-ledger'));
    else if (FINAL_STATES.includes(d.state)) outcome.set(key, Promise.resolve('final'));
    else if (d.state !== 'pending' || !deps.channels.get(d.channel)?.perRecipient) outcome.set(key, sendKey(deps, key, staleMs));
    else if (d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) > now) outcome.set(key, Promise.resolve('not-due'));
    else claimable.push(d);
  }
  const batch = sendTogether(deps, claimable, staleMs);
  for (const d of claimable) outcome.set(d.key, batch.then((r) => r(d.key)));
  return Promise.allSettled(keys.map((k) => outcome.get(k)!));
}

type Sent = { d: Delivery; attempt: number; receipt: Receipt; log: Logger };

/** How long a batch's `sent` waits for the ledger's server to come back before it is left to be resent. */
export const RECORD_OUTAGE_MS = 30_000;

/**
 * Records a batch's accepted messages `sent`, waiting out the ledger's server going away (a restart, a failover)
 * for up to RECORD_OUTAGE_MS (or the lease, if longer): they reached the server, so recorded late beats resent
 * (every one a copy in the subscriber's inbox). Safe to repeat, and past the lease too: markSentMany changes only
 * a row still `sending` in that attempt, so one whose first try committed unanswered is left alone, as is one
 * another worker took over meanwhile (the fence). Past the bound it gives up, as before: the claims are judged
 * abandoned and resent, each counted.
 */
async function recordSent(deps: SendDeps, sent: Sent[], staleMs: number): Promise<void> {
  const until = Date.now() + Math.max(staleMs, RECORD_OUTAGE_MS);
  for (let wait = 100; ; wait = Math.min(2 * wait, 1000)) {
    try {
      return await deps.store.markSentMany(sent.map((x) => ({ key: x.d.key, attempt: x.attempt, receipt: x.receipt })), deps.now());
    } catch (err) {
      if (!isLedgerOutage(err) || Date.now() + wait > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Steps 2–4 for pending, due deliveries of per-recipient channels; resolves to each key's outcome (or throws its error). */
async function sendTogether(deps: SendDeps, listed: Delivery[], staleMs: number): Promise<(key: string) => KeyOutcome> {
  if (listed.length === 0) return () => 'attempted';
  const { store } = deps;
  const claimed = await store.markSendingMany(listed.map((d) => d.key), deps.now());
  const mine = new Set(claimed.map((d) => d.key));
  const errors = new Map<string, unknown>();
  const releases = claimed.map((d) => deps.claims?.hold(d.key, d.attempts));
  try {
    // Read after the claim, as sendOne reads them after markSending: a newer approval or unsubscription counts.
    const campaigns = [...new Set(claimed.filter((d) => deps.channels.get(d.channel)!.approval).map((d) => d.campaign))];
    const recipients = [...new Set(claimed.flatMap((d) => (d.recipient ? [d.recipient] : [])))];
    const [approvals, subscribers] = await Promise.all([
      Promise.all(campaigns.map(async (c) => [c, await store.latestApproval(c)] as const)),
      store.subscribersById(recipients),
    ]);
    const latest = new Map<string, Approval | undefined>(approvals);
    // The last look before the calls, one read for the batch: its sends start together, right after it.
    let look: Promise<Map<string, Delivery>> | null = null;
    const check = async (key: string, attempt: number) => {
      look ??= store.list({ keys: claimed.map((d) => d.key) }).then((ds) => new Map(ds.map((d) => [d.key, d])));
      assertStillClaimed(key, attempt, (await look).get(key));
    };
    const batchDeps: SendDeps = deps.claims ? { ...deps, claims: { hold: deps.claims.hold, check } } : deps;
    const sent: Sent[] = [];
    const results = await Promise.allSettled(claimed.map(async (d) => {
      deps.failpoints.hit('after-sending');
      const channel = deps.channels.get(d.channel)!;
      const stale = accountMismatch(d.payload, channel.config) ?? (channel.approval ? staleReason(latest.get(d.campaign), d) : null);
      await sendClaimed(batchDeps, d, d.attempts, stale, async (x, attempt, receipt, log) => {
        sent.push({ d: x, attempt, receipt, log });
      }, subscribers);
    }));
    results.forEach((r, i) => r.status === 'rejected' && errors.set(claimed[i].key, r.reason));
    try {
      await recordSent(deps, sent, staleMs);
      for (const x of sent) x.log.info({ attempt: x.attempt, receipt: x.receipt.id }, 'sent');
    } catch (err) {
      // Not recorded: each stays `sending` in its attempt, judged after the lease (reconciled, resent, counted).
      for (const x of sent) errors.set(x.d.key, err);
    }
  } finally {
    for (const release of releases) release?.();
  }
  return (key) => {
    if (errors.has(key)) throw errors.get(key);
    // Claimed by another worker between the read and the claim: theirs.
    return mine.has(key) ? 'attempted' : 'busy';
  };
}
