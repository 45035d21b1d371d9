import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const publishCommand: Command = {
  name: 'publish',
  summary: '(not implemented yet)',
  usage: 'advisory publish',
  options: {},
  async run({ io }) {
    io.err('advisory publish: not implemented yet');
    return EXIT.FAILED;
  },
};
