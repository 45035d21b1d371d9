import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder: implemented by its issue.
export const previewCommand: Command = {
  name: 'preview',
  summary: '(not implemented yet)',
  usage: 'advisory preview',
  options: {},
  async run({ io }) {
    io.err('advisory preview: not implemented yet');
    return EXIT.FAILED;
  },
};
