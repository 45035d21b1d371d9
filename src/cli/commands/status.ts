import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const statusCommand: Command = {
  name: 'status',
  summary: '(not implemented yet)',
  usage: 'advisory status',
  options: {},
  async run({ io }) {
    io.err('advisory status: not implemented yet');
    return EXIT.FAILED;
  },
};
