import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { UsageError } from '../../errors.js';
import { CHANNEL_NAMES, type ChannelName } from '../../content/schema.js';
import { campaignChannels } from '../../delivery/manual.js';
import { previewPublish, publishNow, type SendMeter } from '../../app/publish-now.js';
import { channelDefinition } from '../../channels/registry.js';
import { withRuntime } from '../runtime.js';
import { loadOneCampaign } from './campaign-arg.js';
import { leaseFromEnv } from '../../delivery/lock-messages.js';
import { userInfo } from 'node:os';

/** Who ran the command, for the occurrence record (the login name; ADVISORY_USER overrides). */
function requester(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ADVISORY_USER) return env.ADVISORY_USER;
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

const usage = [
  'Usage: advisory publish <campaign> [--channel NAME]... [--now] [--again]',
  '',
  '  --channel NAME  only this channel (repeatable); default: every channel the campaign\'s schedules name',
  '  --now           really publish; without it, only say what it would do now (publish, finish an unfinished',
  '                  publish, or nothing because it is already published)',
  '  --again         publish even where this exact content was already published by hand',
  '',
  'Publishes the whole campaign once, now (schedule "manual"), through the same ledger as the',
  'daemon: nothing is sent twice, live channels need `advisory approve` first. If `advisory run`',
  'is running, the deliveries are handed to it and this command waits for the outcome.',
  'Safe to run again after a crash or a kill: an unfinished publish of the same content is resumed',
  '(what went out is not sent again); a finished one is "already published" (--again repeats it).',
  'A retry the channel asks to make later than 2 minutes from now (WeChat\'s daily quota, Weibo\'s hourly',
  'limit) is not waited for: it is listed as waiting, with when and why; `advisory run` sends it then.',
  'Exit codes: 0 all sent, 1 something failed, 2 usage, 3 configuration/state, 4 something is held or waiting',
  '(approval), or e-mail was asked for and nobody is subscribed.',
].join('\n');

