/**
 * The status report shared by `advisory status` and the daemon's /status page.
 * It must tell the truth after any crash: who holds the dispatcher lock and
 * whether that process still lives, which `sending` rows were interrupted,
 * which recorded channels still wait to be created (and why), and that work is
 * owed while no dispatcher runs.
 */
import type { DeliveryQueue, DeliveryState, DispatcherLock, MetaStore, SubscriberStatus, SubscriberStore } from './store/index.js';

/** What the report reads. */
export type StatusStore = DeliveryQueue & DispatcherLock & SubscriberStore & MetaStore;
import type { Occurrence } from '../schedule/types.js';
import type { ChannelName } from '../config/channel-names.js';
import { isLoopbackUrl, siteConfig, type ChannelConfig } from '../config/channels.js';
import { TOKEN_INFO_STATE, tokenId, tokenWarning } from '../channels/weibo/index.js';
import type { Campaign } from '../content/model.js';
import type { Planner } from './dispatcher.js';
import { upcoming } from '../schedule/plan.js';
import { DISPATCHER_LOCK, holderState } from './lock-messages.js';
import { LIVE_CHANNELS } from '../channels/registry.js';
import { unknownToLedger } from './ledger-check.js';
import type { Lang } from '../i18n/index.js';
import { sayReason } from '../i18n/reasons.js';
import { channelLabel, deliveryStateNames, statusMessages } from '../i18n/messages-ledger.js';
import { groupPerRecipient } from './group-rows.js';
import { daemonChannels } from './daemon-channels.js';
import { localTime, localTimeOrNull, wallClock } from './local-time.js';
import { channelModeMessages } from '../i18n/messages-channel-modes.js';
import { workerMessages } from '../i18n/messages-queue.js';
import { queueCoverage, unserved, type QueueCoverage } from './queue/coverage.js';
import type { WorkQueue } from './queue/types.js';

export interface StatusReport {
  at: string;
  counts: Record<DeliveryState, number>;
  held: Array<{ key: string; channel: string; recipient: string | null; reason: string | null }>;
  failed: Array<{ key: string; channel: string; recipient: string | null; error: string | null; attempts: number }>;
  /** Pending deliveries whose last attempt failed: when the next one is, and why the last one did not go. */
  retrying: Array<{ key: string; nextAttemptAt: string | null; error: string; attempts: number }>;
  missed: Array<{ key: string; channel: string; recipient: string | null; reason: string | null }>;
  sending: Array<{ key: string; attempt: number; since: string; interrupted: boolean }>;
  /** Channels of recorded occurrences that have no deliveries yet, with why. */
  waiting: Array<{ occurrence: string; channel: string; error: string | null; since: string }>;
  next: Array<{ key: string; dueUtc: string; dueLocal: string; channels: string[] }>;
  channels: Array<{ name: string; mode: string; missingEnv: string[]; problem?: string; approval: boolean; note?: string }>;
  /** Whose channel modes these are: the running daemon's (as it started), or this process's environment. */
  channelsFrom: 'daemon' | 'here';
  /** The live holder of the dispatcher lock (alive, or unresponsive but existing), else null. */
  dispatcher: { pid: number; host: string; since: string; heartbeat: string; purpose: string; state: string } | null;
  /** The dispatcher line in words: running, not responding (and what to do), or not running (and why). */
  dispatcherText: string;
  /** E-mail subscribers (the fan-out of the email channel). */
  subscribers: Record<SubscriberStatus, number>;
  /** Things a person should act on before they bite (e.g. e-mail scheduled, nobody subscribed). */
  warnings: string[];
  /** Deliveries that went out (by the outbox and the site) that the ledger does not know: it is older than what was sent. */
  unknownToLedger: number;
  /** `advisory status`: the ledger and the queue it reads, as people read them (the password masked). */
  ledger?: string;
  queue?: string;
  /** With a Redis queue (`advisory status`): the ledger's queues holding jobs or served, and by how many workers. */
  queues?: QueueCoverage[];
}

