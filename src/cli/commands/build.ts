import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const buildCommand: Command = {
  name: 'build',
  summary: '(not implemented yet)',
  usage: 'advisory build',
  options: {},
  async run({ io }) {
    io.err('advisory build: not implemented yet');
    return EXIT.FAILED;
  },
};
