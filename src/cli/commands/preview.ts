import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { assertKnownCampaigns } from './campaign-arg.js';
import { UsageError, formatProblem } from '../../errors.js';
import { loadProject } from '../../content/load.js';
import { channelRenderer } from '../../channels/template-helpers.js';
import { buildPreview } from '../../preview/build.js';
import { writePreview } from '../../preview/write.js';
import { previewMessages } from '../../i18n/messages-commands.js';
import { checkMessages } from '../../i18n/messages-check.js';

export const previewCommand: Command = {
  name: 'preview',
  get usage() {
    return previewMessages().usage;
  },
  options: { json: { type: 'boolean' }, out: { type: 'string' } },
  async run({ root, values, positionals, io }) {
    const names = assertKnownCampaigns(root, positionals);
    const { campaigns, problems } = loadProject(root, { only: names.length ? names : undefined, now: io.now() });
    const contentErrors = problems.filter((p) => p.severity === 'error');
    for (const p of problems) io.err(formatProblem(p));
    // Not a project folder: say so (above) and write nothing, rather than leave a var/ behind.
    if (!existsSync(join(root, 'advisories'))) return EXIT.FAILED;

    const { files, json } = buildPreview(root, campaigns, channelRenderer(root), undefined, { contentProblems: problems });
    const channelErrors = json.flatMap((c) => c.problems).filter((p) => p.severity === 'error');
    if (values.json) {
      io.out(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
    } else {
      const out = resolve(root, typeof values.out === 'string' ? values.out : 'var/preview');
      writePreview(out, files);
      const m = previewMessages();
      const severity = checkMessages();
      for (const c of json) {
        for (const p of c.problems) {
          io.err(`${p.file ?? c.campaign}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${severity[p.severity]} ${p.channel}: ${p.message} [${p.rule}]`);
        }
        const counts = m.channelCounts(Object.entries(c.channels).map(([ch, list]) => [ch, list.length]));
        const errors = c.problems.filter((p) => p.severity === 'error').length;
        io.out(m.campaignLine(c.campaign, counts, errors, c.problems.length - errors));
      }
      const rel = relative(process.cwd(), `${out}/index.html`) || `${out}/index.html`;
      io.out(m.written(rel.startsWith('..') ? `${out}/index.html` : rel));
    }
    return contentErrors.length + channelErrors.length === 0 ? EXIT.OK : EXIT.FAILED;
  },
};
