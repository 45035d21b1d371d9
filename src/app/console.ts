/**
 * What the staff console shows and does, from the runtime the daemon runs on:
 * the coming firings by holiday with each channel's state in the ledger, the
 * campaigns waiting for (re-)approval with what changed since the last one,
 * failures and holds with the channel's own words and what to do, retrying
 * one, and the subscriber list's counts, import and export. The pages
 * (server/console-pages.ts) only lay this out.
 */
import { createHash } from 'node:crypto';
import type { ChannelName } from '../channels/channel.js';
import type { Campaign } from '../content/model.js';
import type { Occurrence } from '../schedule/types.js';
import { AWAITING_APPROVAL, type Attempt, type Delivery, type DeliveryState, type SubscriberStatus } from '../delivery/store/index.js';
import { decodeSubscriberList, formatSubscriberCsv, parseSubscriberList, type ListEncoding } from '../delivery/subscriber-list.js';
import { currentApprovalHash } from './approve.js';
import { contentDiff, loadSnapshot, snapshotOf, type ContentDiff } from './content-diff.js';
import { subscriptions } from './subscriptions.js';
import type { Runtime } from './runtime.js';

const DAY = 86_400_000;
/** Rows read per state for the failures page (a group counts them; more than this are left to `advisory status`). */
const LIST_MAX = 5_000;
/** Subscribers written per transaction by a console import. */
const IMPORT_CHUNK = 2_000;
/** Subscribers formatted per piece of a console export. */
const EXPORT_CHUNK = 5_000;

/** A message with what differs per recipient set aside (addresses, subscriber ids), for grouping. */
const sameWords = (m: string) => m.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '<address>').replace(/\bs-[0-9a-f]{16}\b/g, '<subscriber>');

/** A channel of one firing, as the ledger has it (or as it will be, when not yet recorded). */
export type ChannelStateName = 'scheduled' | 'needs-approval' | 'due' | 'queued' | 'sending' | 'held' | 'sent' | 'failed' | 'missed' | 'waiting' | 'skipped';

export interface FiringChannel {
  channel: ChannelName;
  state: ChannelStateName;
  /** Per-recipient channels (e-mail): deliveries by state. */
  counts?: Partial<Record<DeliveryState, number>>;
  /** Why (held, waiting, missed), in the ledger's words. */
  detail?: string;
}

export interface Firing {
  key: string;
  schedule: string;
  dueUtc: string;
  dueLocal: string;
  past: boolean;
  channels: FiringChannel[];
}

export interface CalendarGroup {
  campaign: string;
  title: string;
  holiday?: string;
  year?: number;
  approval: ApprovalState;
  /** Channels of its firings that need approval (live ones): none means approval is not needed to send. */
  liveChannels: ChannelName[];
  firings: Firing[];
}

export type ApprovalState = { state: 'approved'; by: string; at: string } | { state: 'changed'; by: string; at: string } | { state: 'never' };

export interface ApprovalItem {
  campaign: string;
  title: string;
  hash: string;
  approval: ApprovalState;
  /** Live channels of its coming firings: these wait for approval; sandbox ones do not. */
  liveChannels: ChannelName[];
  /** Deliveries held for approval now. */
  held: number;
  next?: { dueLocal: string; channels: ChannelName[] };
}

export interface ApprovalDetail extends ApprovalItem {
  /** Against the latest approval of other content, when its snapshot was kept. */
  diff?: ContentDiff;
  /** The latest approval was of other content, but what it was is not known (approved before snapshots were kept). */
  noSnapshot?: boolean;
}

export interface FailureItem {
  key: string;
  campaign: string;
  channel: ChannelName;
  state: DeliveryState;
  attempts: number;
  /** The channel's own words (its error message, with its code). */
  message: string;
  channelCode?: string;
  /** transient, rate-limited, auth, needs-person, permanent (the retry policy's classes), or approval for an approval hold. */
  kind: string;
  updatedAt: string;
  nextAttemptAt?: string | null;
}

/**
 * Failures alike, together: one campaign's channel, state, kind and message (addresses and subscriber ids
 * set aside), so 10,000 e-mails held for one approval or refused by one server are one row, not 10,000.
 */