/** The report with its ledger's queues: each one with jobs waiting and no worker is a warning (see withQueues' callers). */
export function withQueues(s: StatusReport, queues: QueueCoverage[]): StatusReport {
  const m = workerMessages();
  return { ...s, queues, warnings: [...s.warnings, ...unserved(queues).map((q) => m.noWorker(q.queue, q.channel, q.waiting))] };
}

/**
 * The report with who serves the ledger's queues, read from `queue` (`advisory status`, and the daemon's /status
 * and /status.json); a queue that does not answer within `waitMs` is a warning instead.
 */
export async function withQueuesOf(s: StatusReport, queue: Pick<WorkQueue, 'ready' | 'served' | 'location'>, ledger: string | undefined, waitMs: number): Promise<StatusReport> {
  try {
    await queue.ready(waitMs);
    return withQueues(s, await queueCoverage(queue, ledger));
  } catch (err) {
    return { ...s, warnings: [...s.warnings, workerMessages().queueUnreadable(queue.location, (err as Error).message)] };
  }
}

/** Campaigns whose schedules name the email channel, and the next e-mail firing if one is coming. */
function emailWarnings(active: number, campaigns: Campaign[], next: Occurrence[]): string[] {
  if (active > 0) return [];
  const emailing = campaigns.filter((c) => c.schedule.some((s) => s.channels.includes('email'))).map((c) => c.id);
  if (emailing.length === 0) return [];
  const soon = next.find((o) => o.channels.includes('email'));
  return [statusMessages().nobodySubscribed(emailing.join(', '), emailing.length, soon?.key ?? null)];
}

/**
 * The coming firings without the channels already sent (a firing sent early, by a drill's ledger put back or a
 * clock that was ahead): "next due" must not list what went out. A firing with nothing left to send is dropped.
 */
async function notYetSent(store: StatusStore, occurrences: Occurrence[]): Promise<Occurrence[]> {
  const out: Occurrence[] = [];
  for (const o of occurrences) {
    const left: ChannelName[] = [];
    for (const channel of o.channels) {
      const key = o.keys[channel];
      const d = key ? await store.get(key) : undefined;
      if (d?.state !== 'sent') left.push(channel);
    }
    if (left.length > 0) out.push(left.length === o.channels.length ? o : { ...o, channels: left });
  }
  return out;
}

