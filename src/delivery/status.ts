/** The status report shared by `advisory status` and the daemon's /status page. */
import type { DeliveryState, DeliveryStore } from './store.js';
import type { Occurrence } from '../schedule/types.js';
import type { ChannelConfig } from '../config/channels.js';
import type { Campaign } from '../content/model.js';
import type { Planner } from './dispatcher.js';
import { upcoming } from '../schedule/plan.js';

export interface StatusReport {
  at: string;
  counts: Record<DeliveryState, number>;
  held: Array<{ key: string; reason: string | null }>;
  failed: Array<{ key: string; error: string | null; attempts: number }>;
  missed: Array<{ key: string; reason: string | null }>;
  sending: Array<{ key: string; attempt: number; since: string }>;
  next: Array<{ key: string; dueUtc: string; dueLocal: string; channels: string[] }>;
  channels: Array<{ name: string; mode: string; missingEnv: string[] }>;
  dispatcher: { pid: number; host: string; since: string; heartbeat: string } | null;
  /** E-mail subscribers (the fan-out of the email channel). */
  subscribers: { active: number; unsubscribed: number };
  /** Things a person should act on before they bite (e.g. e-mail scheduled, nobody subscribed). */
  warnings: string[];
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

/** The report as of `now`: the ledger, the channels, and the next firings of the campaigns on disk. */
export function buildStatus(store: DeliveryStore, planner: Planner, configs: ChannelConfig[], now: Date, limit = 50): StatusReport {
  const campaigns = planner.campaigns();
  const next = upcoming((w) => planner.occurrences(campaigns, w), now);
  const holder = store.lockHolder('dispatcher');
  const subs = store.subscribers();
  const active = subs.filter((s) => s.status === 'active').length;
  return {
    at: now.toISOString(),
    counts: store.counts(),
    held: store.list({ state: 'held', limit }).map((d) => ({ key: d.key, reason: d.reason })),
    failed: store.list({ state: 'failed', limit }).map((d) => ({ key: d.key, error: d.reason ?? d.lastError, attempts: d.attempts })),
    missed: store.list({ state: 'missed', limit }).map((d) => ({ key: d.key, reason: d.reason })),
    sending: store.list({ state: 'sending', limit }).map((d) => ({ key: d.key, attempt: d.attempts, since: d.updatedAt })),
    next: next.slice(0, 10).map((o) => ({ key: o.key, dueUtc: o.dueUtc, dueLocal: o.dueLocal, channels: o.channels })),
    channels: configs.map((c) => ({ name: c.channel, mode: c.mode, missingEnv: c.missingEnv })),
    dispatcher: holder && { pid: holder.pid, host: holder.host, since: holder.startedAt, heartbeat: holder.heartbeatAt },
    subscribers: { active, unsubscribed: subs.length - active },
    warnings: emailWarnings(active, campaigns, next),
  };
}

export function formatStatus(s: StatusReport): string {
  const c = s.counts;
  const lines = [
    `deliveries: ${c.sent} sent, ${c.pending} pending, ${c.sending} sending, ${c.held} held, ${c.failed} failed, ${c.missed} missed`,
    `dispatcher: ${s.dispatcher ? `running (pid ${s.dispatcher.pid} on ${s.dispatcher.host} since ${s.dispatcher.since})` : 'not running'}`,
    `e-mail subscribers: ${s.subscribers.active} active${s.subscribers.unsubscribed ? `, ${s.subscribers.unsubscribed} unsubscribed` : ''}`,
    `channels: ${s.channels.map((ch) => `${ch.name} ${ch.mode}${ch.missingEnv.length ? ` (not set: ${ch.missingEnv.join(', ')})` : ''}`).join('; ')}`,
  ];
  const section = (title: string, rows: string[]) => rows.length && lines.push('', `${title}:`, ...rows.map((r) => `  ${r}`));
  section('warnings', s.warnings);
  section('held', s.held.map((d) => `${d.key}: ${d.reason}`));
  section('failed', s.failed.map((d) => `${d.key}: ${d.error} (${d.attempts} attempt${d.attempts === 1 ? '' : 's'}; \`advisory retry ${d.key}\` to try again)`));
  section('missed', s.missed.map((d) => `${d.key}: ${d.reason}`));
  section('sending now', s.sending.map((d) => `${d.key} (attempt ${d.attempt} since ${d.since})`));
  section('next due', s.next.map((o) => `${o.dueLocal}  ${o.key}  → ${o.channels.join(', ')}`));
  return lines.join('\n');
}
