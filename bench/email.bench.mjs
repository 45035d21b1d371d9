#!/usr/bin/env node
// E-mail benchmark (issue 11): one campaign to N generated subscribers through the whole pipeline
// (ledger included) to a local SMTP sink, against the same N messages sent by a bare nodemailer
// pool with the same settings, in the same run, interleaved (ours, bare, ours, bare…) after one
// warm-up pair; medians of the measured runs; the ratio is ours ÷ bare, pair by pair.
//
// Ours is measured as a user runs it: a copy of the bundled project in a temp folder, its
// channels/website.yaml base_url set to https (live channels refuse a loopback one), the
// subscribers imported with `advisory subscribers import FILE.csv` (timed, not part of the send),
// `advisory approve 2014-national-day --by bench`, then, in a fresh process for each run,
//   SMTP_URL=smtp://127.0.0.1:PORT node dist/cli/main.js publish 2014-national-day --channel email --now
// on a fresh copy of that prepared ledger. Its time is the whole process, start to exit (start-up,
// recording the occurrence and its N deliveries, sending, marking each sent). Peak memory is the
// process's maximum resident set (/usr/bin/time -f %M, or /proc/PID/status VmHWM polled).
// The sink (bench/smtp-sink.mjs) is smtp-server in its own process; it counts what it received.
// The bare pool (bench/email-bare.mjs) sends the same message (taken from one our pipeline sent,
// the name and unsubscribe URL filled in per recipient) with nodemailer's pool, its own process too.
// Also: the pipeline in sandbox mode (no SMTP_URL: every message an .eml under var/outbox/email/,
// fsynced), which shows the ledger and composing without the network.
//
//   node bench/email.bench.mjs [sizes…]        default 10000 100000; needs `npm run build`
// Environment (npm run bench -- email passes no arguments):
//   EMAIL_BENCH_SIZES=10000,100000   EMAIL_BENCH_REPS=3 (measured pairs a size; 3,1: three at the first size, one after)
//   EMAIL_BENCH_SANDBOX=10000 (0: skip)   EMAIL_BENCH_SANDBOX_REPS=1
//   EMAIL_BENCH_MAX_CONNECTIONS=5   EMAIL_BENCH_RATE=100000 (messages a second: high, so it never limits)
//   EMAIL_BENCH_WINDOW=100 (bare: sendMail calls outstanding at most: fed ahead of its connections, so it never
//     waits on its caller; ours has max_connections in flight)   EMAIL_BENCH_MAX_MESSAGES (bare only; default: ours)
//   EMAIL_BENCH_KEEP=1 (keep the temp folders)   EMAIL_BENCH_PROFILE=DIR (--cpu-prof of our publish runs into DIR)
import { cpSync, existsSync, statSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fork, spawn } from 'node:child_process';
import { tmpdir, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const here = import.meta.dirname;
const repo = resolve(here, '..');
const MAIN = join(repo, 'dist/cli/main.js');
if (!existsSync(MAIN)) {
  console.error('dist/cli/main.js is missing: run `npm run build` first (npm run bench does).');
  process.exit(2);
}
const env = process.env;
// Other work may rebuild dist/ while this runs: say so at the end if the command line changed under it.
const builtAt = statSync(MAIN).mtimeMs;
const list = (s) => s.split(/[,\s]+/).map(Number).filter((x) => x > 0);
const args = process.argv.slice(2).map(Number).filter((x) => x > 0);
const SIZES = args.length ? args : list(env.EMAIL_BENCH_SIZES ?? '10000,100000');
// measured pairs for each size, in order (the last repeats): 3 for every size unless said
const REPS = list(env.EMAIL_BENCH_REPS ?? '3');
const repsFor = (i) => REPS[Math.min(i, REPS.length - 1)] ?? 3;
const SANDBOX = Number(env.EMAIL_BENCH_SANDBOX ?? 10000);
const SANDBOX_REPS = Number(env.EMAIL_BENCH_SANDBOX_REPS ?? 1);
const MAX_CONNECTIONS = Number(env.EMAIL_BENCH_MAX_CONNECTIONS ?? 5);
const RATE = Number(env.EMAIL_BENCH_RATE ?? 100000);
const WINDOW = Number(env.EMAIL_BENCH_WINDOW ?? 100);
const KEEP = env.EMAIL_BENCH_KEEP === '1';
// EMAIL_BENCH_PROFILE=DIR: our publish runs with --cpu-prof into DIR (slower: for finding where the time goes, not for the figures)
const PROFILE = env.EMAIL_BENCH_PROFILE ? resolve(env.EMAIL_BENCH_PROFILE) : null;
const CAMPAIGN = '2014-national-day';
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
// The bare pool's options: what the e-mail channel gives nodemailer for these settings (see its transport).
// (src/channels/email/smtp.ts: maxConnections, rateLimit + rateDelta 1000, maxRequeues 0; maxMessages left at
// nodemailer's default, 100 messages a connection). EMAIL_BENCH_MAX_MESSAGES=Infinity shows what that default costs.
const POOL = { maxConnections: MAX_CONNECTIONS, rateLimit: RATE, rateDelta: 1000, maxRequeues: 0 };
if (env.EMAIL_BENCH_MAX_MESSAGES) POOL.maxMessages = env.EMAIL_BENCH_MAX_MESSAGES === 'Infinity' ? 'Infinity' : Number(env.EMAIL_BENCH_MAX_MESSAGES);

const work = mkdtempSync(join(tmpdir(), 'advisory-email-bench-'));
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const cleanEnv = () => Object.fromEntries(Object.entries(env).filter(([k]) => !/^(SMTP_|EMAIL_|WECHAT_|WEIBO_)/.test(k)));

// ── the sink ──────────────────────────────────────────────────────────────────────────────────
const sink = fork(join(here, 'smtp-sink.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const sinkAsk = (cmd) => new Promise((res) => {
  sink.once('message', res);
  sink.send({ cmd });
});
const { port } = await new Promise((res, rej) => {
  sink.once('message', res);
  sink.once('exit', (code) => rej(new Error(`the SMTP sink exited (${code})`)));
});

// ── running a process, timed, with its peak memory ────────────────────────────────────────────
/** Runs `argv` in `cwd`; returns { code, ms, peakMB, out }: wall time from spawn to exit, the child's max RSS. */
function run(argv, { cwd, extraEnv = {}, log }) {
  const rssFile = join(work, `rss-${process.hrtime.bigint()}`);
  const full = TIME ? [TIME, '-f', '%M', '-o', rssFile, ...argv] : argv;
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(full[0], full.slice(1), { cwd, env: { ...cleanEnv(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    // Without /usr/bin/time: poll the high-water mark of the child's resident set.
    let hwm = 0;
    const poll = TIME ? null : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* gone */ }
    }, 20);
    child.on('error', rej);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (poll) clearInterval(poll);
      const kb = TIME ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : hwm;
      if (log) writeFileSync(log, out);
      res({ code, ms, peakMB: kb / 1024, out });
    });
  });
}

