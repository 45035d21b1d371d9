import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { formatProblem } from '../../errors.js';
import { buildMessages } from '../../i18n/messages-commands.js';
import { buildPreviewSite, defaultVarDir, refreshPublicSite, writePublicSite } from '../../channels/website/index.js';

export const buildCommand: Command = {
  name: 'build',
  get usage() {
    return buildMessages().usage;
  },
  options: { preview: { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } },
  async run({ root, values, io }) {
    const varDir = defaultVarDir(root);
    const now = io.now();
    const out = typeof values.out === 'string' ? resolve(values.out) : undefined;
    const m = buildMessages();
    if (values.preview) {
      const r = await buildPreviewSite({ root, varDir, now, env: io.env, ...(out ? { out } : {}) }); // takes the site lock to deploy
      const errors = r.problems.filter((p) => p.severity === 'error');
      for (const p of errors) io.err(formatProblem(p));
      const summary = { preview: true, campaigns: r.campaigns, dir: r.dir, build: r.deploy?.buildId ?? null, written: r.deploy?.written.length ?? r.files ?? 0 };
      io.out(values.json ? JSON.stringify(summary) : `${m.previewBuilt(r.campaigns, r.dir)}${r.deploy ? m.previewDeployed(r.deploy.buildId, r.deploy.written.length, r.deploy.linked) : m.previewFiles(r.files ?? 0)}${errors.length ? m.problemsLeftOut(errors.length) : ''}`);
      return errors.length ? EXIT.FAILED : EXIT.OK;
    }
    if (out) {
      const files = writePublicSite({ root, varDir, now, env: io.env }, out);
      io.out(values.json ? JSON.stringify({ preview: false, dir: out, files }) : m.publicWritten(out, files));
      return EXIT.OK;
    }
    const r = refreshPublicSite({ root, varDir, now, env: io.env });
    const summary = { preview: false, build: r.buildId, written: r.written.length, linked: r.linked, dir: `${varDir}/site` };
    io.out(values.json ? JSON.stringify(summary) : m.deployed(r.buildId, summary.dir, r.written.length, r.linked, r.objectsWritten.length));
    return EXIT.OK;
  },
};
