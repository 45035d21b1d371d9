#!/usr/bin/env node
// Site benchmark (issue 13): advisory against Eleventy 3 (+ @11ty/eleventy-plugin-handlebars) and Hugo on
// the same generated corpus (bench/site-corpus.mjs: 10 advisories per campaign, Chinese text, the same
// bodies and front matter for the three tools). Every measurement is a fresh process started the way a
// user starts it, after `sync`; one warm-up run, then --rounds rounds interleaved between the tools;
// median (min–max), peak RSS and CPU time from /usr/bin/time, pages (*.html), files and bytes written.
//
//   node bench/site.bench.mjs [--sizes 1000,10000] [--rounds 3] [--only cold,check,edit,startup]
//                             [--disk | --where tmpfs|disk|both] [--json FILE] [--keep]
//
// Figures:
//   startup  `advisory --version` (≥ 5 rounds), beside `node -e 0` (Node's own start-up, the floor)
//   check    `advisory check` with no var/, then again with var/ kept
//   cold     `advisory build --preview --out OUT` with var/ and OUT deleted first; Eleventy (`_site` deleted);
//            `hugo --quiet -d OUT` (OUT and resources/ deleted); then `advisory build --preview --out OUT`
//            then `build --preview` twice (deployed): the second, with nothing changed, is the no-change rebuild
//   edit     on a site where every campaign is published (set up once, not measured: bench/site-worker.mjs):
//            one advisory edited (a different edit each round), then
//            (a) as a new process: `advisory publish <campaign> --channel website --now`, no daemon running;
//            (b) in the running daemon: `advisory run` started once; per round the same edit + the same
//                command, which hands the delivery to the daemon; timed from the edit until the public page
//                served over HTTP carries the new text; the daemon's log gives when it deployed.
// Output (corpus, OUT dirs, var/) on tmpfs (/dev/shm) by default, on disk under bench/.out with --disk.
// Needs `npm run build`. Eleventy and its plugin are installed into bench/.out/eleventy on first use
// (never into the project's dependencies); Hugo is Debian's `hugo` (skipped with a note when missing).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { cpus, loadavg, tmpdir } from 'node:os';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { generate, editAdvisory, readText } from './site-corpus.mjs';
import { HAVE_TIME, cleanupScratch, countOutput, fmt, mb, measure, mib, secs, spread, stats } from './lib/measure.mjs';

const here = import.meta.dirname;
const root = resolve(here, '..');
const CLI = join(root, 'dist', 'cli', 'main.js');
const NODE = process.execPath;
const ELEVENTY_DIR = join(here, '.out', 'eleventy');
const ELEVENTY_MODULES = join(ELEVENTY_DIR, 'node_modules');
const ELEVENTY_CMD = join(ELEVENTY_MODULES, '@11ty', 'eleventy', 'cmd.cjs');

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
function opt(name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) usage(`${name} needs a value`);
  argv.splice(i, 2);
  return v;
}
function flag(name) {
  const i = argv.indexOf(name);
  if (i < 0) return false;
  argv.splice(i, 1);
  return true;
}
function usage(msg) {
  if (msg) console.error(msg);
  console.error('usage: node bench/site.bench.mjs [--sizes 1000,10000] [--rounds 3] [--only cold,check,edit,startup] [--disk | --where tmpfs|disk|both] [--json FILE] [--keep]');
  process.exit(2);
}
const FIGURES = ['startup', 'check', 'cold', 'edit'];
const sizes = opt('--sizes', '1000,10000').split(',').map(Number);
const rounds = Number(opt('--rounds', '3'));
const only = opt('--only', FIGURES.join(',')).split(',');
const jsonFile = opt('--json', null);
const disk = flag('--disk');
const whereOpt = opt('--where', disk ? 'disk' : 'tmpfs');
const keep = flag('--keep');
if (argv.length) usage(`unknown arguments: ${argv.join(' ')}`);
if (sizes.some((n) => !Number.isInteger(n) || n < 10)) usage('--sizes: whole numbers ≥ 10, comma-separated');
if (!Number.isInteger(rounds) || rounds < 1) usage('--rounds: a whole number ≥ 1');
for (const f of only) if (!FIGURES.includes(f)) usage(`--only: one or more of ${FIGURES.join(', ')}`);
const wheres = whereOpt === 'both' ? ['tmpfs', 'disk'] : [whereOpt];
for (const w of wheres) if (!['tmpfs', 'disk'].includes(w)) usage('--where: tmpfs, disk or both');
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run \`npm run build\` first.`);
  process.exit(2);
}

