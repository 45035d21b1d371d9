#!/usr/bin/env node
// Website build benchmark: 1,000 and 10,000 advisories (10 per campaign, Chinese
// text, 2–3 sections): cold build (`advisory build --preview --out`, the
// like-for-like of Eleventy's build, and the whole publish pipeline), then a
// one-advisory edit published incrementally; the same pages built by Eleventy 3
// in the same run.
// Each measurement runs in its own process; peak memory is that process's maxRSS.
//   node bench/site.bench.mjs [--tmpfs] [sizes…]     (default: 1000 10000; needs `npm run build`)
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { loadavg, cpus } from 'node:os';
import { generate } from './site-corpus.mjs';

const here = import.meta.dirname;
const root = resolve(here, '..');
const args = process.argv.slice(2);
// --tmpfs: corpus and output in /dev/shm, to compare the CPU work without this disk's erratic writes
const tmpfs = args.includes('--tmpfs');
const out = tmpfs ? '/dev/shm/advisory-site-bench' : join(here, '.out');
const sizes = args.map(Number).filter(Boolean);
const SIZES = sizes.length ? sizes : [1000, 10000];
const ELEVENTY = join(here, '.out', 'eleventy');

function ensureEleventy() {
  if (existsSync(join(ELEVENTY, 'node_modules/@11ty/eleventy/package.json'))) return true;
  mkdirSync(ELEVENTY, { recursive: true });
  writeFileSync(join(ELEVENTY, 'package.json'), '{"name":"eleventy-bench","private":true,"type":"module"}\n');
  try {
    execFileSync('npm', ['install', '--prefix', ELEVENTY, '--no-audit', '--no-fund', '@11ty/eleventy@3'], { stdio: 'inherit' });
    return true;
  } catch {
    console.log('Eleventy could not be installed (no registry?): comparison skipped.');
    return false;
  }
}

function run(...args) {
  // every run starts with nothing waiting to be written back: the corpus and the previous
  // run's output would otherwise throttle this run's writes (up to tenfold on this disk)
  execFileSync('sync');
  const text = execFileSync(process.execPath, [join(here, 'site-worker.mjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(text.trim().split('\n').pop());
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const haveEleventy = ensureEleventy();
const eleventyVersion = haveEleventy ? JSON.parse(readFileSync(join(ELEVENTY, 'node_modules/@11ty/eleventy/package.json'), 'utf8')).version : null;
console.log(`node ${process.version}, ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)}), ${SIZES.join(' and ')} advisories, output ${tmpfs ? 'on tmpfs (/dev/shm)' : 'on disk under bench/.out/'}${eleventyVersion ? `, Eleventy ${eleventyVersion}` : ''}`);
const rows = [];
for (const n of SIZES) {
  const dir = join(out, `site-${n}`);
  const corpus = generate(dir, n, root);
  const preview = run('preview', corpus.project);
  const cold = run('cold', corpus.project);
  // edit one advisory in the middle of the site, then publish that campaign
  const id = corpus.campaigns[Math.floor(corpus.campaigns.length / 2)];
  const file = join(corpus.project, 'advisories', id, '01-tip-1.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('## 防范建议', '## 防范建议\n\n- 新增：出门前拍照记录门窗和燃气阀门的状态。'));
  const edit = run('edit', corpus.project, id);
  const siteOnly = run('site', corpus.project);
  const eleventy = haveEleventy ? run('eleventy', corpus.eleventy) : null;
  rows.push({ n, preview, cold, edit, eleventy });
  console.log(`\n${fmt(n)} advisories (${fmt(cold.pages)} pages):`);
  console.log(`  advisory build --preview --out (Markdown → HTML files, like Eleventy)  ${fmt(preview.ms)} ms  ${fmt(cold.pages / (preview.ms / 1000))} pages/s  peak ${fmt(preview.maxRSSMB)} MB  (${fmt(preview.pages)} files incl. feeds, CAP, tag pages)`);
  console.log(`  advisory cold pipeline (validate, render, freeze every payload, deploy)  ${fmt(cold.ms)} ms  ${fmt(cold.pages / (cold.ms / 1000))} pages/s  peak ${fmt(cold.maxRSSMB)} MB  (load + render ${fmt(cold.renderMs)} · state ${fmt(cold.stateMs)} · deploy ${fmt(cold.deployMs)} ms)`);
  console.log(`  site from published   ${fmt(siteOnly.ms - siteOnly.importMs)} ms  (\`advisory build\`: no earlier build, Markdown already rendered in the frozen payloads; ${fmt(siteOnly.pages / ((siteOnly.ms - siteOnly.importMs) / 1000))} pages/s)  peak ${fmt(siteOnly.maxRSSMB)} MB`);
  console.log(`  one-advisory edit     ${fmt(edit.ms - edit.importMs)} ms in a running process, ${fmt(edit.ms)} ms as a new process  (load ${fmt(edit.loadMs)} · render ${fmt(edit.renderMs)} · deploy ${fmt(edit.deployMs)} ms; ${edit.written} site files written, ${edit.linked} linked, campaign folders written: ${edit.campaignsWritten.join(', ')})  peak ${fmt(edit.maxRSSMB)} MB`);
  if (eleventy) {
    console.log(`  Eleventy cold build   ${fmt(eleventy.ms)} ms  ${fmt(eleventy.pages / (eleventy.ms / 1000))} pages/s  peak ${fmt(eleventy.maxRSSMB)} MB`);
    console.log(`  ratio Eleventy / advisory: ${fmt(eleventy.ms / preview.ms, 2)}× (build --preview), ${fmt(eleventy.ms / cold.ms, 2)}× (cold pipeline)`);
  }
}
console.log(`\nload average at the end: ${loadavg()[0].toFixed(1)}`);
console.log('Aims: cold build faster than Eleventy; one-edit rebuild of the 10,000 site under 1 s.');
const big = rows.find((r) => r.n === 10000);
if (big) {
  const warm = big.edit.ms - big.edit.importMs;
  console.log(`  one-edit rebuild at 10,000: ${warm < 1000 ? 'met' : 'NOT met'} (${fmt(warm)} ms in the daemon; ${fmt(big.edit.ms)} ms incl. starting Node and loading modules)`);
  if (big.eleventy) console.log(`  cold build vs Eleventy at 10,000: ${big.preview.ms < big.eleventy.ms ? 'met' : 'NOT met'} (build --preview ${fmt(big.preview.ms)} ms, cold pipeline ${fmt(big.cold.ms)} ms, Eleventy ${fmt(big.eleventy.ms)} ms)`);
}
if (tmpfs) rmSync(out, { recursive: true, force: true });
