import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { schemaFileContents } from '../../content/schema-files.js';
import { schemaMessages } from '../../i18n/messages-commands.js';

export const schemaCommand: Command = {
  name: 'schema',
  get usage() {
    return schemaMessages().usage;
  },
  options: { write: { type: 'boolean' } },
  async run({ root, values, io }) {
    const files = schemaFileContents();
    if (!values.write) {
      const all = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, JSON.parse(text) as unknown]));
      io.out(JSON.stringify(all, null, 2));
      return EXIT.OK;
    }
    const dir = join(root, 'schema');
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
      io.out(schemaMessages().wrote(`schema/${name}`));
    }
    return EXIT.OK;
  },
};
