import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import type { ChannelName } from '../../content/schema.js';
import { channelArgs } from './channel-arg.js';
import { campaignChannels } from '../../delivery/manual.js';
import { previewPublish, publishNow, type SendMeter } from '../../app/publish-now.js';
import { channelDefinition } from '../../channels/registry.js';
import { withRuntime } from '../runtime.js';
import { loadOneCampaign } from './campaign-arg.js';
import { leaseFromEnv } from '../../delivery/lock-messages.js';
import { outageFromEnv } from '../../app/ledger-outage.js';
import { userInfo } from 'node:os';
import { publishMessages, publishProgressMessages } from '../../i18n/messages-publish.js';
import { sayReason } from '../../i18n/reasons.js';
import { channelLabel, deliveryStateNames } from '../../i18n/messages-ledger.js';
import { groupPerRecipient } from '../../delivery/group-rows.js';
import type { Delivery } from '../../delivery/store/index.js';

/** Who ran the command, for the occurrence record (the login name; ADVISORY_USER overrides). */
function requester(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ADVISORY_USER) return env.ADVISORY_USER;
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}


export const publishCommand: Command = {
  name: 'publish',
  get usage() {
    return publishMessages().usage;
  },
  options: { channel: { type: 'string', multiple: true }, now: { type: 'boolean' }, again: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    const m = publishMessages();
    const campaign = loadOneCampaign(root, positionals[0], m.usage, io.now());
    const asked = channelArgs((values.channel as string[] | undefined) ?? [], m.unknownChannel);
    const channels = asked.length ? asked : campaignChannels(campaign);
    if (!values.now) {
      // What --now would do now, from the same decision it makes: nothing is written.
      const p = await withRuntime({ root, io }, (rt) => previewPublish(rt, campaign, channels as ChannelName[], values.again === true));
      const fresh = Object.keys(p.keys);
      if (fresh.length > 0) {
        io.out(m.wouldPublish(campaign.id, campaign.advisories.length, fresh.join(', ')));
        for (const [c, k] of Object.entries(p.keys)) io.out(`  ${k}${channelDefinition(c as ChannelName).perRecipient ? m.eachSubscriber : ''}`);
      }
      for (const occ of new Set(p.plan.resume.map((r) => r.occurrence))) {
        const of = p.plan.resume.filter((r) => r.occurrence === occ);
        const open = of.reduce((a, r) => a + r.counts.pending + r.counts.sending, 0);
        const sent = of.reduce((a, r) => a + r.counts.sent, 0);
        io.out(m.wouldFinish(occ, of.map((r) => r.channel).join(', '), open, sent, p.plan.changed.some((r) => r.occurrence === occ)));
      }
      if (p.plan.skipped.length > 0) io.out(m.alreadyByHand(p.plan.skipped.map((r) => `${r.channel} (${r.summary})`).join(', ')));
      if (p.nobodySubscribed.length > 0) io.out(m.wouldReachNobody(p.nobodySubscribed.join(', ')));
      io.out(m.nothingSent);
      return EXIT.OK;
    }
    const finals = new Map<ChannelName, SendMeter>();
    const signals = interruptions();
    const outcome = await withRuntime({ root, io }, (runtime) => publishNow({
      runtime, campaign, channels: channels as ChannelName[], again: values.again === true, progress: (l) => io.err(l),
      meter: (m) => {
        if (m.final) (finals.set(m.channel, m), io.status?.(null));
        else io.status?.(progressBar(m));
      },
      leaseMs: leaseFromEnv(io.env), outageMs: outageFromEnv(io.env), requestedBy: requester(io.env), onInterrupt: signals.listen,
    })).finally(signals.forget);
    if (outcome.interrupted) {
      const c = outcome.counts;
      io.err(publishProgressMessages().interrupted(outcome.interrupted, c.sent, c.pending + c.sending));
      return 128 + (outcome.interrupted === 'SIGINT' ? 2 : 15);
    }
    const c = outcome.counts;
    const failedEarlier = outcome.skipped.filter((s) => s.counts.failed > 0);
    const heldEarlier = outcome.skipped.filter((s) => s.counts.held > 0);
    if (outcome.occurrences.length === 0) {
      if (outcome.skipped.length > 0) {
        io.out(m.alreadyPublished(campaign.id, outcome.skipped.map((s) => s.channel).join(', ')));
        for (const s of [...failedEarlier, ...heldEarlier]) io.out(m.earlierLeft(s.channel, s.occurrence, s.summary));
      }
      if (outcome.nobodySubscribed) io.out(m.emailToNobody(campaign.id));
      return failedEarlier.length > 0 ? EXIT.FAILED : heldEarlier.length > 0 || outcome.nobodySubscribed ? EXIT.HELD : EXIT.OK;
    }
    io.out(m.totals(campaign.id, c.sent, c.failed, c.held, c.missed, c.pending));
    for (const f of finals.values()) io.out(m.channelTotals(f.channel, f.sent, f.failed, f.skipped, f.total, f.rate ? formatRate(f.rate) : null));
    for (const occ of new Set(outcome.resumed.map((r) => r.occurrence))) {
      const of = outcome.resumed.filter((r) => r.occurrence === occ);
      const finished = of.reduce((a, r) => a + r.finished, 0);
      const already = of.reduce((a, r) => a + r.counts.sent, 0);
      io.out(m.resumed(finished, already, occ, of.map((r) => r.channel).join(', ')));
    }
    // One line per post; e-mail's per-subscriber deliveries alike in reason as one line with a count.
    const rows = (list: Delivery[], why: (d: Delivery) => string | null, row: (key: string, why: string | null) => string, state: 'failed' | 'held' | 'missed') => {
      for (const l of groupPerRecipient(list, (d) => sayReason(why(d)))) {
        if (l.kind === 'one') io.out(row(l.row.key, sayReason(why(l.row))));
        // Only so many rows are listed: the channel's whole count is said beside those alike (the rest may differ).
        else io.out(m.groupRow(channelLabel(l.channel), l.count, deliveryStateNames()[state], l.reason, l.example.key, outcome.perChannel[l.channel as ChannelName]?.[state] ?? l.count));
      }
    };
    rows(outcome.failed, (d) => d.reason ?? d.lastError, m.failedRow, 'failed');
    rows(outcome.held, (d) => d.reason, m.heldRow, 'held');
    rows(outcome.missed, (d) => d.reason, m.missedRow, 'missed');
    for (const d of outcome.waiting) io.out(m.waitingRow(d.key, d.nextAttemptAt, d.lastError));
    const more = c.failed + c.held + c.missed + c.pending - outcome.failed.length - outcome.held.length - outcome.missed.length - outcome.waiting.length;
    if (more > 0) io.out(m.more(more));
    if (outcome.nobodySubscribed) io.out(m.emailNotSent);
    return c.failed > 0 ? EXIT.FAILED : c.held > 0 || c.pending > 0 || outcome.nobodySubscribed ? EXIT.HELD : EXIT.OK;
  },
};

