import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { withRuntime } from '../runtime.js';
import { UsageError, AdvisoryError } from '../../errors.js';
import { CHANNEL_NAMES, type ChannelName } from '../../config/channel-names.js';
import { baseUrlProblem } from '../../config/channels.js';
import { didYouMean } from '../../suggest.js';

const usage = [
  'Usage: advisory channels verify [--channel NAME]...',
  '',
  "Checks each live channel's credentials without publishing anything:",
  '  wechat  asks WeChat for an access token (wrong AppID or AppSecret, this IP not whitelisted: said in plain words, with the IP WeChat saw)',
  "  weibo   asks Weibo how long the access token has left (expired or revoked: a person must authorize again; under token_warn_days: a warning)",
  '  email   connects to the SMTP server (SMTP_URL, or host/port with SMTP_USER/SMTP_PASS) and logs in: refused login, server not there, said in plain words',
  'A channel without its credentials runs in sandbox, and says which variables are not set.',
  "It also checks channels/website.yaml's base_url: live channels refuse to publish while it is this machine's address.",
  '',
  '  --channel NAME  only this channel (repeatable)',
  '',
  'Exit codes: 0 every live channel works (warnings are printed), 1 something is wrong, 2 usage, 3 channels/*.yaml does not load.',
].join('\n');

export const channelsCommand: Command = {
  name: 'channels',
  usage,
  options: { channel: { type: 'string', multiple: true } },
  async run({ root, values, positionals, io }) {
    if (positionals[0] !== 'verify' || positionals.length > 1) throw new UsageError(`expected \`advisory channels verify\`.\n\n${usage}`);
    const only = (values.channel as string[] | undefined) ?? [];
    for (const name of only) {
      if (!(CHANNEL_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown channel "${name}".${didYouMean(name, [...CHANNEL_NAMES])} Channels: ${CHANNEL_NAMES.join(', ')}.`);
    }
    const names = (only.length ? only : CHANNEL_NAMES) as ChannelName[];
    return withRuntime({ root, io }, async (rt) => {
      let failed = false;
      const width = Math.max(...names.map((n) => n.length), 'base_url'.length);
      const line = (name: string, level: string, message: string) => io.out(`${name.padEnd(width)}  ${level.padEnd(7)}  ${message}`);
      for (const name of names) {
        const channel = rt.channels.get(name)!;
        if (name === 'website') {
          line(name, 'ok', channel.modeReason.replace(/^[a-z]+: /, ''));
          continue;
        }
        if (channel.mode === 'sandbox') {
          line(name, 'sandbox', channel.modeReason.replace(/^[a-z]+: /, ''));
          continue;
        }
        try {
          const r = await channel.verify();
          line(name, r.level === 'ok' ? 'ok' : 'warning', r.message);
        } catch (err) {
          if (!(err instanceof AdvisoryError)) throw err;
          failed = true;
          line(name, 'FAILED', err.message);
        }
      }
      const site = baseUrlProblem(root, io.env);
      const live = names.some((n) => n !== 'website' && rt.channels.get(n)!.mode === 'live');
      if (site && live) {
        failed = true;
        line('base_url', 'FAILED', site.message);
      }
      return failed ? EXIT.FAILED : EXIT.OK;
    }, { allowLoopback: true });
  },
};
