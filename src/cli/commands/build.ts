import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { formatProblem } from '../../errors.js';
import { buildPreviewSite, defaultVarDir, refreshPublicSite, writePublicSite } from '../../channels/website/index.js';

const usage = [
  'Usage: advisory build [--preview] [--out DIR] [--json]',
  '',
  '  (no option)  rebuild the public site from what has been published (embargo: a campaign',
  '               appears only once its website delivery was sent) and deploy it atomically to var/site',
  '  --preview    build EVERY valid campaign, published or not, into var/site-preview',
  '               (served at /preview-site/ by `advisory run`, on its staff listener: sign-in needed); every page carries a preview',
  '               banner and <meta name="robots" content="noindex">',
  '  --out DIR    write plain files to DIR instead of deploying (for a static host); DIR must be empty,',
  '               new, or an earlier `build --out` (it holds a .advisory-build file), else nothing is written',
  '  --json       print the result as JSON',
  '',
  'Exit codes: 0 built, 1 content problems (with --preview: invalid campaigns are left out), 2 not a project folder,',
  '3 configuration (also: --out names a folder that is not empty and not an earlier build).',
].join('\n');

export const buildCommand: Command = {
  name: 'build',
  usage,
  options: { preview: { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } },
  async run({ root, values, io }) {
    const varDir = defaultVarDir(root);
    const now = io.now();
    const out = typeof values.out === 'string' ? resolve(values.out) : undefined;
    if (values.preview) {
      const r = await buildPreviewSite({ root, varDir, now, env: io.env, ...(out ? { out } : {}) }); // takes the site lock to deploy
      const errors = r.problems.filter((p) => p.severity === 'error');
      for (const p of errors) io.err(formatProblem(p));
      const summary = { preview: true, campaigns: r.campaigns, dir: r.dir, build: r.deploy?.buildId ?? null, written: r.deploy?.written.length ?? r.files ?? 0 };
      io.out(values.json ? JSON.stringify(summary) : `preview of ${r.campaigns} campaign(s) built in ${r.dir}${r.deploy ? ` (build ${r.deploy.buildId}, ${r.deploy.written.length} files written, ${r.deploy.linked} unchanged)` : ` (${r.files} files)`}${errors.length ? `; ${errors.length} problem(s) left campaigns out` : ''}`);
      return errors.length ? EXIT.FAILED : EXIT.OK;
    }
    if (out) {
      const files = writePublicSite({ root, varDir, now, env: io.env }, out);
      io.out(values.json ? JSON.stringify({ preview: false, dir: out, files }) : `public site written to ${out} (${files} files; var/site is unchanged)`);
      return EXIT.OK;
    }
    const r = refreshPublicSite({ root, varDir, now, env: io.env });
    const summary = { preview: false, build: r.buildId, written: r.written.length, linked: r.linked, dir: `${varDir}/site` };
    io.out(values.json ? JSON.stringify(summary) : `site build ${r.buildId} deployed to ${summary.dir} (${r.written.length} files written, ${r.linked} unchanged, ${r.objectsWritten.length} campaign folder(s) written)`);
    return EXIT.OK;
  },
};
