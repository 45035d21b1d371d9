#!/usr/bin/env node
// Scale-out benchmark (issue 15): one campaign to N generated subscribers through the whole pipeline to a
// local SMTP sink (bench/smtp-sink.mjs, its own process), in the same run:
//   - the default: SQLite, one process: `advisory publish 2014-national-day --channel email --now`;
//   - PostgreSQL + BullMQ on Redis with 1, 2 and 3 `advisory worker` processes, `advisory run --workers 0`
//     keeping the clock and the relay, and the same `publish --now` handing the occurrence to it.
// Each is timed as a user sees it: publish's process from start to exit (it records the occurrence and its N
// deliveries, then sends, or waits for the workers to send). Also: the messages a second at the sink (first to
// last message), the peak resident set of every process (VmHWM), and the ledger's growth (SQLite: the file
// and its WAL; PostgreSQL: the schema's tables with their indexes and TOAST).
//
//   node bench/scale.mjs [N]      default 200000; needs `npm run build` (not part of `npm run bench`: it starts servers)
// Environment: SCALE_BENCH_WORKERS=1,2,3   SCALE_BENCH_MAX_CONNECTIONS=5 (e-mail's max_connections; each worker
//   holds 3 batches of it)   SCALE_BENCH_WORKER_CONCURRENCY=N (each worker's --concurrency, its jobs in hand;
//   default its own)   SCALE_BENCH_POSTGRES / SCALE_BENCH_REDIS (servers to use; default: throwaway ones
//   from tools/pg-throwaway.sh and tools/redis-throwaway.sh, removed at the end; the Redis one is flushed
//   between runs, so never name a Redis that holds anything else)
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, fork, spawn } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

