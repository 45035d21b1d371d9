import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { withRuntime } from '../runtime.js';
import { UsageError, AdvisoryError } from '../../errors.js';
import { CHANNEL_NAMES, type ChannelName } from '../../config/channel-names.js';
import { channelArgs } from './channel-arg.js';
import { baseUrlProblem } from '../../config/channels.js';
import { channelsMessages } from '../../i18n/messages-commands.js';
import { columns, padColumns } from '../../i18n/index.js';
import { sayReason } from '../../i18n/reasons.js';

export const channelsCommand: Command = {
  name: 'channels',
  get usage() {
    return channelsMessages().usage;
  },
  options: { channel: { type: 'string', multiple: true } },
  async run({ root, values, positionals, io }) {
    const m = channelsMessages();
    if (positionals[0] !== 'verify' || positionals.length > 1) throw new UsageError(`${m.expected}\n\n${m.usage}`);
    const only = channelArgs((values.channel as string[] | undefined) ?? [], m.unknownChannel);
    const names = (only.length ? only : CHANNEL_NAMES) as ChannelName[];
    return withRuntime({ root, io }, async (rt) => {
      let failed = false;
      const width = Math.max(...names.map((n) => n.length), 'base_url'.length);
      const levelWidth = Math.max(...[m.ok, m.sandbox, m.warning, m.failed].map(columns));
      const line = (name: string, level: string, message: string) => io.out(`${name.padEnd(width)}  ${padColumns(level, levelWidth)}  ${message}`);
      for (const name of names) {
        const channel = rt.channels.get(name)!;
        if (name === 'website') {
          line(name, m.ok, channel.modeText);
          continue;
        }
        if (channel.mode === 'sandbox') {
          line(name, m.sandbox, channel.modeText);
          continue;
        }
        try {
          const r = await channel.verify();
          line(name, r.level === 'ok' ? m.ok : m.warning, r.message);
        } catch (err) {
          if (!(err instanceof AdvisoryError)) throw err;
          failed = true;
          line(name, m.failed, sayReason(err.message));
        }
      }
      const site = baseUrlProblem(root, io.env);
      const live = names.some((n) => n !== 'website' && rt.channels.get(n)!.mode === 'live');
      if (site && live) {
        failed = true;
        line('base_url', m.failed, site.message);
      }
      return failed ? EXIT.FAILED : EXIT.OK;
    }, { allowLoopback: true });
  },
};