export interface FailureGroup {
  /** Stable for the same group while its rows stand (the retry form names it). */
  id: string;
  campaign: string;
  channel: ChannelName;
  state: DeliveryState;
  kind: string;
  channelCode?: string;
  /** The first delivery's own words. */
  message: string;
  count: number;
  /** The first few recipients' addresses (per-recipient channels). */
  recipients: string[];
  /** How many can be retried now (not an approval hold; the recipient still subscribed). */
  retryable: number;
  first: FailureItem;
}

export interface ImportSummary {
  encoding: ListEncoding;
  added: number;
  present: number;
  skipped: number;
  notActive: number;
  invalid: Array<{ line: number; message: string }>;
}

export interface ConsoleService {
  calendar(now: Date): Promise<CalendarGroup[]>;
  approvals(now: Date): Promise<ApprovalItem[]>;
  approval(campaign: string, now: Date): Promise<ApprovalDetail | undefined>;
  failures(): Promise<{ failed: FailureGroup[]; held: FailureGroup[]; retrying: FailureGroup[] }>;
  /** Retries every retryable delivery of a group (as failures() shows it now); how many were requeued. */
  retryGroup(id: string, now: Date): Promise<number>;
  /** failed (or held for a person) → pending, and the dispatcher woken. */
  retry(key: string, now: Date): Promise<'requeued' | 'unknown' | 'not-retryable'>;
  subscriberCounts(): Promise<Record<SubscriberStatus, number>>;
  /** Deliveries by state (the home page's failed and held). */
  deliveryCounts(): Promise<Record<DeliveryState, number>>;
  importSubscribers(bytes: Uint8Array, fileName: string, now: Date): Promise<ImportSummary>;
  /** The CSV `subscribers export` writes, in pieces with the event loop free between them (a long list does not stall the daemon). */
  exportSubscribers(): AsyncIterable<string>;
}

