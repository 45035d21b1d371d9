import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { StateError, UsageError } from '../../errors.js';
import { defaultVarDir, rollbackWebsite } from '../../channels/website/index.js';

const usage = [
  'Usage: advisory rollback website [--preview]',
  '',
  'Switches the served site back to the build before the current one (one atomic symlink swap).',
  'The last `keep_builds` builds are kept (channels/website.yaml, default 5). Run it again to go further back;',
  'the next publish or `advisory build` deploys a fresh build from the published state.',
  '',
  'Exit codes: 0 rolled back, 1 nothing to roll back to, 2 usage.',
].join('\n');

export const rollbackCommand: Command = {
  name: 'rollback',
  usage,
  options: { preview: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    if (positionals[0] !== 'website' || positionals.length > 1) {
      throw new UsageError(`expected \`advisory rollback website\`; only the website keeps builds.\n\n${usage}`);
    }
    try {
      const { from, to, kept } = rollbackWebsite(defaultVarDir(root), values.preview ? 'preview' : 'public');
      io.out(`website rolled back: now serving build ${to} (was ${from}); ${kept} build(s) kept.`);
      return EXIT.OK;
    } catch (err) {
      if (err instanceof StateError) {
        io.err(`advisory rollback: ${err.message}`);
        return EXIT.FAILED;
      }
      throw err;
    }
  },
};