const node = (...a) => [process.execPath, ...a];
const cli = (...a) => node(MAIN, ...a);

// ── projects ──────────────────────────────────────────────────────────────────────────────────
function newProject(dir) {
  for (const d of ['advisories', 'channels', 'templates']) cpSync(join(repo, d), join(dir, d), { recursive: true });
  const site = join(dir, 'channels/website.yaml');
  writeFileSync(site, readFileSync(site, 'utf8').replace(/^base_url:.*$/m, 'base_url: https://bench.example.gov.cn'));
  const mail = join(dir, 'channels/email.yaml');
  writeFileSync(mail, readFileSync(mail, 'utf8')
    .replace(/^max_connections:.*$/m, `max_connections: ${MAX_CONNECTIONS}`)
    .replace(/^rate_per_second:.*$/m, `rate_per_second: ${RATE}`));
  return dir;
}

/** A project with `n` subscribers imported and the campaign approved; returns the import's time and memory. */
async function prepare(n) {
  const dir = newProject(join(work, `template-${n}`));
  const csv = join(work, `subscribers-${n}.csv`);
  let text = 'address,name\n';
  for (let i = 0; i < n; i++) text += `r${i}@example.org,居民${i}\n`;
  writeFileSync(csv, text);
  const imp = await run(cli('subscribers', 'import', csv), { cwd: dir });
  if (imp.code !== 0 || !imp.out.includes(`${n} added`)) throw new Error(`import failed: ${imp.out}`);
  const ok = await run(cli('approve', CAMPAIGN, '--by', 'bench'), { cwd: dir });
  if (ok.code !== 0) throw new Error(`approve failed: ${ok.out}`);
  return { dir, import: imp };
}

