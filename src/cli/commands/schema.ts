import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const schemaCommand: Command = {
  name: 'schema',
  summary: '(not implemented yet)',
  usage: 'advisory schema',
  options: {},
  async run({ io }) {
    io.err('advisory schema: not implemented yet');
    return EXIT.FAILED;
  },
};