const here = import.meta.dirname;
const repo = resolve(here, '..');
const MAIN = join(repo, 'dist/cli/main.js');
if (!existsSync(MAIN)) {
  console.error('dist/cli/main.js is missing: run `npm run build` first (npm run bench does).');
  process.exit(2);
}
const env = process.env;
const N = Number(process.argv[2] ?? env.SCALE_BENCH_SIZE ?? 200_000);
const WORKERS = (env.SCALE_BENCH_WORKERS ?? '1,2,3').split(',').map(Number).filter((x) => x > 0);
const MAX_CONNECTIONS = Number(env.SCALE_BENCH_MAX_CONNECTIONS ?? 5);
const CAMPAIGN = '2014-national-day';
const work = mkdtempSync(join(tmpdir(), 'advisory-scale-bench-'));
const fmt = (x, d = 0) => (x == null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const cleanEnv = () => Object.fromEntries(Object.entries(env).filter(([k]) => !/^(SMTP_|EMAIL_|WECHAT_|WEIBO_|ADVISORY_)/.test(k)));

// ── servers ──────────────────────────────────────────────────────────────────────────────────
const tool = (script, ...args) => execFileSync('bash', [join(repo, 'tools', script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const pgDir = join(work, 'pg');
const redisDir = join(work, 'redis');
const PG_URL = env.SCALE_BENCH_POSTGRES || tool('pg-throwaway.sh', 'start', pgDir);
const REDIS_URL = env.SCALE_BENCH_REDIS || tool('redis-throwaway.sh', 'start', redisDir);
const redis = new Redis(REDIS_URL);
const sink = fork(join(here, 'smtp-sink.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const sinkAsk = (cmd) => new Promise((res) => {
  sink.once('message', res);
  sink.send({ cmd });
});
const { port } = await new Promise((res) => sink.once('message', res));

// ── processes ────────────────────────────────────────────────────────────────────────────────
const hwm = (pid) => {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return null;
  }
};
/** The built CLI in `cwd`; `done` resolves at exit with { code, ms, out, peakMB } (peak polled while it runs). */
function cli(args, cwd, extraEnv) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [MAIN, ...args, '--lang', 'en'], { cwd, env: { ...cleanEnv(), LOG_LEVEL: 'warn', SMTP_URL: `smtp://127.0.0.1:${port}`, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let peakMB = 0;
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const poll = setInterval(() => (peakMB = Math.max(peakMB, hwm(child.pid) ?? 0)), 100);
  const done = new Promise((res) => child.on('close', (code) => {
    clearInterval(poll);
    res({ code, ms: performance.now() - t0, out, peakMB });
  }));
  return { child, done, out: () => out, peak: () => Math.max(peakMB, hwm(child.pid) ?? 0) };
}
async function waitFor(p, text, what) {
  const end = Date.now() + 60_000;
  while (!p.out().includes(text)) {
    if (Date.now() > end || p.child.exitCode !== null) throw new Error(`${what} did not start:\n${p.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function must(args, cwd, extraEnv) {
  const r = await cli(args, cwd, extraEnv).done;
  if (r.code !== 0) throw new Error(`advisory ${args.join(' ')} exited ${r.code}:\n${r.out}`);
  return r;
}

// ── projects ─────────────────────────────────────────────────────────────────────────────────
const csv = join(work, 'subscribers.csv');
writeFileSync(csv, `address,name\n${Array.from({ length: N }, (_, i) => `r${i}@example.org,居民${i}`).join('\n')}\n`);
async function project(name, extraEnv) {
  const dir = join(work, name);
  for (const d of ['advisories', 'channels', 'templates']) cpSync(join(repo, d), join(dir, d), { recursive: true });
  const site = join(dir, 'channels/website.yaml');
  writeFileSync(site, readFileSync(site, 'utf8').replace(/^base_url:.*$/m, 'base_url: https://bench.example.gov.cn'));
  const mail = join(dir, 'channels/email.yaml');
  writeFileSync(mail, readFileSync(mail, 'utf8').replace(/^max_connections:.*$/m, `max_connections: ${MAX_CONNECTIONS}`).replace(/^rate_per_second:.*$/m, 'rate_per_second: 0'));
  await must(['subscribers', 'import', csv], dir, extraEnv);
  await must(['approve', CAMPAIGN, '--by', 'bench'], dir, extraEnv);
  return dir;
}
const sqliteSize = (dir) => ['advisory.db', 'advisory.db-wal'].reduce((n, f) => n + (existsSync(join(dir, 'var', f)) ? statSync(join(dir, 'var', f)).size : 0), 0);
async function pgSize(schema) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'r'`, [schema]);
    return Number(r.rows[0].n);
  } finally {
    await c.end();
  }
}
function sentCount(out) {
  return Number(/email: (\d+) sent/.exec(out)?.[1] ?? NaN);
}

// ── runs ─────────────────────────────────────────────────────────────────────────────────────
const rows = [];
async function measured(label, publish, others = []) {
  await sinkAsk('reset');
  const r = await publish;
  const { stats } = await sinkAsk('stats');
  if (r.code !== 0 || sentCount(r.out) !== N || stats.count !== N) throw new Error(`${label}: publish exited ${r.code}, sink got ${stats.count} of ${N}:\n${r.out}`);
  return { label, ms: r.ms, sinkRate: stats.count / ((stats.last - stats.first) / 1000), publishMB: r.peakMB, othersMB: others.map((p) => p.peak()) };
}

console.log(`scale benchmark: ${fmt(N)} subscribers, max_connections ${MAX_CONNECTIONS}; ${cpus().length} cores, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
try {
  {
    const dir = await project('sqlite', {});
    const before = sqliteSize(dir);
    const row = await measured('SQLite, one process', cli(['publish', CAMPAIGN, '--channel', 'email', '--now'], dir, {}).done);
    rows.push({ ...row, growth: sqliteSize(dir) - before });
  }
  for (const k of WORKERS) {
    await redis.flushall();
    const schema = `bench_${k}_${process.pid}`;
    const extraEnv = { ADVISORY_STORE: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`, ADVISORY_QUEUE: REDIS_URL };
    const dir = await project(`pg-${k}`, extraEnv);
    const before = await pgSize(schema);
    const daemon = cli(['run', '--port', '0', '--staff-port', '0', '--workers', '0'], dir, extraEnv);
    await waitFor(daemon, 'serving', 'advisory run');
    const workers = Array.from({ length: k }, () => cli(['worker', '--channels', 'email', ...(env.SCALE_BENCH_WORKER_CONCURRENCY ? ['--concurrency', env.SCALE_BENCH_WORKER_CONCURRENCY] : [])], dir, extraEnv));
    for (const w of workers) await waitFor(w, 'advisory worker', 'a worker');
    const row = await measured(`PostgreSQL + BullMQ, ${k} worker${k > 1 ? 's' : ''}`, cli(['publish', CAMPAIGN, '--channel', 'email', '--now'], dir, extraEnv).done, [daemon, ...workers]);
    for (const p of [...workers, daemon]) p.child.kill('SIGTERM');
    for (const p of [...workers, daemon]) await p.done;
    rows.push({ ...row, growth: (await pgSize(schema)) - before });
  }
} finally {
  sink.send({ cmd: 'stop' });
  await redis.quit();
  if (!env.SCALE_BENCH_REDIS) tool('redis-throwaway.sh', 'stop', redisDir);
  if (!env.SCALE_BENCH_POSTGRES) tool('pg-throwaway.sh', 'stop', pgDir);
  rmSync(work, { recursive: true, force: true });
}

console.log('\n| configuration | publish --now, start to exit | messages/s (whole) | messages/s at the sink | peak RSS: publish | peak RSS: run, workers | ledger growth |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${fmt(r.ms / 1000, 1)} s | ${fmt(N / (r.ms / 1000))} | ${fmt(r.sinkRate)} | ${fmt(r.publishMB)} MiB | ${r.othersMB.length ? r.othersMB.map((m) => `${fmt(m)}`).join(', ') + ' MiB' : '—'} | ${fmt(r.growth / 1e6, 1)} MB |`);
}