/**
 * SIGTERM and SIGINT, listened to only once the publish asks (through the queue with no daemon): the first one it
 * is told of, and it drains; a second one exits at once, as the signal would. Sending here, nobody listens and a
 * signal ends the process as ever.
 */
function interruptions(): { listen: (stop: (signal: NodeJS.Signals) => void) => void; forget: () => void } {
  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  let told = false;
  return {
    listen(stop) {
      for (const [signal, n] of [['SIGTERM', 15], ['SIGINT', 2]] as const) {
        const handler = () => {
          if (told) process.exit(128 + n);
          told = true;
          stop(signal);
        };
        process.on(signal, handler);
        handlers.push([signal, handler]);
      }
    },
    forget() {
      for (const [signal, handler] of handlers.splice(0)) process.off(signal, handler);
    },
  };
}

/** `email ▕██████░░░░░░▏ 12,345/20,000  61%  412/s  about 0:19 left  3 failed` */
export function progressBar(m: SendMeter, width = 24): string {
  const share = m.total > 0 ? m.done / m.total : 1;
  const full = Math.round(share * width);
  const n = (x: number) => x.toLocaleString('en-US');
  const t = publishMessages();
  const parts = [
    `${m.channel} ▕${'█'.repeat(full)}${'░'.repeat(width - full)}▏ ${n(m.done)}/${n(m.total)}`,
    `${Math.floor(share * 100)}%`,
    m.rate ? formatRate(m.rate) : t.starting,
    ...(m.etaSeconds !== null ? [t.timeLeft(clock(m.etaSeconds))] : []),
    ...(m.failed > 0 ? [t.barFailed(n(m.failed))] : []),
  ];
  return parts.join('  ');
}

function formatRate(rate: number): string {
  return `${rate >= 10 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1)}/s`;
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
