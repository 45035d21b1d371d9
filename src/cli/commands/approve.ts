import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { createRenderer } from '../../render/create.js';
import { openLedger } from '../../delivery/ledger.js';
import { approvalHash, shortHash } from '../../delivery/approval.js';
import { loadOneCampaign } from './campaign-arg.js';

const usage = [
  'Usage: advisory approve <campaign> --by NAME',
  '',
  '  --by NAME   who approves (recorded in the ledger\'s audit log)',
  '',
  'Approves the campaign\'s current content and templates (their hash). Live channels publish only',
  'approved content; deliveries held for this hash are released. Editing the content afterwards',
  'changes the hash, and live deliveries wait for a new approval.',
  'Exit codes: 0 approved, 1 the campaign has errors, 2 usage.',
].join('\n');

export const approveCommand: Command = {
  name: 'approve',
  summary: 'Record who approved the current content of a campaign; release what waited for it',
  usage,
  options: { by: { type: 'string' } },
  async run({ root, values, positionals, io }) {
    const by = typeof values.by === 'string' ? values.by.trim() : '';
    if (!by) throw new UsageError(`say who approves: --by NAME.\n\n${usage}`);
    const campaign = loadOneCampaign(root, positionals[0], usage, io.now());
    const hash = approvalHash(campaign.contentHash, createRenderer(root).templatesHash);
    const store = openLedger(join(root, 'var'));
    try {
      const now = io.now();
      store.recordApproval(campaign.id, hash, by, now);
      const released = store.releaseApproved(campaign.id, hash, now);
      const older = store.list({ campaign: campaign.id, state: 'held' }).filter((d) => d.contentHash !== hash && d.reason?.startsWith('awaiting approval')).length;
      io.out(`approved ${campaign.id} content ${shortHash(hash)} by ${by}; released ${released} held deliver${released === 1 ? 'y' : 'ies'}.`);
      if (older > 0) io.out(`${older} deliveries stay held: they were rendered from an earlier version of the content, which this approval does not cover.`);
      return EXIT.OK;
    } finally {
      store.close();
    }
  },
};