let copies = 0;
/** A fresh copy of a prepared project (its ledger as prepared: nothing published yet). */
function copyOf(template) {
  const dir = join(work, `run-${++copies}`);
  cpSync(template, dir, { recursive: true });
  return dir;
}
const drop = (dir) => KEEP || rmSync(dir, { recursive: true, force: true });

// ── one run of each ───────────────────────────────────────────────────────────────────────────
async function ours(template, n, live) {
  const dir = copyOf(template);
  await sinkAsk('reset');
  const profile = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE] : [];
  const r = await run(node(...profile, MAIN, 'publish', CAMPAIGN, '--channel', 'email', '--now'), {
    cwd: dir, extraEnv: live ? { SMTP_URL: `smtp://127.0.0.1:${port}` } : {}, log: join(work, `ours-${copies}.log`),
  });
  const { stats } = await sinkAsk('stats');
  const emls = live ? 0 : readdirSync(join(dir, 'var/outbox/email')).filter((f) => f.endsWith('.eml')).length;
  const got = live ? stats.count : emls;
  drop(dir);
  const sentLine = /(\d+) sent, (\d+) failed, (\d+) held/.exec(r.out);
  const ok = r.code === 0 && got === n && sentLine && Number(sentLine[1]) === n;
  return { ...r, ok, got, rate: n / (r.ms / 1000), sinkSpanMs: stats.last && stats.last - stats.first, sinkBytes: stats.bytes, connections: stats.connections };
}

async function bare(shapeFile, n) {
  await sinkAsk('reset');
  const r = await run(node(join(here, 'email-bare.mjs'), shapeFile, String(n), String(port), JSON.stringify(POOL), String(WINDOW)), { cwd: work });
  const { stats } = await sinkAsk('stats');
  const inner = JSON.parse(r.out.trim().split('\n').pop());
  return { ...r, ok: r.code === 0 && stats.count === n && inner.sent === n, got: stats.count, rate: n / (r.ms / 1000), sinkSpanMs: stats.last && stats.last - stats.first, sinkBytes: stats.bytes, messageBytes: inner.bytes, connections: stats.connections, inner };
}

// ── the message shape: one our pipeline composed (sandbox) ───────────────────────────────────
async function messageShape() {
  const { simpleParser } = await import('mailparser');
  const dir = newProject(join(work, 'shape'));
  const add = await run(cli('subscribers', 'add', 'r0@example.org', '--name', '居民0'), { cwd: dir });
  if (add.code !== 0) throw new Error(add.out);
  const pub = await run(cli('publish', CAMPAIGN, '--channel', 'email', '--now'), { cwd: dir });
  if (pub.code !== 0) throw new Error(pub.out);
  const outbox = join(dir, 'var/outbox/email');
  const eml = readFileSync(join(outbox, readdirSync(outbox).find((f) => f.endsWith('.eml'))));
  const m = await simpleParser(eml);
  const raw = (key) => m.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, '');
  const unsubscribe = raw('list-unsubscribe');
  const token = /token=([^>&\s]+)/.exec(unsubscribe)[1];
  const shape = {
    from: `${m.from.value[0].name} <${m.from.value[0].address}>`, // decoded, as nodemailer takes it
    subject: m.subject, html: m.html, text: m.text, name: '居民0', token,
    headers: { 'List-ID': raw('list-id'), 'List-Unsubscribe': unsubscribe },
  };
  const file = join(work, 'shape.json');
  writeFileSync(file, JSON.stringify(shape));
  drop(dir);
  return { file, bytes: eml.length };
}

