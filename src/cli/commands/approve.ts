import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { UsageError } from '../../errors.js';
import { shortHash } from '../../delivery/approval.js';
import { approveCampaign } from '../../app/approve.js';
import { loadOneCampaign } from './campaign-arg.js';
import { withRuntime } from '../runtime.js';

const usage = [
  'Usage: advisory approve <campaign> --by NAME',
  '',
  '  --by NAME   who approves (recorded in the ledger\'s audit log)',
  '',
  'Approves the campaign\'s current content and templates (their hash). Live channels publish only',
  'approved content; deliveries held for this hash are released. Editing the content afterwards',
  'changes the hash, and live deliveries wait for a new approval. Live deliveries not yet sent that were',
  'rendered from other content are re-rendered from this version (same key) and released, or recorded',
  'missed when their window has passed. Nothing already sent is touched.',
  'Exit codes: 0 approved, 1 the campaign has errors, 2 usage.',
].join('\n');

export const approveCommand: Command = {
  name: 'approve',
  usage,
  options: { by: { type: 'string' } },
  async run({ root, values, positionals, io }) {
    const by = typeof values.by === 'string' ? values.by.trim() : '';
    if (!by) throw new UsageError(`say who approves: --by NAME.\n\n${usage}`);
    const campaign = loadOneCampaign(root, positionals[0], usage, io.now());
    return withRuntime({ root, io }, async (rt) => {
      const { hash, released, ...s } = await approveCampaign(rt, campaign, by, io.now());
      io.out(`approved ${campaign.id} content ${shortHash(hash)} by ${by}; released ${released} held deliver${released === 1 ? 'y' : 'ies'}.`);
      if (s.superseded > 0) io.out(`${s.superseded} not yet sent ${s.superseded === 1 ? 'delivery was' : 'deliveries were'} rendered from earlier content: re-rendered from this version and released.`);
      if (s.missed > 0) io.out(`${s.missed} held ${s.missed === 1 ? 'delivery is' : 'deliveries are'} past ${s.missed === 1 ? 'its' : 'their'} window: recorded as missed, never sent.`);
      for (const e of s.errors) io.err(`${e.key}: could not re-render (${e.message}); it stays held.`);
      return EXIT.OK;
    });
  },
};