export const publishCommand: Command = {
  name: 'publish',
  usage,
  options: { channel: { type: 'string', multiple: true }, now: { type: 'boolean' }, again: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    const campaign = loadOneCampaign(root, positionals[0], usage, io.now());
    const asked = (values.channel as string[] | undefined) ?? [];
    for (const c of asked) {
      if (!(CHANNEL_NAMES as readonly string[]).includes(c)) throw new UsageError(`unknown channel "${c}". Channels: ${CHANNEL_NAMES.join(', ')}.`);
    }
    const channels = asked.length ? CHANNEL_NAMES.filter((c) => asked.includes(c)) : campaignChannels(campaign);
    if (!values.now) {
      // What --now would do now, from the same decision it makes: nothing is written.
      const p = await withRuntime({ root, io }, (rt) => previewPublish(rt, campaign, channels as ChannelName[], values.again === true));
      const fresh = Object.keys(p.keys);
      if (fresh.length > 0) {
        io.out(`would publish ${campaign.id} (${campaign.advisories.length} advisories) now to: ${fresh.join(', ')}`);
        for (const [c, k] of Object.entries(p.keys)) io.out(`  ${k}${channelDefinition(c as ChannelName).perRecipient ? '/<each active subscriber>' : ''}`);
      }
      for (const occ of new Set(p.plan.resume.map((r) => r.occurrence))) {
        const of = p.plan.resume.filter((r) => r.occurrence === occ);
        const open = of.reduce((a, r) => a + r.counts.pending + r.counts.sending, 0);
        const sent = of.reduce((a, r) => a + r.counts.sent, 0);
        io.out(`would finish the unfinished publish ${occ} (${of.map((r) => r.channel).join(', ')}): ${open} not finished, ${sent} already sent${p.plan.changed.some((r) => r.occurrence === occ) ? '; the content changed since, so what is unsent would carry the current content' : ''}`);
      }
      if (p.plan.skipped.length > 0) io.out(`already published by hand with this content: ${p.plan.skipped.map((r) => `${r.channel} (${r.summary})`).join(', ')}; --again would publish it once more`);
      if (p.nobodySubscribed.length > 0) io.out(`${p.nobodySubscribed.join(', ')}: nobody is subscribed, nothing would be sent`);
      io.out('Nothing sent. Add --now to publish.');
      return EXIT.OK;
    }
    const finals = new Map<ChannelName, SendMeter>();
    const outcome = await withRuntime({ root, io }, (runtime) => publishNow({
      runtime, campaign, channels: channels as ChannelName[], again: values.again === true, progress: (l) => io.err(l),
      meter: (m) => {
        if (m.final) (finals.set(m.channel, m), io.status?.(null));
        else io.status?.(progressBar(m));
      },
      leaseMs: leaseFromEnv(io.env), requestedBy: requester(io.env),
    }));
    const c = outcome.counts;
    const failedEarlier = outcome.skipped.filter((s) => s.counts.failed > 0);
    const heldEarlier = outcome.skipped.filter((s) => s.counts.held > 0);
    if (outcome.occurrences.length === 0) {
      if (outcome.skipped.length > 0) {
        io.out(`${campaign.id}: already published (${outcome.skipped.map((s) => s.channel).join(', ')}); nothing sent. Use --again to publish the same content again.`);
        for (const s of [...failedEarlier, ...heldEarlier]) io.out(`  ${s.channel} (${s.occurrence}): ${s.summary}; see \`advisory status\` (failed: \`advisory retry\`; held: \`advisory approve\`)`);
      }
      if (outcome.nobodySubscribed) io.out(`${campaign.id}: e-mail not sent: nobody is subscribed.`);
      return failedEarlier.length > 0 ? EXIT.FAILED : heldEarlier.length > 0 || outcome.nobodySubscribed ? EXIT.HELD : EXIT.OK;
    }
    io.out(`${campaign.id}: ${c.sent} sent, ${c.failed} failed, ${c.held} held, ${c.missed} missed${c.pending > 0 ? `, ${c.pending} waiting` : ''}`);
    for (const m of finals.values()) {
      io.out(`  ${m.channel}: ${m.sent} sent, ${m.failed} failed, ${m.skipped} skipped (unsubscribed or bounced before their turn) of ${m.total}${m.rate ? `; ${formatRate(m.rate)}` : ''}`);
    }
    for (const occ of new Set(outcome.resumed.map((r) => r.occurrence))) {
      const of = outcome.resumed.filter((r) => r.occurrence === occ);
      const finished = of.reduce((a, r) => a + r.finished, 0);
      const already = of.reduce((a, r) => a + r.counts.sent, 0);
      io.out(`resumed: ${finished} finished, ${already} were already sent (${occ}: ${of.map((r) => r.channel).join(', ')})`);
    }
    for (const d of outcome.failed) io.out(`  failed ${d.key}: ${d.reason ?? d.lastError}`);
    for (const d of outcome.held) io.out(`  held   ${d.key}: ${d.reason}`);
    for (const d of outcome.missed) io.out(`  missed ${d.key}: ${d.reason}`);
    for (const d of outcome.waiting) {
      io.out(`  waiting ${d.key}: next attempt at ${d.nextAttemptAt ?? 'once a dispatcher runs'}${d.lastError ? ` (${d.lastError})` : ''}; \`advisory run\` sends it then, or run this command again after that`);
    }
    const more = c.failed + c.held + c.missed + c.pending - outcome.failed.length - outcome.held.length - outcome.missed.length - outcome.waiting.length;
    if (more > 0) io.out(`  … and ${more} more: \`advisory status\` lists them all.`);
    if (outcome.nobodySubscribed) io.out('  e-mail not sent: nobody is subscribed.');
    return c.failed > 0 ? EXIT.FAILED : c.held > 0 || c.pending > 0 || outcome.nobodySubscribed ? EXIT.HELD : EXIT.OK;
  },
};

/** `email ▕██████░░░░░░▏ 12,345/20,000  61%  412/s  about 0:19 left  3 failed` */
export function progressBar(m: SendMeter, width = 24): string {
  const share = m.total > 0 ? m.done / m.total : 1;
  const full = Math.round(share * width);
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [
    `${m.channel} ▕${'█'.repeat(full)}${'░'.repeat(width - full)}▏ ${n(m.done)}/${n(m.total)}`,
    `${Math.floor(share * 100)}%`,
    m.rate ? formatRate(m.rate) : 'starting…',
    ...(m.etaSeconds !== null ? [`about ${clock(m.etaSeconds)} left`] : []),
    ...(m.failed > 0 ? [`${n(m.failed)} failed`] : []),
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