/** The report as of `now`: the ledger, the channels, and the next firings of the campaigns on disk. */
export async function buildStatus(store: StatusStore, planner: Planner, configs: ChannelConfig[], now: Date, limit = 50, varDir?: string): Promise<StatusReport> {
  const campaigns = planner.campaigns();
  const next = await notYetSent(store, upcoming((w) => planner.occurrences(campaigns, w), now, 20));
  const lock = await store.describeLock(DISPATCHER_LOCK);
  const live = lock && (lock.state === 'alive' || lock.state === 'unresponsive') ? lock : null;
  const subs = await store.subscriberCounts();
  const counts = await store.counts();
  const waiting = (await store.waitingChannels()).map((w) => ({ occurrence: w.occurrence.key, channel: w.channel, error: w.error, since: w.since }));
  const warnings = emailWarnings(subs.active, campaigns, next);
  const m = statusMessages();
  const stale = varDir ? await unknownToLedger(varDir, store) : { count: 0, example: null };
  if (stale.count > 0 && stale.example) {
    warnings.push(m.ledgerStale(stale.count, stale.example.key));
  }
  warnings.push(...(await channelWarnings(store, configs)));
  const owed = counts.pending + counts.sending + waiting.length;
  if (lock?.state === 'unresponsive' && owed > 0) {
    warnings.push(m.frozen(counts.pending, counts.sending, lock.pid, lock.host));
  }
  if (!live && owed > 0) {
    warnings.push(m.noDispatcher(counts.pending, counts.sending, waiting.length));
  }
  // A running daemon publishes with the environment it started with, not this terminal's.
  const started = await daemonChannels(store, live);
  const modes = (c: ChannelConfig) => started?.find((d) => d.name === c.channel) ?? { mode: c.mode, approval: c.approval, missingEnv: c.missingEnv };
  const website = configs.find((c) => c.channel === 'website');
  const loopback = website ? isLoopbackUrl(siteConfig(website).baseUrl) : false;
  return {
    at: now.toISOString(),
    counts,
    held: (await store.list({ state: 'held', limit })).map((d) => ({ key: d.key, channel: d.channel, recipient: d.recipient, reason: d.reason })),
    failed: (await store.list({ state: 'failed', limit })).map((d) => ({ key: d.key, channel: d.channel, recipient: d.recipient, error: d.reason ?? d.lastError, attempts: d.attempts })),
    missed: (await store.list({ state: 'missed', limit })).map((d) => ({ key: d.key, channel: d.channel, recipient: d.recipient, reason: d.reason })),
    retrying: (await store.list({ state: 'pending', limit: 10_000 })).filter((d) => d.lastError !== null).slice(0, limit)
      .map((d) => ({ key: d.key, nextAttemptAt: d.nextAttemptAt, error: d.lastError!, attempts: d.attempts })),
    sending: (await store.list({ state: 'sending', limit })).map((d) => ({ key: d.key, attempt: d.attempts, since: d.updatedAt, interrupted: !live })),
    waiting,
    next: next.slice(0, 10).map((o) => ({ key: o.key, dueUtc: o.dueUtc, dueLocal: o.dueLocal, channels: o.channels })),
    channels: configs.map((config) => ({ ...config, ...modes(config) })).map((c) => ({
      name: c.channel, mode: c.mode, missingEnv: c.missingEnv, approval: c.approval,
      // The website is never `live` (it has no credentials), yet at a public base_url it is the bureau's site.
      ...(c.channel === 'website' && c.approval ? { note: m.publicSite(siteConfig(c).baseUrl) } : {}),
      ...(c.mode === 'live' && !LIVE_CHANNELS.includes(c.channel)
        ? { problem: m.notInThisVersion(c.channel) }
        : c.mode === 'live' && c.channel !== 'website' && loopback
          ? { problem: m.loopbackBaseUrl }
          : {}),
    })),
    channelsFrom: started ? 'daemon' : 'here',
    dispatcher: live && { pid: live.pid, host: live.host, since: live.startedAt, heartbeat: live.heartbeatAt, purpose: live.purpose, state: live.state },
    dispatcherText: lock ? holderState(lock) : m.notRunning,
    subscribers: subs,
    warnings,
    unknownToLedger: stale.count,
  };
}

/** What a live channel knows is coming (a Weibo token near its end), from what it last learned (kept in the store). */
async function channelWarnings(store: MetaStore, configs: ChannelConfig[]): Promise<string[]> {
  const weibo = configs.find((c) => c.channel === 'weibo');
  if (weibo?.mode !== 'live') return [];
  const saved = await store.getMeta(TOKEN_INFO_STATE);
  if (!saved) return [];
  const info = JSON.parse(saved) as Parameters<typeof tokenWarning>[0];
  // What was learned about an earlier token (before re-authorizing) says nothing about this one.
  if (info.tokenId !== tokenId(weibo.secrets.access_token ?? '')) return [];
  const warning = tokenWarning(info, weibo.settings);
  return warning ? [warning] : [];
}

/** Exit code of `advisory status`: 1 something failed; 4 something waits for a person (held, or work owed with no dispatcher, or one frozen); else 0. */
export function statusExitCode(s: StatusReport): 0 | 1 | 4 {
  if (s.counts.failed > 0) return 1;
  const owed = s.counts.pending + s.counts.sending + s.waiting.length;
  const stuck = s.dispatcher === null || s.dispatcher.state === 'unresponsive';
  // Jobs on a queue no worker serves wait for a person as surely as work owed with no dispatcher.
  const unservedQueue = unserved(s.queues ?? []).length > 0;
  return s.counts.held > 0 || (stuck && owed > 0) || s.unknownToLedger > 0 || unservedQueue ? 4 : 0;
}

/**
 * The report in words (`advisory status`), in `lang` or the process's language. The dispatcher line and the
 * warnings are the report's own, said in the language the report was built in.
 */
