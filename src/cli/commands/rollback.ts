import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { StateError, UsageError } from '../../errors.js';
import { defaultVarDir, rollbackWebsite } from '../../channels/website/index.js';
import { rollbackMessages } from '../../i18n/messages-commands.js';
import { cliMessages } from '../../i18n/messages-cli.js';

export const rollbackCommand: Command = {
  name: 'rollback',
  get usage() {
    return rollbackMessages().usage;
  },
  options: { preview: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    if (positionals[0] !== 'website' || positionals.length > 1) {
      throw new UsageError(`${rollbackMessages().expected}\n\n${rollbackMessages().usage}`);
    }
    try {
      const { from, to, kept } = rollbackWebsite(defaultVarDir(root), values.preview ? 'preview' : 'public');
      io.out(rollbackMessages().rolledBack(to, from, kept));
      return EXIT.OK;
    } catch (err) {
      if (err instanceof StateError) {
        io.err(`${cliMessages().prefix('rollback')}${err.message}`);
        return EXIT.FAILED;
      }
      throw err;
    }
  },
};
