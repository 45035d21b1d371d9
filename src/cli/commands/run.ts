import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const runCommand: Command = {
  name: 'run',
  summary: '(not implemented yet)',
  usage: 'advisory run',
  options: {},
  async run({ io }) {
    io.err('advisory run: not implemented yet');
    return EXIT.FAILED;
  },
};