// ---------------------------------------------------------------- tools
function ensureEleventy() {
  const have = () => existsSync(ELEVENTY_CMD) && existsSync(join(ELEVENTY_MODULES, '@11ty', 'eleventy-plugin-handlebars', 'package.json'));
  if (have()) return true;
  mkdirSync(ELEVENTY_DIR, { recursive: true });
  writeFileSync(join(ELEVENTY_DIR, 'package.json'), '{"name":"eleventy-bench","private":true,"type":"module"}\n');
  console.log('installing Eleventy 3 and @11ty/eleventy-plugin-handlebars into bench/.out/eleventy (benchmark only)…');
  const r = spawnSync('npm', ['install', '--prefix', ELEVENTY_DIR, '--no-audit', '--no-fund', '@11ty/eleventy@3', '@11ty/eleventy-plugin-handlebars@1'], { stdio: 'inherit' });
  if (r.status !== 0 || !have()) {
    console.log('NOTE: Eleventy could not be installed (no registry?): the Eleventy comparison is skipped.');
    return false;
  }
  return true;
}
const version = (pkg) => JSON.parse(readFileSync(join(ELEVENTY_MODULES, pkg, 'package.json'), 'utf8')).version;
function hugoVersion() {
  try {
    return execFileSync('hugo', ['version'], { encoding: 'utf8' }).trim().match(/v(\d+\.\d+\.\d+)/)?.[1] ?? 'unknown';
  } catch {
    return null;
  }
}
function git() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown';
  }
}

const started = performance.now();
const distStamp = () => statSync(CLI).mtimeMs;
const distAtStart = distStamp();
const haveEleventy = ensureEleventy();
const hugo = hugoVersion();
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  loadAverageStart: loadavg(),
  advisory: spawnSync(NODE, [CLI, '--version'], { encoding: 'utf8' }).stdout.trim(),
  commit: git(),
  eleventy: haveEleventy ? version('@11ty/eleventy') : null,
  eleventyHandlebars: haveEleventy ? version('@11ty/eleventy-plugin-handlebars') : null,
  hugo,
  sizes,
  rounds,
  only,
  where: wheres,
  peakRss: HAVE_TIME ? '/usr/bin/time -f %M (maxrss of the process and everything it waited for)' : 'not measured (/usr/bin/time missing)',
};
const results = { meta, samples: [], edits: [], setups: [] };
const TOOLS = {
  advisory: meta.advisory,
  eleventy: `Eleventy ${meta.eleventy} + Handlebars plugin ${meta.eleventyHandlebars}`,
  hugo: `Hugo ${hugo}`,
};

console.log(`site benchmark — ${meta.date}`);
console.log(`node ${meta.node}, ${meta.cores} cores (${meta.cpu}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${meta.advisory} (dist/ built from ${meta.commit}); ${haveEleventy ? TOOLS.eleventy : 'Eleventy: NOT INSTALLED, skipped'}; ${hugo ? TOOLS.hugo : 'Hugo: NOT FOUND (apt-get install hugo), skipped'}`);
console.log(`sizes ${sizes.map((n) => fmt(n)).join(', ')}; ${rounds} round(s) after 1 warm-up, interleaved between tools; figures: ${only.join(', ')}; output on ${wheres.map(whereLabel).join(', then ')}`);
console.log(`every figure: one fresh process per run, after \`sync\`; median (min–max) of the rounds; peak RSS = ${meta.peakRss}; CPU = user + system.`);
if (!HAVE_TIME) console.log('NOTE: /usr/bin/time is missing (apt-get install time): no peak RSS or CPU time.');

