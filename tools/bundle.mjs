#!/usr/bin/env node
/**
 * After `tsc`, the command line is bundled into one file, `dist/cli/main.js`
 * (replacing tsc's), so a command starts by reading one module instead of
 * about a thousand: every `advisory` process, and every test that runs one,
 * starts in about half the time. The worker thread of large site builds gets
 * its own bundle beside it. The other files under dist/ stay as tsc wrote
 * them (benchmarks import them one by one). better-sqlite3 (native) stays
 * outside the bundle.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  // Bundled CommonJS dependencies call require(): give them the real one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};
await build({ ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(root, 'dist/cli/main.js') });
await build({ ...common, entryPoints: [join(root, 'src/channels/website/site/render-worker.ts')], outfile: join(root, 'dist/cli/render-worker.js') });
