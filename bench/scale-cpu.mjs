#!/usr/bin/env node
// Where bench/scale.mjs's CPU goes, per configuration and per process kind: run it beside the benchmark on the
// same machine (Linux: it reads /proc), with the benchmark's servers named, then stop it with Ctrl-C or SIGTERM.
//
//   dir=$(mktemp -d) && pg=$(tools/pg-throwaway.sh start "$dir")          # a PostgreSQL whose data folder is known
//   rd=$(mktemp -d) && redis=$(tools/redis-throwaway.sh start "$rd")
//   SCALE_CPU_N=5000 node bench/scale-cpu.mjs "$dir/data" "${redis##*:}" & sampler=$!
//   SCALE_BENCH_POSTGRES=$pg SCALE_BENCH_REDIS=$redis node bench/scale.mjs 5000; kill $sampler
//
// Every 500 ms it reads each process's user + system time; each tick's increase is added to the configuration
// running then (the benchmark's project folder of the advisory processes alive: sqlite, pg-1, pg-2, pg-3) and to
// the process's kind: `advisory publish`, `run`, `worker` (the benchmark's, found by their working folder), the
// PostgreSQL server (the postmaster of that data folder and its backends), that Redis, the SMTP sink. Printed at
// the end: CPU seconds per configuration and kind, and per message too when SCALE_CPU_N=N is set.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const [pgData, redisPort] = process.argv.slice(2);
if (!pgData || !redisPort) {
  console.error('usage: node bench/scale-cpu.mjs PGDATA REDIS_PORT   (see the header)');
  process.exit(2);
}
const HZ = 100; // USER_HZ: /proc/<pid>/stat counts clock ticks of 1/100 s on Linux
const N = Number(process.env.SCALE_CPU_N ?? 0);
const last = new Map();
const acc = {};
let postmaster = null;

function processes() {
  const list = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${p}/cwd`);
      } catch {}
      list.push({ pid: Number(p), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), cmd: readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' '), cwd });
    } catch {}
  }
  return list;
}

function tick() {
  const ps = processes();
  postmaster ??= ps.find((p) => p.cmd.includes(pgData) && /postgres/.test(p.cmd))?.pid ?? null;
  const phases = new Set();
  for (const p of ps) {
    const m = /advisory-scale-bench-[^/]+\/([^/]+)/.exec(p.cwd);
    if (m && p.cmd.includes('main.js')) phases.add(m[1]);
  }
  const phase = [...phases].sort().join('+') || 'between';
  for (const p of ps) {
    let kind = null;
    if (p.pid === postmaster || p.ppid === postmaster) kind = 'postgres';
    else if (p.cmd.includes('redis-server') && p.cmd.includes(`:${redisPort}`)) kind = 'redis';
    else if (p.cmd.includes('smtp-sink.mjs')) kind = 'sink';
    else if (/advisory-scale-bench/.test(p.cwd) && p.cmd.includes('main.js')) kind = `advisory ${/main\.js (\S+)/.exec(p.cmd)?.[1] ?? '?'}`;
    const before = last.get(p.pid);
    last.set(p.pid, p.ticks);
    if (!kind) continue;
    const d = before === undefined ? p.ticks : p.ticks - before;
    if (d <= 0) continue;
    acc[phase] ??= {};
    acc[phase][kind] = (acc[phase][kind] ?? 0) + d / HZ;
  }
}

const timer = setInterval(tick, 500);
tick();
function report() {
  clearInterval(timer);
  tick();
  for (const [phase, kinds] of Object.entries(acc)) {
    if (phase === 'between') continue;
    // The set-up steps (import, approve) are not the send.
    const sending = Object.entries(kinds).filter(([k]) => !/advisory (subscribers|approve)/.test(k)).sort((a, b) => b[1] - a[1]);
    const total = sending.reduce((n, [, s]) => n + s, 0);
    const per = N ? ` = ${((1000 * total) / N).toFixed(2)} ms a message` : '';
    console.log(`${phase}: ${total.toFixed(1)} CPU s${per} (${sending.map(([k, s]) => `${k} ${s.toFixed(1)}`).join(', ')})`);
  }
  process.exit(0);
}
process.on('SIGTERM', report);
process.on('SIGINT', report);
