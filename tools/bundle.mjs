#!/usr/bin/env node
/**
 * After `tsc`, the command line is bundled into `dist/cli/main.js` (replacing
 * tsc's), so a command starts by reading a few modules instead of about a
 * thousand. The bundle is split: each command is its own chunk, loaded when it
 * runs (cli/commands/index.ts), and code that several share sits in shared
 * chunks, so `advisory --version` loads only the entry and `check` loads no
 * SQLite, nodemailer or pino. The worker thread of large site builds is a
 * second entry beside it (sharing chunks). Chunks sit in dist/cli/ itself,
 * beside the entries, because code in them finds the package and the worker
 * relative to its own file. The other files under dist/ stay as tsc wrote
 * them (benchmarks import them one by one). better-sqlite3 (native), pg
 * (loaded only for a PostgreSQL ledger; its optional pg-native is not
 * installed), and bullmq and ioredis (loaded only for a Redis queue; bullmq
 * requires ioredis itself, and has optional drivers that are not installed)
 * stay outside the bundle.
 */
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'bullmq', 'ioredis'],
  // Bundled CommonJS dependencies call require(): give them the real one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};
const outdir = join(root, 'dist/cli');
const CHUNK = /^chunk-[A-Z0-9]{8}\.js$/;
for (const f of readdirSync(outdir)) if (CHUNK.test(f)) rmSync(join(outdir, f)); // an earlier build's chunks
await build({
  ...common,
  entryPoints: { main: join(root, 'src/cli/main.ts'), 'render-worker': join(root, 'src/channels/website/site/render-worker.ts') },
  outdir,
  splitting: true,
  chunkNames: 'chunk-[hash]',
});
