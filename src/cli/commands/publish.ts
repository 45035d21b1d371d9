import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { UsageError } from '../../errors.js';
import { CHANNEL_NAMES, type ChannelName } from '../../content/schema.js';
import { campaignChannels, manualOccurrence } from '../../delivery/manual.js';
import { publishNow } from '../../delivery/publish-now.js';
import { createLogger } from '../../delivery/logger.js';
import { parseFailpoints } from '../../delivery/failpoint.js';
import { loadOneCampaign } from './campaign-arg.js';

const usage = [
  'Usage: advisory publish <campaign> [--channel NAME]... [--now]',
  '',
  '  --channel NAME  only this channel (repeatable); default: every channel the campaign\'s schedules name',
  '  --now           really publish; without it, only list what would be sent',
  '  --again         publish even where this exact content was already published by hand',
  '',
  'Publishes the whole campaign once, now (schedule "manual"), through the same ledger as the',
  'daemon: nothing is sent twice, live channels need `advisory approve` first. If `advisory run`',
  'is running, the deliveries are handed to it and this command waits for the outcome.',
  'Exit codes: 0 all sent, 1 something failed, 2 usage, 3 configuration/state, 4 something is held (approval).',
].join('\n');

export const publishCommand: Command = {
  name: 'publish',
  summary: 'Publish a campaign now on its channels (same ledger: once, approved, recorded)',
  usage,
  options: { channel: { type: 'string', multiple: true }, now: { type: 'boolean' }, again: { type: 'boolean' } },
  needsProject: true,
  async run({ root, values, positionals, io }) {
    const campaign = loadOneCampaign(root, positionals[0], usage, io.now());
    const asked = (values.channel as string[] | undefined) ?? [];
    for (const c of asked) {
      if (!(CHANNEL_NAMES as readonly string[]).includes(c)) throw new UsageError(`unknown channel "${c}". Channels: ${CHANNEL_NAMES.join(', ')}.`);
    }
    const channels = asked.length ? CHANNEL_NAMES.filter((c) => asked.includes(c)) : campaignChannels(campaign);
    if (!values.now) {
      const occ = manualOccurrence(campaign, channels as ChannelName[], io.now());
      io.out(`would publish ${campaign.id} (${campaign.advisories.length} advisories) now to: ${channels.join(', ')}`);
      for (const k of Object.values(occ.keys)) io.out(`  ${k}${k?.includes('/email/') ? '/<each active subscriber>' : ''}`);
      io.out('Nothing sent. Add --now to publish.');
      return EXIT.OK;
    }
    const outcome = await publishNow({
      root, campaign, channels: channels as ChannelName[], env: io.env, log: createLogger(undefined, io.env.LOG_LEVEL ?? 'warn'),
      now: () => io.now(), again: values.again === true, failpoints: parseFailpoints(io.env.ADVISORY_FAILPOINT), progress: (l) => io.err(l),
    });
    const by = (s: string) => outcome.deliveries.filter((d) => d.state === s);
    const sent = by('sent'), failed = by('failed'), held = by('held'), missed = by('missed');
    if (outcome.deliveries.length === 0 && outcome.skipped.length > 0) {
      io.out(`${campaign.id}: already published (${outcome.skipped.map((s) => s.channel).join(', ')}); nothing sent. Use --again to publish the same content again.`);
      return EXIT.OK;
    }
    io.out(`${campaign.id}: ${sent.length} sent, ${failed.length} failed, ${held.length} held, ${missed.length} missed`);
    for (const d of failed) io.out(`  failed ${d.key}: ${d.reason ?? d.lastError}`);
    for (const d of held) io.out(`  held   ${d.key}: ${d.reason}`);
    for (const d of missed) io.out(`  missed ${d.key}: ${d.reason}`);
    return failed.length > 0 ? EXIT.FAILED : held.length > 0 ? EXIT.HELD : EXIT.OK;
  },
};
