import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const planCommand: Command = {
  name: 'plan',
  summary: '(not implemented yet)',
  usage: 'advisory plan',
  options: {},
  async run({ io }) {
    io.err('advisory plan: not implemented yet');
    return EXIT.FAILED;
  },
};
