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

export interface StatusReport {
  at: string;
  counts: Record<DeliveryState, number>;
  held: Array<{ key: string; reason: string | null }>;
  failed: Array<{ key: string; error: string | null; attempts: number }>;
  /** Pending deliveries whose last attempt failed: when the next one is, and why the last one did not go. */
  retrying: Array<{ key: string; nextAttemptAt: string | null; error: string; attempts: number }>;
  missed: Array<{ key: string; reason: string | null }>;
  sending: Array<{ key: string; attempt: number; since: string; interrupted: boolean }>;
  /** Channels of recorded occurrences that have no deliveries yet, with why. */
  waiting: Array<{ occurrence: string; channel: string; error: string | null; since: string }>;
  next: Array<{ key: string; dueUtc: string; dueLocal: string; channels: string[] }>;
  channels: Array<{ name: string; mode: string; missingEnv: string[]; problem?: string }>;
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
}

/** Campaigns whose schedules name the email channel, and the next e-mail firing if one is coming. */
function emailWarnings(active: number, campaigns: Campaign[], next: Occurrence[]): string[] {
  if (active > 0) return [];
  const emailing = campaigns.filter((c) => c.schedule.some((s) => s.channels.includes('email'))).map((c) => c.id);
  if (emailing.length === 0) return [];
  const soon = next.find((o) => o.channels.includes('email'));
  return [
    `${emailing.join(', ')} ${emailing.length === 1 ? 'schedules' : 'schedule'} e-mail but there are no active subscribers` +
      `${soon ? ` (next e-mail firing: ${soon.key})` : ''}: nobody would receive it. Add some with \`advisory subscribers add ADDRESS\` or \`advisory subscribers import FILE.csv\`.`,
  ];
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
  const stale = varDir ? await unknownToLedger(varDir, store) : { count: 0, example: null };
  if (stale.count > 0 && stale.example) {
    warnings.push(`the ledger does not know ${stale.count} deliver${stale.count === 1 ? 'y' : 'ies'} that went out (e.g. ${stale.example.key}): it is older than what was sent (an older backup, or a lost advisory.db-wal). Nothing is sent from it until the newest ledger is put back (run and publish refuse).`);
  }
  warnings.push(...(await channelWarnings(store, configs)));
  const owed = counts.pending + counts.sending + waiting.length;
  if (lock?.state === 'unresponsive' && owed > 0) {
    warnings.push(
      `${counts.pending} pending and ${counts.sending} in sending, and the dispatcher (pid ${lock.pid} on ${lock.host}) is not responding: nothing goes out while it is frozen. ` +
        `If it does not resume, stop it (kill ${lock.pid}; kill -9 ${lock.pid} if that does not end it), then start \`advisory run\` or run the publish again.`,
    );
  }
  if (!live && owed > 0) {
    warnings.push(
      `${counts.pending} pending, ${counts.sending} interrupted in sending${waiting.length ? `, ${waiting.length} channel(s) waiting to be created` : ''}, and no dispatcher is running: ` +
        'nothing goes out until one runs. Start `advisory run`, or run the same `advisory publish … --now` again; either first checks what was interrupted, then finishes (nothing is sent twice).',
    );
  }
  const website = configs.find((c) => c.channel === 'website');
  const loopback = website ? isLoopbackUrl(siteConfig(website).baseUrl) : false;
  return {
    at: now.toISOString(),
    counts,
    held: (await store.list({ state: 'held', limit })).map((d) => ({ key: d.key, reason: d.reason })),
    failed: (await store.list({ state: 'failed', limit })).map((d) => ({ key: d.key, error: d.reason ?? d.lastError, attempts: d.attempts })),
    missed: (await store.list({ state: 'missed', limit })).map((d) => ({ key: d.key, reason: d.reason })),
    retrying: (await store.list({ state: 'pending', limit: 10_000 })).filter((d) => d.lastError !== null).slice(0, limit)
      .map((d) => ({ key: d.key, nextAttemptAt: d.nextAttemptAt, error: d.lastError!, attempts: d.attempts })),
    sending: (await store.list({ state: 'sending', limit })).map((d) => ({ key: d.key, attempt: d.attempts, since: d.updatedAt, interrupted: !live })),
    waiting,
    next: next.slice(0, 10).map((o) => ({ key: o.key, dueUtc: o.dueUtc, dueLocal: o.dueLocal, channels: o.channels })),
    channels: configs.map((c) => ({
      name: c.channel, mode: c.mode, missingEnv: c.missingEnv,
      ...(c.mode === 'live' && !LIVE_CHANNELS.includes(c.channel)
        ? { problem: `its credentials are set, but live publishing for ${c.channel} is not available in this version: advisory run and publish refuse to start until they are unset` }
        : c.mode === 'live' && c.channel !== 'website' && loopback
          ? { problem: 'live, but base_url in channels/website.yaml is this machine\'s address: advisory run and publish refuse to start until it is the public site' }
          : {}),
    })),
    dispatcher: live && { pid: live.pid, host: live.host, since: live.startedAt, heartbeat: live.heartbeatAt, purpose: live.purpose, state: live.state },
    dispatcherText: lock ? holderState(lock) : 'not running',
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
  return s.counts.held > 0 || (stuck && owed > 0) || s.unknownToLedger > 0 ? 4 : 0;
}

export function formatStatus(s: StatusReport): string {
  const c = s.counts;
  const lines = [
    `deliveries: ${c.sent} sent, ${c.pending} pending, ${c.sending} sending, ${c.held} held, ${c.failed} failed, ${c.missed} missed`,
    `dispatcher: ${s.dispatcherText}`,
    `e-mail subscribers: ${subscriberLine(s.subscribers)}`,
    `channels: ${s.channels.map((ch) => `${ch.name} ${ch.mode}${ch.missingEnv.length ? ` (not set: ${ch.missingEnv.join(', ')})` : ''}${ch.problem ? ` (${ch.problem})` : ''}`).join('; ')}`,
  ];
  const section = (title: string, rows: string[]) => rows.length && lines.push('', `${title}:`, ...rows.map((r) => `  ${r}`));
  section('warnings', s.warnings);
  section('held', s.held.map((d) => `${d.key}: ${d.reason}`));
  section('failed', s.failed.map((d) => `${d.key}: ${d.error} (${d.attempts} attempt${d.attempts === 1 ? '' : 's'}; \`advisory retry ${d.key}\` to try again)`));
  section('missed', s.missed.map((d) => `${d.key}: ${d.reason}`));
  section('waiting to try again', s.retrying.map((d) => `${d.key}: next attempt ${d.nextAttemptAt ?? 'now'} (after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}; last: ${d.error})`));
  section('sending now', s.sending.filter((d) => !d.interrupted).map((d) => `${d.key} (attempt ${d.attempt} since ${d.since})`));
  section('interrupted while sending (the next run or publish checks whether each went out before resending)',
    s.sending.filter((d) => d.interrupted).map((d) => `${d.key} (attempt ${d.attempt} since ${d.since})`));
  section('waiting to be created', s.waiting.map((w) => `${w.occurrence} → ${w.channel}: ${w.error ?? 'not created yet'} (since ${w.since})`));
  section('next due', s.next.map((o) => `${o.dueLocal}  ${o.key}  → ${o.channels.join(', ')}`));
  return lines.join('\n');
}

/** `120 active, 3 awaiting confirmation, 7 unsubscribed, 2 bounced` (states with nobody left out, but always the active ones). */
export function subscriberLine(c: Record<SubscriberStatus, number>): string {
  const parts = [`${c.active} active`];
  if (c.pending) parts.push(`${c.pending} awaiting confirmation`);
  if (c.unsubscribed) parts.push(`${c.unsubscribed} unsubscribed`);
  if (c.bounced) parts.push(`${c.bounced} bounced`);
  return parts.join(', ');
}
