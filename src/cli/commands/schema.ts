import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { schemaFileContents } from '../../content/schema-files.js';

export const schemaCommand: Command = {
  name: 'schema',
  usage: [
    'Usage: advisory schema [--write]',
    '',
    '  (no option)  print both schemas as one JSON object { "campaign.schema.json": …, "advisory.schema.json": … }',
    '  --write      write schema/campaign.schema.json and schema/advisory.schema.json under --root',
    '',
    'The schemas are generated from the same definitions `advisory check` uses; editors (VS Code with',
    'the Red Hat YAML extension) use them to validate campaign.yaml while you type.',
  ].join('\n'),
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
      io.out(`wrote schema/${name}`);
    }
    return EXIT.OK;
  },
};