export function consoleService(rt: Runtime, wake: () => void = () => {}): ConsoleService {
  const live = (c: ChannelName) => rt.configs[c].approval;

  async function approvalState(campaign: Campaign): Promise<{ hash: string; approval: ApprovalState }> {
    const store = await rt.store();
    const hash = currentApprovalHash(rt, campaign);
    const exact = await store.approval(campaign.id, hash);
    if (exact) return { hash, approval: { state: 'approved', by: exact.approvedBy, at: exact.approvedAt } };
    const latest = await store.latestApproval(campaign.id);
    return { hash, approval: latest ? { state: 'changed', by: latest.approvedBy, at: latest.approvedAt } : { state: 'never' } };
  }

  const plan = (campaigns: Campaign[], from: Date, to: Date): Occurrence[] => rt.planner.occurrences(campaigns, { from, to });

  async function firingOf(o: Occurrence, now: Date, approved: boolean): Promise<Firing> {
    const store = await rt.store();
    const recorded = await store.occurrence(o.key);
    const past = Date.parse(o.dueUtc) <= now.getTime();
    let channels: FiringChannel[];
    if (!recorded) {
      channels = o.channels.map((channel) => ({ channel, state: past ? 'due' : !approved && live(channel) ? 'needs-approval' : 'scheduled' }));
    } else {
      const progress = await store.progress(o.key);
      const created = new Map((await store.occurrenceChannels(o.key)).map((c) => [c.channel, c]));
      channels = [];
      for (const channel of o.channels) {
        const c = created.get(channel);
        if (c?.state === 'waiting') {
          channels.push({ channel, state: 'waiting', detail: c.error ?? undefined });
          continue;
        }
        if (c?.state === 'skipped') {
          channels.push({ channel, state: 'skipped' });
          continue;
        }
        const counts: Partial<Record<DeliveryState, number>> = {};
        for (const p of progress) if (p.channel === channel) counts[p.state] = (counts[p.state] ?? 0) + p.n;
        const state: ChannelStateName = counts.failed ? 'failed' : counts.held ? 'held' : counts.sending ? 'sending' : counts.pending ? 'queued' : counts.missed && !counts.sent ? 'missed' : counts.sent ? 'sent' : 'scheduled';
        let detail: string | undefined;
        if (state === 'held' || state === 'missed' || state === 'failed') {
          const one = (await store.list({ occurrence: o.key, state: state === 'failed' ? 'failed' : state, limit: 50 })).find((d) => d.channel === channel);
          detail = one?.reason ?? one?.lastError ?? undefined;
        }
        channels.push({ channel, state, ...(Object.keys(counts).length > 1 || (counts.sent ?? 0) > 1 ? { counts } : {}), ...(detail ? { detail } : {}) });
      }
    }
    return { key: o.key, schedule: o.schedule, dueUtc: o.dueUtc, dueLocal: o.dueLocal, past, channels };
  }

  async function heldForApproval(campaign: string): Promise<number> {
    const store = await rt.store();
    return (await store.list({ state: 'held', campaign, limit: 100_000 })).filter((d) => d.reason?.startsWith(AWAITING_APPROVAL)).length;
  }

  async function approvalItem(c: Campaign, now: Date): Promise<ApprovalItem> {
    const { hash, approval } = await approvalState(c);
    const coming = plan([c], now, new Date(now.getTime() + 400 * DAY));
    const liveChannels = [...new Set(coming.flatMap((o) => o.channels).filter(live))];
    const next = coming[0];
    return {
      campaign: c.id, title: c.title, hash, approval, liveChannels, held: await heldForApproval(c.id),
      ...(next ? { next: { dueLocal: next.dueLocal, channels: next.channels } } : {}),
    };
  }

  function failureItem(d: Delivery, last: Attempt | undefined): FailureItem {
    const approvalHold = d.state === 'held' && d.reason?.startsWith(AWAITING_APPROVAL);
    return {
      key: d.key, campaign: d.campaign, channel: d.channel, state: d.state, attempts: d.attempts,
      message: (d.state === 'pending' ? d.lastError : d.reason ?? d.lastError) ?? last?.errorMessage ?? '',
      ...(last?.channelCode ? { channelCode: last.channelCode } : {}),
      kind: approvalHold ? 'approval' : last?.errorClass ?? (d.state === 'held' ? 'needs-person' : 'permanent'),
      updatedAt: d.updatedAt,
      ...(d.state === 'pending' ? { nextAttemptAt: d.nextAttemptAt } : {}),
    };
  }

  /** Whether a failed or held delivery may be retried now: not an approval hold, its recipient (if any) still subscribed. */
  async function retryable(d: Delivery, kind: string): Promise<boolean> {
    if (kind === 'approval' || d.payloadSha256 === null) return false;
    if (d.recipient === null) return true;
    const s = await (await rt.store()).subscriber(d.recipient);
    return s?.status === 'active';
  }

  async function grouped(ds: Delivery[]): Promise<FailureGroup[]>;
  async function grouped(ds: Delivery[], withKeys: true): Promise<Array<FailureGroup & { keys: string[] }>>;
  async function grouped(ds: Delivery[], withKeys = false): Promise<Array<FailureGroup & { keys?: string[] }>> {
    const store = await rt.store();
    const groups = new Map<string, FailureGroup & { keys: string[] }>();
    for (const d of ds) {
      const item = failureItem(d, (await store.attempts(d.key)).at(-1));
      const sig = [d.campaign, d.channel, d.state, item.kind, item.channelCode ?? '', sameWords(item.message)].join('\u0000');
      let g = groups.get(sig);
      if (!g) {
        g = { id: createHash('sha256').update(sig).digest('base64url').slice(0, 16), campaign: d.campaign, channel: d.channel, state: d.state, kind: item.kind, ...(item.channelCode ? { channelCode: item.channelCode } : {}), message: item.message, count: 0, recipients: [], retryable: 0, first: item, keys: [] };
        groups.set(sig, g);
      }
      g.count++;
      if (d.recipientData && g.recipients.length < 5) g.recipients.push(d.recipientData.address);
      if (d.state !== 'pending' && (await retryable(d, item.kind))) (g.retryable++, g.keys.push(d.key));
    }
    return [...groups.values()].map(({ keys, ...g }) => (withKeys ? { ...g, keys } : g));
  }

  return {
    async calendar(now) {
      const campaigns = rt.planner.campaigns();
      const firings = plan(campaigns, new Date(now.getTime() - 3 * DAY), new Date(now.getTime() + 400 * DAY));
      const groups: CalendarGroup[] = [];
      for (const c of campaigns) {
        const own = firings.filter((o) => o.campaign === c.id);
        if (own.length === 0) continue;
        const { approval } = await approvalState(c);
        const list: Firing[] = [];
        for (const o of own) list.push(await firingOf(o, now, approval.state === 'approved'));
        const liveChannels = [...new Set(own.flatMap((o) => o.channels).filter(live))];
        groups.push({ campaign: c.id, title: c.title, holiday: c.holiday, year: c.year, approval, liveChannels, firings: list });
      }
      // The next holiday first: by the first firing still to come (groups with none left, last).
      const nextDue = (g: CalendarGroup) => g.firings.find((f) => !f.past)?.dueUtc ?? '9999';
      return groups.sort((a, b) => nextDue(a).localeCompare(nextDue(b)) || a.campaign.localeCompare(b.campaign));
    },

    async approvals(now) {
      const items: ApprovalItem[] = [];
      for (const c of rt.planner.campaigns()) items.push(await approvalItem(c, now));
      // What waits first: held deliveries, then changed or never approved with live firings coming, then the rest.
      const rank = (i: ApprovalItem) => (i.held > 0 ? 0 : i.approval.state !== 'approved' && i.liveChannels.length > 0 ? 1 : i.approval.state !== 'approved' ? 2 : 3);
      return items.sort((a, b) => rank(a) - rank(b) || (a.next?.dueLocal ?? '9').localeCompare(b.next?.dueLocal ?? '9'));
    },

    async approval(id, now) {
      const c = rt.planner.campaigns().find((x) => x.id === id);
      if (!c) return undefined;
      const item = await approvalItem(c, now);
      if (item.approval.state !== 'changed') return item;
      const store = await rt.store();
      const latest = await store.latestApproval(id);
      const before = latest ? await loadSnapshot(store, id, latest.contentHash) : undefined;
      return before ? { ...item, diff: contentDiff(before, snapshotOf(c)) } : { ...item, noSnapshot: true };
    },

    async failures() {
      const store = await rt.store();
      const pending = (await store.list({ state: 'pending', limit: 10_000 })).filter((d) => d.lastError !== null).slice(0, LIST_MAX);
      return {
        failed: await grouped(await store.list({ state: 'failed', limit: LIST_MAX })),
        held: await grouped(await store.list({ state: 'held', limit: LIST_MAX })),
        retrying: await grouped(pending),
      };
    },

    async retryGroup(id, now) {
      const store = await rt.store();
      const all = [...(await grouped(await store.list({ state: 'failed', limit: LIST_MAX }), true)), ...(await grouped(await store.list({ state: 'held', limit: LIST_MAX }), true))];
      const group = all.find((g) => g.id === id);
      let n = 0;
      for (const key of group?.keys ?? []) if (await store.retry(key, now)) n++;
      if (n > 0) wake();
      return n;
    },

    async retry(key, now) {
      const store = await rt.store();
      const d = await store.get(key);
      if (!d) return 'unknown';
      if (!(await store.retry(key, now))) return 'not-retryable';
      wake();
      return 'requeued';
    },

    async subscriberCounts() {
      return (await rt.store()).subscriberCounts();
    },

    async deliveryCounts() {
      return (await rt.store()).counts();
    },

    async importSubscribers(bytes, fileName, now) {
      const { text, encoding } = decodeSubscriberList(bytes, fileName);
      const list = parseSubscriberList(text, fileName);
      const subs = await subscriptions(rt);
      // In transactions of IMPORT_CHUNK rows, letting the daemon's other work run between them (the public site,
      // the dispatcher): a killed import keeps the chunks it committed, and importing the file again adds the rest.
      const r = { added: 0, present: 0, skipped: 0 };
      for (let i = 0; i < list.entries.length; i += IMPORT_CHUNK) {
        const part = await subs.import(list.entries.slice(i, i + IMPORT_CHUNK), now, `console:${fileName}`);
        r.added += part.added;
        r.present += part.present;
        r.skipped += part.skipped.length;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return {
        encoding, added: r.added, present: r.present + list.duplicates, skipped: r.skipped, notActive: list.notActive.length,
        invalid: list.invalid.map((i) => ({ line: i.line, message: i.message })),
      };
    },

    async *exportSubscribers() {
      const all = await (await rt.store()).subscribers();
      const head = formatSubscriberCsv([]).csv; // the BOM and the header line
      yield head;
      for (let i = 0; i < all.length; i += EXPORT_CHUNK) {
        yield formatSubscriberCsv(all.slice(i, i + EXPORT_CHUNK)).csv.slice(head.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
