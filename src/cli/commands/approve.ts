import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const approveCommand: Command = {
  name: 'approve',
  summary: '(not implemented yet)',
  usage: 'advisory approve',
  options: {},
  async run({ io }) {
    io.err('advisory approve: not implemented yet');
    return EXIT.FAILED;
  },
};
