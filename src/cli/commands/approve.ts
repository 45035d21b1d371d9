import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { UsageError } from '../../errors.js';
import { shortHash } from '../../delivery/approval.js';
import { approveCampaign } from '../../app/approve.js';
import { loadOneCampaign } from './campaign-arg.js';
import { withRuntime } from '../runtime.js';
import { approveMessages } from '../../i18n/messages-ledger.js';

export const approveCommand: Command = {
  name: 'approve',
  get usage() {
    return approveMessages().usage;
  },
  options: { by: { type: 'string' } },
  async run({ root, values, positionals, io }) {
    const m = approveMessages();
    const by = typeof values.by === 'string' ? values.by.trim() : '';
    if (!by) throw new UsageError(`${m.sayWho}\n\n${m.usage}`);
    const campaign = loadOneCampaign(root, positionals[0], m.usage, io.now());
    return withRuntime({ root, io }, async (rt) => {
      const { hash, released, ...s } = await approveCampaign(rt, campaign, by, io.now());
      io.out(m.approved(campaign.id, shortHash(hash), by, released));
      if (s.superseded > 0) io.out(m.superseded(s.superseded));
      if (s.missed > 0) io.out(m.missed(s.missed));
      for (const e of s.errors) io.err(m.reRenderFailed(e.key, e.message));
      return EXIT.OK;
    });
  },
};