function whereLabel(w) {
  return w === 'tmpfs' ? 'tmpfs (/dev/shm)' : 'disk (bench/.out)';
}
function baseDir(where) {
  if (where === 'disk') return join(here, '.out', 'site-bench');
  return existsSync('/dev/shm') ? '/dev/shm/advisory-site-bench' : join(tmpdir(), 'advisory-site-bench');
}

// ---------------------------------------------------------------- recording
function record(s) {
  s.load1 = loadavg()[0]; // the machine's 1-minute load average right after the run (a shared machine: how busy it was)
  results.samples.push(s);
  return s;
}
const pick = (where, n, figure, tool) => results.samples.filter((s) => s.where === where && s.n === n && s.figure === figure && s.tool === tool && !s.warmup);
const msOf = (xs) => stats(xs.map((s) => s.ms));
const rssOf = (xs) => stats(xs.map((s) => s.rssKiB));
const cpuOf = (xs) => stats(xs.map((s) => (s.userS == null ? null : (s.userS + s.sysS) * 1000)));

// ---------------------------------------------------------------- figures
function startupFigure(where, project) {
  for (let r = 0; r <= Math.max(5, rounds); r++) {
    const v = measure(NODE, [CLI, '--version'], { cwd: project });
    record({ where, n: 0, figure: 'version', tool: 'advisory', round: r, warmup: r === 0, ms: v.ms, rssKiB: v.rssKiB, userS: v.userS, sysS: v.sysS });
    const b = measure(NODE, ['-e', '0'], { cwd: project });
    record({ where, n: 0, figure: 'version', tool: 'node -e 0', round: r, warmup: r === 0, ms: b.ms, rssKiB: b.rssKiB, userS: b.userS, sysS: b.sysS });
  }
}

function checkFigure(where, n, c) {
  let cache = false;
  for (let r = 0; r <= rounds; r++) {
    rmSync(join(c.project, 'var'), { recursive: true, force: true });
    const a = measure(NODE, [CLI, 'check'], { cwd: c.project });
    record({ where, n, figure: 'check-cold', tool: 'advisory', round: r, warmup: r === 0, ms: a.ms, rssKiB: a.rssKiB, userS: a.userS, sysS: a.sysS, summary: a.stdout.trim().split('\n').pop() });
    cache ||= existsSync(join(c.project, 'var'));
    const b = measure(NODE, [CLI, 'check'], { cwd: c.project });
    record({ where, n, figure: 'check-warm', tool: 'advisory', round: r, warmup: r === 0, ms: b.ms, rssKiB: b.rssKiB, userS: b.userS, sysS: b.sysS });
  }
  return { cache };
}

function coldFigure(where, n, c) {
  const outA = join(c.dir, 'out-advisory');
  const outE = join(c.eleventy, '_site');
  const outH = join(c.dir, 'out-hugo');
  for (let r = 0; r <= rounds; r++) {
    const base = { where, n, round: r, warmup: r === 0 };
    // advisory, cold: no var/ (no caches), no OUT
    rmSync(join(c.project, 'var'), { recursive: true, force: true });
    rmSync(outA, { recursive: true, force: true });
    let m = measure(NODE, [CLI, 'build', '--preview', '--out', outA], { cwd: c.project });
    record({ ...base, figure: 'cold', tool: 'advisory', ...pickM(m), ...countOutput(outA) });
    // advisory, `build --preview` (deployed to var/site-preview) again with nothing changed: the first one
    // (not measured) renders and fills var/cache/; the measured one should render nothing
    measure(NODE, [CLI, 'build', '--preview'], { cwd: c.project });
    m = measure(NODE, [CLI, 'build', '--preview'], { cwd: c.project });
    record({ ...base, figure: 'nochange', tool: 'advisory', ...pickM(m), ...countOutput(outA) });
    if (haveEleventy) {
      rmSync(outE, { recursive: true, force: true });
      rmSync(join(c.eleventy, '.cache'), { recursive: true, force: true });
      m = measure(NODE, [ELEVENTY_CMD, '--quiet'], { cwd: c.eleventy });
      record({ ...base, figure: 'cold', tool: 'eleventy', ...pickM(m), ...countOutput(outE) });
    }
    if (hugo) {
      rmSync(outH, { recursive: true, force: true });
      rmSync(join(c.hugo, 'resources'), { recursive: true, force: true });
      m = measure('hugo', ['--quiet', '-d', outH], { cwd: c.hugo });
      record({ ...base, figure: 'cold', tool: 'hugo', ...pickM(m), ...countOutput(outH) });
    }
    if (r === 0) process.stdout.write(`  cold: warm-up done (${fmt((performance.now() - started) / 1000)} s since start)\n`);
  }
  if (!keep) for (const d of [outA, outE, outH]) rmSync(d, { recursive: true, force: true });
}
const pickM = (m) => ({ ms: m.ms, rssKiB: m.rssKiB, userS: m.userS, sysS: m.sysS });

