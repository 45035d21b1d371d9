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

export const previewCommand: Command = {
  name: 'preview',
  usage: [
    'Usage: advisory preview [campaign...] [--json] [--out DIR]',
    '',
    '  campaign...  only these campaigns (folder names under advisories/); default: all valid ones',
    '  --json       print { campaign, channels: { wechat, weibo, email, website }, problems } per campaign',
    '               (an array when several), each payload exactly as it would be sent; writes no files',
    '  --out DIR    write the preview here instead of var/preview/ (an empty folder or an earlier preview)',
    '',
    'Open var/preview/index.html in a browser (or http://127.0.0.1:<port>/preview/ while `advisory run` runs).',
    'Exit codes: 0 no errors, 1 content errors or channel limits exceeded (still previewed), 2 usage.',
  ].join('\n'),
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
      for (const c of json) {
        for (const p of c.problems) {
          io.err(`${p.file ?? c.campaign}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.severity} ${p.channel}: ${p.message} [${p.rule}]`);
        }
        const counts = Object.entries(c.channels).map(([ch, list]) => `${ch} ${list.length}`).join(', ');
        const errors = c.problems.filter((p) => p.severity === 'error').length;
        const warnings = c.problems.length - errors;
        io.out(`${c.campaign}: ${counts} payload(s), ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
      }
      const rel = relative(process.cwd(), `${out}/index.html`) || `${out}/index.html`;
      io.out(`Preview written: ${rel.startsWith('..') ? `${out}/index.html` : rel}`);
    }
    return contentErrors.length + channelErrors.length === 0 ? EXIT.OK : EXIT.FAILED;
  },
};