export function formatStatus(s: StatusReport, lang?: Lang): string {
  const m = statusMessages(lang);
  const mode = deliveryStateNames(lang);
  const lines = [
    ...(s.ledger === undefined ? [] : [m.ledger(s.ledger, s.queue ?? 'local')]),
    m.deliveries(s.counts),
    m.dispatcher(s.dispatcherText),
    m.subscribers(subscriberLine(s.subscribers, lang)),
    m.channels(s.channels.map((ch) => `${ch.name} ${modeWords(ch, lang)}${ch.missingEnv.length ? m.notSet(ch.missingEnv.join(', ')) : ''}${ch.problem ? ` (${ch.problem})` : ''}${ch.note ? ` (${ch.note})` : ''}`).join(m.channelSep))
      + (s.channelsFrom === 'daemon' ? m.daemonsChannels : ''),
  ];
  const section = (title: string, rows: string[]) => rows.length && lines.push('', m.section(title), ...rows.map((r) => `  ${r}`));
  section(m.warnings, s.warnings);
  section(workerMessages(lang).queuesSection, (s.queues ?? []).map((q) => workerMessages(lang).queueWorkers(q.queue, q.channel, q.waiting, q.workers)));
  // Stored reasons are said in the reader's language (i18n/reasons.ts); a channel's own words stay as they came.
  // E-mail's per-subscriber deliveries alike in reason: one line with a count and an example key (the JSON keeps every row).
  const say = (why: string | null) => (why === null ? null : sayReason(why, lang));
  const grouped = <R extends { key: string; channel: string; recipient: string | null }>(rows: R[], why: (r: R) => string | null, one: (r: R) => string, group: (channel: string, n: number, why: string | null, example: string) => string) =>
    groupPerRecipient(rows, (r) => say(why(r))).map((l) => (l.kind === 'one' ? one(l.row) : group(channelLabel(l.channel, lang), l.count, l.reason, l.example.key)));
  section(m.held, grouped(s.held, (d) => d.reason, (d) => m.row(d.key, say(d.reason)), (c, n, why, ex) => m.groupRow(c, n, mode.held, why, ex)));
  section(m.failed, grouped(s.failed, (d) => d.error, (d) => m.failedRow(d.key, say(d.error), d.attempts), m.failedGroupRow));
  section(m.missed, grouped(s.missed, (d) => d.reason, (d) => m.row(d.key, say(d.reason)), (c, n, why, ex) => m.groupRow(c, n, mode.missed, why, ex)));
  section(m.retrying, s.retrying.map((d) => m.retryingRow(d.key, localTimeOrNull(d.nextAttemptAt), d.attempts, d.error)));
  section(m.sendingNow, s.sending.filter((d) => !d.interrupted).map((d) => m.sendingRow(d.key, d.attempt, localTime(d.since))));
  section(m.interrupted, s.sending.filter((d) => d.interrupted).map((d) => m.sendingRow(d.key, d.attempt, localTime(d.since))));
  section(m.waitingCreated, s.waiting.map((w) => m.waitingRow(w.occurrence, w.channel, w.error, localTime(w.since))));
  section(m.nextDue, s.next.map((o) => `${wallClock(o.dueLocal)}  ${o.key}  → ${o.channels.join(', ')}`));
  return lines.join('\n');
}

/**
 * A channel's mode as `run` and `channels verify` say it: the website, which needs no credentials, "writes the
 * site" (not "sandbox", which says a channel's posts go nowhere).
 */
function modeWords(ch: StatusReport['channels'][number], lang?: Lang): string {
  if (ch.name === 'website') return channelModeMessages(lang).websiteNote;
  return ch.mode === 'live' || ch.mode === 'sandbox' ? deliveryStateNames(lang)[ch.mode] : ch.mode;
}

/** `120 active, 3 awaiting confirmation, 7 unsubscribed, 2 bounced` (states with nobody left out, but always the active ones). */
export function subscriberLine(c: Record<SubscriberStatus, number>, lang?: Lang): string {
  return statusMessages(lang).subscriberLine(c);
}
