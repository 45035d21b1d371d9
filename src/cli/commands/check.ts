import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const checkCommand: Command = {
  name: 'check',
  summary: '(not implemented yet)',
  usage: 'advisory check',
  options: {},
  async run({ io }) {
    io.err('advisory check: not implemented yet');
    return EXIT.FAILED;
  },
};
