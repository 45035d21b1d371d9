/**
 * The dispatcher: on every wake it (1) reconciles deliveries a crash left in
 * `sending`, (2) creates what recorded occurrences still lack (a channel that
 * did not render), (3) plans what fell due since it last looked and records
 * each due occurrence with its deliveries, (4) sends every due pending
 * delivery. Wakes are serialised; a wake during a cycle runs one more after it.
 * With a work queue (`queue: redis://…`) steps (1) and (4) are the workers':
 * the cycle plans, then hands what is due to the queue (`relay`).
 */
import type { Logger } from 'pino';
import type { Campaign } from '../content/model.js';
import type { Occurrence } from '../schedule/types.js';
import type { DeliveryQueue, ApprovalStore, SubscriberStore, MetaStore, DispatcherLock } from './store/index.js';
import { completeWaiting, materialize, type MaterializeDeps } from './materialize.js';
import { InFlight, reconcileSending, sendDue, type SendDeps } from './sender.js';

export interface Planner {
  /** The campaigns as they are on disk now (invalid ones left out and logged). */
  campaigns(): Campaign[];
  /** Occurrences due in [from, to), sorted by due time. */
  occurrences(campaigns: Campaign[], window: { from: Date; to: Date }): Occurrence[];
}

export interface DispatcherDeps extends SendDeps, MaterializeDeps {
  store: DeliveryQueue & ApprovalStore & SubscriberStore & MetaStore & DispatcherLock;
  log: Logger;
  planner: Planner;
  /** How far back the first start looks for firings to catch up (default 14 days). */
  catchupMs?: number;
  /** How far ahead to look for the next firing, to wake exactly then (default 1 day). */
  lookaheadMs?: number;
  /**
   * With a work queue: offers what is due (and what dead workers left claimed) to the queue, whose
   * workers reconcile and send (queue/relay.ts). Absent: this process reconciles and sends itself.
   */
  relay?: () => Promise<void>;
}

const PLANNED_UP_TO = 'planned_up_to';
const DAY = 86_400_000;

export class Dispatcher {
  readonly inFlight = new InFlight();
  private cycle: Promise<void> | null = null;
  private again = false;
  private planRequested = true;
  private nextFiringAt: number | null = null;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Plan on the next cycle even if no firing is known to be due: the minute tick, the one trigger besides a known firing. */
  requestPlan(): void {
    this.planRequested = true;
  }

  /** Runs one cycle (or joins the running one and queues another). */
  wake(): Promise<void> {
    if (this.cycle) {
      this.again = true;
      return this.cycle;
    }
    this.cycle = (async () => {
      try {
        do {
          this.again = false;
          await this.runCycle();
        } while (this.again && !this.deps.stopping?.());
      } finally {
        this.cycle = null;
      }
    })();
    return this.cycle;
  }

  /** Resolves once the running cycle (if any) has finished: in-flight sends end with it. */
  async idle(): Promise<void> {
    // A failed cycle was reported by whoever awaited wake(); waiting for it to end is all this does.
    while (this.cycle) await this.cycle.catch(() => {});
  }

  /** When something is next due: a pending attempt or a planned firing. */
  async nextWakeAt(): Promise<Date | null> {
    let a = (await this.deps.store.nextAttemptAt())?.getTime() ?? Infinity;
    // With a queue, what is due already was offered to it by this cycle's relay: the workers send it. Waking at
    // once for it again would spin (a relay pass after another, each reading every due row, for as long as the
    // workers take); the loop's poll (at least once a second) looks again instead.
    if (this.deps.relay && a <= this.deps.now().getTime()) a = Infinity;
    const t = Math.min(a, this.nextFiringAt ?? Infinity);
    return Number.isFinite(t) ? new Date(t) : null;
  }

  private async runCycle(): Promise<void> {
    // Workers on other machines may be sending right now: with a queue, only they judge a claim (queue/work.ts).
    if (!this.deps.relay) await reconcileSending(this.deps, this.inFlight);
    const now = this.deps.now();
    // Plans when asked (the start, the minute tick of the one clock) and exactly when the next known firing falls due.
    if (this.planRequested || (this.nextFiringAt !== null && now.getTime() >= this.nextFiringAt)) {
      this.planRequested = false;
      await this.plan(now);
    }
    if (this.deps.relay) await this.deps.relay();
    else await sendDue(this.deps, this.inFlight);
  }

  /** Plans [planned_up_to, now] and creates the deliveries of every due occurrence. */
  async plan(now: Date): Promise<{ occurrences: number; created: number }> {
    const { store, planner, log } = this.deps;
    const last = await store.getMeta(PLANNED_UP_TO);
    const from = last ? new Date(last) : new Date(now.getTime() - (this.deps.catchupMs ?? 14 * DAY));
    // The window is half-open; reach 1 ms past now so a firing due exactly now is included.
    const to = new Date(now.getTime() + 1);
    const campaigns = planner.campaigns();
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    // First what recorded occurrences still lack (a channel that did not render last time, a publish's intent).
    let created = (await store.waitingChannels()).length > 0 ? await completeWaiting(this.deps, byId, now) : 0;
    const occurrences = from < to ? planner.occurrences(campaigns, { from, to }) : [];
    for (const occ of occurrences) {
      const campaign = byId.get(occ.campaign);
      if (!campaign) continue;
      // Recorded with every channel at once; a channel that does not render is recorded waiting and completed later.
      created += (await materialize(occ, campaign, this.deps, now)).created;
    }
    const upTo = last && Date.parse(last) > to.getTime() ? last : to.toISOString();
    await store.setMeta(PLANNED_UP_TO, upTo);
    const ahead = planner.occurrences(campaigns, { from: to, to: new Date(to.getTime() + (this.deps.lookaheadMs ?? DAY)) });
    this.nextFiringAt = ahead.length > 0 ? Date.parse(ahead[0].dueUtc) : null;
    if (occurrences.length > 0) log.info({ from: from.toISOString(), to: to.toISOString(), occurrences: occurrences.length, created }, 'planned');
    return { occurrences: occurrences.length, created };
  }
}
