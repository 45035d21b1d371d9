import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const retryCommand: Command = {
  name: 'retry',
  summary: '(not implemented yet)',
  usage: 'advisory retry',
  options: {},
  async run({ io }) {
    io.err('advisory retry: not implemented yet');
    return EXIT.FAILED;
  },
};
