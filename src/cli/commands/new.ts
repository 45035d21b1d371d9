import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const newCommand: Command = {
  name: 'new',
  summary: '(not implemented yet)',
  usage: 'advisory new',
  options: {},
  async run({ io }) {
    io.err('advisory new: not implemented yet');
    return EXIT.FAILED;
  },
};