// ── the run ───────────────────────────────────────────────────────────────────────────────────
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model?.trim()}), ${fmt(totalmem() / 2 ** 30)} GiB, load average ${loadavg()[0].toFixed(1)}; work folder ${work}`);
console.log(`settings: max_connections ${MAX_CONNECTIONS}, rate_per_second ${fmt(RATE)} (never reached); bare pool ${JSON.stringify(POOL)}, at most ${WINDOW} sendMail calls outstanding; sink smtp-server on 127.0.0.1:${port} (own process)`);
const shape = await messageShape();
console.log(`message: ${fmt(shape.bytes)} bytes as our pipeline composes it (HTML with inlined CSS + plain text, multipart/alternative, base64)`);

// Is live SMTP there? One subscriber, one message: if publish refuses, only sandbox and bare are measured.
const probe = await prepare(1);
const probeRun = await ours(probe.dir, 1, true);
const live = probeRun.ok;
if (!live) console.log(`\nours over SMTP: not measured: the pipeline did not send over SMTP_URL (exit ${probeRun.code}): ${probeRun.out.trim().split('\n').slice(-3).join(' | ')}`);
drop(probe.dir);

const results = [];
for (const [index, n] of SIZES.entries()) {
  const prep = await prepare(n);
  console.log(`\n${fmt(n)} subscribers: imported in ${fmt(prep.import.ms / 1000, 2)} s (advisory subscribers import, a fresh process, peak ${fmt(prep.import.peakMB)} MB)`);
  const pairs = [];
  // One warm-up pair, before the first size's measured pairs (the page cache, the sink's JIT); not counted.
  for (let rep = index === 0 ? 0 : 1; rep <= repsFor(index); rep++) {
    const a = live ? await ours(prep.dir, n, true) : null;
    const b = await bare(shape.file, n);
    const label = rep === 0 ? 'warm-up' : `run ${rep}`;
    const bad = [a && !a.ok && `ours: ${a.got}/${n} received, exit ${a.code}`, !b.ok && `bare: ${b.got}/${n} received, exit ${b.code} ${b.inner?.firstError ?? ''}`].filter(Boolean);
    console.log(`  ${label.padEnd(8)} ${a ? `ours ${fmt(a.rate)} msg/s (${fmt(a.ms / 1000, 2)} s, sink span ${fmt(a.sinkSpanMs / 1000, 2)} s, peak ${fmt(a.peakMB)} MB)  ` : ''}bare ${fmt(b.rate)} msg/s (${fmt(b.ms / 1000, 2)} s, peak ${fmt(b.peakMB)} MB)${a ? `  ratio ${fmt(a.rate / b.rate, 3)}` : ''}${bad.length ? `  FAILED: ${bad.join('; ')}` : ''}`);
    if (bad.length) throw new Error(`run failed at ${n}: ${bad.join('; ')}${a && !a.ok ? `\n${a.out.slice(-2000)}` : ''}`);
    if (rep > 0) pairs.push({ a, b });
  }
  const row = {
    n,
    importMs: prep.import.ms,
    importPeakMB: prep.import.peakMB,
    bareRate: median(pairs.map((p) => p.b.rate)),
    barePeakMB: median(pairs.map((p) => p.b.peakMB)),
    bareBytes: pairs[0].b.messageBytes,
    ...(live ? {
      oursRate: median(pairs.map((p) => p.a.rate)),
      oursPeakMB: Math.max(...pairs.map((p) => p.a.peakMB)),
      oursSinkRate: median(pairs.map((p) => n / (p.a.sinkSpanMs / 1000))),
      oursStartMs: median(pairs.map((p) => p.a.ms - p.a.sinkSpanMs)),
      ratio: median(pairs.map((p) => p.a.rate / p.b.rate)),
      ratioMin: Math.min(...pairs.map((p) => p.a.rate / p.b.rate)),
      ratioMax: Math.max(...pairs.map((p) => p.a.rate / p.b.rate)),
    } : {}),
  };
  results.push(row);
  drop(prep.dir);
}

let sandbox = null;
if (SANDBOX > 0) {
  const prep = await prepare(SANDBOX);
  const runs = [];
  for (let rep = 0; rep < SANDBOX_REPS; rep++) {
    const s = await ours(prep.dir, SANDBOX, false);
    if (!s.ok) throw new Error(`sandbox run failed: ${s.got}/${SANDBOX} files, exit ${s.code}\n${s.out.slice(-2000)}`);
    console.log(`\nsandbox (no SMTP_URL: .eml files under var/outbox/email/, each fsynced), ${fmt(SANDBOX)} subscribers: ${fmt(s.rate)} msg/s (${fmt(s.ms / 1000, 2)} s), peak ${fmt(s.peakMB)} MB`);
    runs.push(s);
  }
  sandbox = { n: SANDBOX, rate: median(runs.map((r) => r.rate)), peakMB: Math.max(...runs.map((r) => r.peakMB)), runs: runs.length };
  drop(prep.dir);
}

sink.send({ cmd: 'stop' });
sink.disconnect();
if (!KEEP) rmSync(work, { recursive: true, force: true });

console.log(`\n| subscribers | ours msg/s | bare pool msg/s | ours ÷ bare (min–max) | peak RSS ours | peak RSS bare | import |`);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${fmt(r.n)} | ${r.oursRate ? fmt(r.oursRate) : 'n/a'} | ${fmt(r.bareRate)} | ${r.ratio ? `${fmt(r.ratio, 3)} (${fmt(r.ratioMin, 3)}–${fmt(r.ratioMax, 3)})` : 'n/a'} | ${r.oursPeakMB ? `${fmt(r.oursPeakMB)} MB` : 'n/a'} | ${fmt(r.barePeakMB)} MB | ${fmt(r.importMs / 1000, 2)} s |`);
}
if (sandbox) console.log(`\nsandbox, ${fmt(sandbox.n)} subscribers: ${fmt(sandbox.rate)} msg/s, peak ${fmt(sandbox.peakMB)} MB (${sandbox.runs} run${sandbox.runs > 1 ? 's, median' : ''})`);
console.log(`\nmessage size: ${fmt(shape.bytes)} bytes as ours composes it, ${fmt(results[0]?.bareBytes ?? 0)} as the bare pool does`);
console.log(`medians of ${SIZES.map((n, i) => `${repsFor(i)} pair${repsFor(i) > 1 ? 's' : ''} at ${fmt(n)}`).join(', ')}, after one warm-up pair; rates are messages ÷ the whole process's wall time.`);
if (live) {
  for (const r of results) console.log(`  ${fmt(r.n)}: ours spent ${fmt(r.oursStartMs / 1000, 2)} s before the first message reached the sink (start-up, recording the occurrence and its deliveries); ${fmt(r.oursSinkRate)} msg/s from first to last message`);
  console.log('Aims: ≥ 90% of the bare pool\'s rate; peak RSS under 300 MB; memory not growing with the list.');
  for (const r of results) console.log(`  ${fmt(r.n)}: rate ${r.ratio >= 0.9 ? 'met' : 'NOT met'} (${fmt(r.ratio * 100)}%), memory ${r.oursPeakMB < 300 ? 'met' : 'NOT met'} (${fmt(r.oursPeakMB)} MB)`);
}
if (statSync(MAIN).mtimeMs !== builtAt) console.log('\nWARNING: dist/cli/main.js was rebuilt during the run: runs after that measured other code.');
console.log(`\nJSON ${JSON.stringify({ live, settings: { MAX_CONNECTIONS, RATE, WINDOW, POOL }, messageBytes: shape.bytes, results, sandbox })}`);
