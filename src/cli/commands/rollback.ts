import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const rollbackCommand: Command = {
  name: 'rollback',
  summary: '(not implemented yet)',
  usage: 'advisory rollback',
  options: {},
  async run({ io }) {
    io.err('advisory rollback: not implemented yet');
    return EXIT.FAILED;
  },
};