// ---- edit
function httpGet(url) {
  return new Promise((res) => {
    const req = get(url, { headers: { 'accept-encoding': 'identity', connection: 'close' } }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (d) => (body += d));
      r.on('end', () => res({ status: r.statusCode, body }));
    });
    req.on('error', () => res({ status: 0, body: '' }));
    req.setTimeout(5000, () => req.destroy());
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const token = (r) => `bench${r}x${Date.now().toString(36)}`;

function publishArgs(c) {
  return [CLI, 'publish', c.edit.campaign, '--channel', 'website', '--now'];
}

async function editFigure(where, n, c) {
  const file = c.edit.file;
  const original = readText(file);
  const page = join(c.project, 'var', 'site', c.edit.path, 'index.html');
  try {
    rmSync(join(c.project, 'var'), { recursive: true, force: true });
    const t = performance.now();
    const setup = spawnSync(NODE, [join(here, 'site-worker.mjs'), 'publish-all', c.project], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
    if (setup.status !== 0) throw new Error(`set-up (bench/site-worker.mjs publish-all) exited with ${setup.status}`);
    const s = JSON.parse(setup.stdout.trim().split('\n').pop());
    results.setups.push({ where, n, ...s });
    console.log(`  edit: set-up (not measured): ${fmt(s.campaigns)} campaigns put on the public site through ${s.how} in ${secs(performance.now() - t)}`);

    // (a) as a new process, no daemon
    for (let r = 0; r <= rounds; r++) {
      const tok = token(r);
      const t0 = performance.now();
      editAdvisory(file, original, tok);
      const m = measure(NODE, publishArgs(c), { cwd: c.project });
      const ms = performance.now() - t0;
      if (!readText(page).includes(tok)) throw new Error(`after \`advisory publish\`, ${page} does not carry the edit`);
      record({ where, n, figure: 'edit-process', tool: 'advisory', round: r, warmup: r === 0, ...pickM(m), ms, summary: m.stdout.trim().split('\n')[0] });
    }

    // (b) in the running daemon
    const d = await startDaemon(c.project);
    try {
      const url = d.url.replace(/\/$/, '') + c.edit.path;
      // the daemon refreshes the public site as it starts (seconds on a large site): wait until it serves
      let first = await httpGet(url);
      for (const until = performance.now() + 60_000; first.status !== 200 && performance.now() < until; first = await httpGet(url)) await sleep(250);
      if (first.status !== 200) throw new Error(`the daemon serves ${url} with status ${first.status}`);
      for (let r = 0; r <= rounds; r++) {
        const tok = token(r);
        const logFrom = d.lines.length;
        const t0 = performance.now();
        const epoch0 = Date.now();
        editAdvisory(file, original, tok);
        // in English: its "handed to the running dispatcher" line times the hand-over (the default language is Chinese)
        const child = spawn(NODE, publishArgs(c), { cwd: c.project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ADVISORY_LANG: 'en' } });
        let handed = null;
        let handedEpoch = null;
        let stderr = '';
        let stdout = '';
        child.stdout.on('data', (b) => (stdout += b));
        child.stderr.on('data', (b) => {
          stderr += b;
          if (handed == null && /handed to the running dispatcher/.test(stderr)) {
            handed = performance.now() - t0;
            handedEpoch = Date.now();
          }
        });
        const exited = new Promise((res) => child.on('exit', (code) => res({ code, ms: performance.now() - t0 })));
        let served = null;
        let polls = 0;
        while (served == null && performance.now() - t0 < 60_000) {
          const g = await httpGet(url);
          polls++;
          if (g.status === 200 && g.body.includes(tok)) served = performance.now() - t0;
          else await sleep(10);
        }
        const ex = await exited;
        if (ex.code !== 0) throw new Error(`advisory publish (daemon running) exited with ${ex.code}\n${stdout}\n${stderr}`);
        if (served == null) throw new Error(`the edit was not served within 60 s at ${url}`);
        if (handed == null) console.log('  NOTE: `advisory publish` did not say it handed the delivery to the running daemon');
        await sleep(50); // let the daemon's last log lines arrive
        const mine = d.lines.slice(logFrom).filter((l) => l.json?.campaign === c.edit.campaign && l.json.time >= epoch0);
        const deployed = mine.find((l) => l.json.msg === 'website deployed');
        const startLine = mine.find((l) => l !== deployed && l.json.msg !== 'sent' && l.json.time <= (deployed?.json.time ?? Infinity));
        const lt = deployed?.json.key ? ledgerTimes(c.project, deployed.json.key) : null;
        record({
          where, n, figure: 'edit-daemon', tool: 'advisory', round: r, warmup: r === 0,
          ms: served, publishExitMs: ex.ms, handedMs: handed, polls,
          handedToDeployedMs: deployed && handedEpoch ? deployed.json.time - handedEpoch : null,
          daemonStartToDeployedMs: deployed && startLine ? deployed.json.time - startLine.json.time : null,
          daemonStartMsg: startLine?.json.msg ?? null,
          deployedToServedMs: deployed ? epoch0 + served - deployed.json.time : null,
          written: deployed?.json.written, linked: deployed?.json.linked,
          // from the ledger: the delivery recorded by `publish` (created) → claimed by the daemon (attempt started) → sent
          ledger: lt,
          pickUpMs: lt ? lt.started - lt.created : null,
          attemptMs: lt?.finished ? lt.finished - lt.started : null,
        });
      }
      d.peakKiB = vmHWM(d.child.pid);
      results.edits.push({ where, n, daemonPeakRssKiB: d.peakKiB, daemonStartMs: d.startMs });
    } finally {
      await d.stop();
    }
  } finally {
    writeFileSync(file, original);
  }
}

/**
 * When the ledger says the delivery was recorded (by `publish`), claimed by the daemon and finished
 * (deliveries.created_at, attempts.started_at / finished_at): read-only, after the round. Null when the
 * ledger's layout is not the one expected.
 */
function ledgerTimes(project, key) {
  let db;
  try {
    const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
    db = new Database(join(project, 'var', 'advisory.db'), { readonly: true, fileMustExist: true });
    const r = db.prepare('SELECT d.created_at AS created, a.started_at AS started, a.finished_at AS finished FROM deliveries d JOIN attempts a ON a.delivery = d.id WHERE d.key = ? ORDER BY a.n DESC LIMIT 1').get(key);
    if (!r) return null;
    const t = (v) => (v ? Date.parse(v) : null);
    return { created: t(r.created), started: t(r.started), finished: t(r.finished) };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

function vmHWM(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function startDaemon(project) {
  const t0 = performance.now();
  const child = spawn(NODE, [CLI, 'run', '--host', '127.0.0.1', '--port', '0', '--staff-host', '127.0.0.1', '--staff-port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let buf = '';
  let err = '';
  let url = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        /* not a log line */
      }
      lines.push({ at: Date.now(), text, json });
      if (json?.msg === 'dispatcher started' && json.url) url ??= json.url;
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => {
    err += c;
    const m = err.match(/serving (http:\/\/127\.0\.0\.1:\d+\/?)/);
    if (m) url ??= m[1];
  });
  let exit = null;
  const exited = new Promise((res) => child.on('exit', (code, signal) => res((exit = code ?? signal))));
  while (!url && exit == null && performance.now() - t0 < 120_000) await sleep(20);
  if (!url) {
    if (exit == null) child.kill('SIGTERM');
    throw new Error(`advisory run did not start (exit ${exit}):\n${err.slice(-2000)}`);
  }
  const startMs = performance.now() - t0;
  console.log(`  edit: daemon started in ${secs(startMs)} at ${url}`);
  return {
    child, lines, url, startMs,
    async stop() {
      if (exit == null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => exit == null && child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

// ---------------------------------------------------------------- report
const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);
function row(label, xs, counts = true) {
  if (xs.length === 0) return;
  const last = xs[xs.length - 1];
  console.log(`  ${pad(label, 64)} ${pad(spread(msOf(xs)), 24)} ${lpad(mib(rssOf(xs)?.median), 9)} ${lpad(cpuOf(xs) ? secs(cpuOf(xs).median) : '—', 8)}${counts && last.pages != null ? `  ${lpad(fmt(last.pages), 7)} ${lpad(fmt(last.files), 7)} ${lpad(mb(last.bytes), 9)}` : ''}`);
}
function ratio(where, n, peer, figure = 'cold') {
  const a = pick(where, n, figure, 'advisory');
  const p = pick(where, n, figure, peer);
  if (!a.length || !p.length) return null;
  const per = a.map((s) => p.find((q) => q.round === s.round)).map((q, i) => (q ? a[i].ms / q.ms : null));
  return { median: msOf(a).median / msOf(p).median, perRound: stats(per) };
}
const x = (v) => `${fmt(v, 2)}×`;

function reportSize(where, n, c, notes) {
  console.log(`\n── ${fmt(n)} advisories (${fmt(c.campaigns.length)} campaigns), output on ${whereLabel(where)} — ${rounds} round(s) after 1 warm-up ──`);
  console.log(`  ${pad('', 64)} ${pad('wall: median (min–max)', 24)} ${lpad('peak RSS', 9)} ${lpad('CPU', 8)}  ${lpad('pages', 7)} ${lpad('files', 7)} ${lpad('bytes', 9)}`);
  row('advisory build --preview --out OUT, cold (no var/, no OUT)', pick(where, n, 'cold', 'advisory'));
  row(`${TOOLS.eleventy}, cold (no _site)`, pick(where, n, 'cold', 'eleventy'));
  row(`${TOOLS.hugo} (hugo --quiet -d OUT), cold (no OUT)`, pick(where, n, 'cold', 'hugo'));
  row('advisory build --preview again, nothing changed (deployed to var/site-preview)', pick(where, n, 'nochange', 'advisory'));
  row('advisory check, no var/', pick(where, n, 'check-cold', 'advisory'), false);
  row('advisory check again, var/ kept', pick(where, n, 'check-warm', 'advisory'), false);
  for (const peer of ['eleventy', 'hugo']) {
    const q = ratio(where, n, peer);
    if (q) console.log(`  cold build, advisory ÷ ${peer === 'eleventy' ? 'Eleventy' : 'Hugo'}: ${x(q.median)} (median ÷ median; per round ${x(q.perRound.min)}–${x(q.perRound.max)}; < 1 means advisory is faster)`);
  }
  const nc = pick(where, n, 'nochange', 'advisory');
  const cold = pick(where, n, 'cold', 'advisory');
  if (nc.length && cold.length) console.log(`  no-change rebuild ÷ cold build: ${x(msOf(nc).median / msOf(cold).median)}`);
  const ep = pick(where, n, 'edit-process', 'advisory');
  const ed = pick(where, n, 'edit-daemon', 'advisory');
  if (ep.length || ed.length) {
    console.log(`  one-advisory edit (${c.edit.campaign}${c.edit.path.replace(`/${c.edit.campaign}`, '')}, a different edit each round), site of ${fmt(n)} published advisories:`);
    row('as a new process: advisory publish --channel website --now', ep, false);
    if (ed.length) {
      row('in the running daemon: edit → new page served over HTTP', ed, false);
      const sub = (label, key) => {
        const s = stats(ed.map((e) => e[key]));
        if (s) console.log(`      ${pad(label, 60)} ${spread(s)}`);
      };
      sub('edit → `publish` hands the delivery to the daemon', 'handedMs');
      sub('handed → "website deployed" (daemon log; incl. pick-up)', 'handedToDeployedMs');
      sub(`daemon: "${ed[0].daemonStartMsg ?? '?'}" → "website deployed"`, 'daemonStartToDeployedMs');
      sub('ledger: delivery recorded → claimed by the daemon (pick-up)', 'pickUpMs');
      sub('ledger: claimed → sent (render + deploy, in the daemon)', 'attemptMs');
      sub('"website deployed" → page served', 'deployedToServedMs');
      sub('edit → `advisory publish` exits', 'publishExitMs');
      const e = results.edits.find((q) => q.where === where && q.n === n);
      console.log(`      daemon peak RSS ${mib(e?.daemonPeakRssKiB)} (VmHWM); files written/linked by the last deploy: ${ed.at(-1).written ?? '?'}/${ed.at(-1).linked ?? '?'}`);
      console.log('      (`publish` nudges the daemon through var/dispatch.wake when it hands a delivery over, else the daemon finds it at its next poll,');
      console.log('       within a second: that wait is the pick-up, in');
      console.log('       "handed → deployed"; the daemon logs no line when it claims the delivery, so the split comes from the ledger\'s timestamps)');
    }
  }
  for (const note of notes) console.log(`  NOTE: ${note}`);
}

function reportStartup(where) {
  const v = pick(where, 0, 'version', 'advisory');
  if (!v.length) return;
  console.log(`\n── start-up, ${v.length} rounds after 1 warm-up ──`);
  row('advisory --version', v, false);
  row('node -e 0 (Node start-up alone, for reference)', pick(where, 0, 'version', 'node -e 0'), false);
}

function verdict(label, value, limit, text, note = '') {
  if (value == null) return console.log(`  ${pad(label, 44)} not measured${note}`);
  console.log(`  ${pad(label, 44)} ${value <= limit ? 'met    ' : 'NOT met'}  ${text}${note}`);
}

function reportTargets(where) {
  console.log(`\n── issue 13 targets (output on ${whereLabel(where)}; medians) ──`);
  for (const n of sizes) {
    const e = ratio(where, n, 'eleventy');
    const h = ratio(where, n, 'hugo');
    const a = msOf(pick(where, n, 'cold', 'advisory'));
    const lbl = `cold build ${fmt(n)}`;
    if (!a) continue;
    const el = msOf(pick(where, n, 'cold', 'eleventy'));
    const hu = msOf(pick(where, n, 'cold', 'hugo'));
    verdict(`${lbl} ≤ 0.7× Eleventy`, e?.median, 0.7, e ? `${x(e.median)} (${secs(a.median)} vs ${secs(el.median)})` : '');
    verdict(`${lbl} ≤ 1.0× Eleventy (the floor)`, e?.median, 1.0, e ? `${x(e.median)}` : '');
    verdict(`${lbl} ≤ 2.5× Hugo`, h?.median, 2.5, h ? `${x(h.median)} (${secs(a.median)} vs ${secs(hu.median)})` : '');
  }
  const big = Math.max(...sizes);
  const at = big === 10000 ? '' : ` [measured at ${fmt(big)}; the target is for 10,000]`;
  const edLabel = 'edit in the running daemon ≤ 0.5 s';
  const ed = msOf(pick(where, big, 'edit-daemon', 'advisory'));
  const edSide = stats(pick(where, big, 'edit-daemon', 'advisory').map((s) => s.attemptMs));
  verdict(edLabel, ed?.median, 500, ed ? `edit → new page served ${secs(ed.median)}${edSide ? `; in the daemon, claimed → sent (render + deploy, no pick-up wait) ${secs(edSide.median)}: ${edSide.median <= 500 ? 'within' : 'over'} 0.5 s` : ''}` : '', at);
  const ep = msOf(pick(where, big, 'edit-process', 'advisory'));
  verdict('edit as a new process ≤ 1.0 s', ep?.median, 1000, ep ? `edit + advisory publish ${secs(ep.median)}` : '', at);
  const v = msOf(pick(where, 0, 'version', 'advisory'));
  verdict('advisory --version ≤ 0.25 s', v?.median, 250, v ? secs(v.median) : '');
  for (const [n, limit] of [[1000, 1000], [10000, 5000]]) {
    if (!sizes.includes(n)) continue;
    const cc = msOf(pick(where, n, 'check-cold', 'advisory'));
    const cw = msOf(pick(where, n, 'check-warm', 'advisory'));
    verdict(`check ${fmt(n)} ≤ ${limit / 1000} s, no var/`, cc?.median, limit, cc ? secs(cc.median) : '');
    verdict(`check ${fmt(n)} ≤ ${limit / 1000} s, var/ kept`, cw?.median, limit, cw ? secs(cw.median) : '');
  }
  const rssN = sizes.includes(10000) ? 10000 : big;
  const rss = rssOf(pick(where, rssN, 'cold', 'advisory'));
  verdict(`peak RSS, ${fmt(rssN)} cold build ≤ 300 MiB`, rss ? rss.median / 1024 : null, 300, rss ? `${mib(rss.median)} (max ${mib(rss.max)})` : '', rssN === 10000 ? '' : ' [target is for 10,000]');
}

// ---------------------------------------------------------------- main
let failed = false;
try {
  for (const where of wheres) {
    const base = baseDir(where);
    let startupDone = false;
    for (const n of sizes) {
      const t = performance.now();
      const dir = join(base, `site-${n}`);
      const c = { dir, ...generate(dir, n, root, ELEVENTY_MODULES) };
      const notes = [];
      console.log(`\n${fmt(n)} advisories: corpus written to ${dir} in ${secs(performance.now() - t)}`);
      if (only.includes('startup') && !startupDone) {
        startupFigure(where, c.project);
        startupDone = true;
      }
      if (only.includes('check')) {
        const { cache } = checkFigure(where, n, c);
        if (!cache) notes.push('`advisory check` left no var/ folder: "no var/" and "var/ kept" measure the same thing (no cache yet).');
      }
      if (only.includes('cold')) coldFigure(where, n, c);
      if (only.includes('edit')) await editFigure(where, n, c);
      reportSize(where, n, c, notes);
      console.log(`  (${fmt(n)} advisories on ${where}: ${secs(performance.now() - t)}, load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
    if (!keep) rmSync(base, { recursive: true, force: true });
    reportStartup(where);
    reportTargets(where);
  }
} catch (err) {
  failed = true;
  console.error(`\nbenchmark failed: ${err?.stack ?? err}`);
} finally {
  cleanupScratch();
}
meta.loadAverageEnd = loadavg();
meta.distChangedDuringRun = distStamp() !== distAtStart;
if (meta.distChangedDuringRun) console.log('\nWARNING: dist/cli/main.js was rebuilt during the run: the figures mix two builds. Run again.');
meta.totalMs = performance.now() - started;
console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; whole run ${secs(meta.totalMs)}`);
if (jsonFile) {
  writeFileSync(resolve(jsonFile), JSON.stringify(results, null, 1) + '\n');
  console.log(`raw samples written to ${resolve(jsonFile)}`);
}
process.exitCode = failed ? 1 : 0;
