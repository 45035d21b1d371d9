// Measuring helpers for the benchmarks: one fresh process per measurement, wall time from this
// process's clock, peak RSS and CPU time from /usr/bin/time (wait4's rusage of the child: the
// maximum over the child and every process it waited for, threads included).
import { existsSync, statSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export const HAVE_TIME = existsSync('/usr/bin/time');
const scratch = mkdtempSync(join(tmpdir(), 'bench-time-'));
let seq = 0;

/** `sync`: nothing left waiting to be written back from the previous run (it would slow this run's writes). */
export function sync() {
  try {
    execFileSync('sync');
  } catch {
    /* no sync(1): nothing to do */
  }
}

/**
 * Runs `cmd args` as a fresh process in `cwd` and measures it.
 * Returns { ms, rssKiB, userS, sysS, status, stdout, stderr }. Throws when the exit status is not
 * in `okStatus` (default [0]), with the output, so a broken run is never reported as a figure.
 */
export function measure(cmd, args, { cwd, env = process.env, okStatus = [0], input } = {}) {
  sync();
  const out = join(scratch, `t${seq++}`);
  const argv = HAVE_TIME ? ['/usr/bin/time', ['-f', '%e %M %U %S', '-o', out, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv[1], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28, input, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  let rssKiB = null;
  let userS = null;
  let sysS = null;
  if (HAVE_TIME && existsSync(out)) {
    // /usr/bin/time writes "Command exited with non-zero status N" first when it fails
    const line = readFileSync(out, 'utf8').trim().split('\n').pop();
    const [, m, u, s] = line.split(/\s+/).map(Number);
    rssKiB = m;
    userS = u;
    sysS = s;
    rmSync(out, { force: true });
  }
  if (!okStatus.includes(r.status)) {
    const tail = (s) => (s ?? '').trim().split('\n').slice(-15).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited with ${r.status ?? r.signal}\n${tail(r.stdout)}\n${tail(r.stderr)}`);
  }
  return { ms, rssKiB, userS, sysS, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Regular files under `dir` (symbolic links followed): { files, pages (*.html), bytes }. */
export function countOutput(dir) {
  let files = 0;
  let pages = 0;
  let bytes = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        files++;
        bytes += st.size;
        if (e.name.endsWith('.html')) pages++;
      }
    }
  };
  walk(dir);
  return { files, pages, bytes };
}

export function stats(values) {
  const v = values.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

export const fmt = (n, d = 0) => (n == null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
export const secs = (ms) => (ms == null ? '—' : `${fmt(ms / 1000, ms < 10_000 ? 2 : 1)} s`);
export const mib = (kib) => (kib == null ? '—' : `${fmt(kib / 1024)} MiB`);
export const mb = (bytes) => (bytes == null ? '—' : bytes >= 1e6 ? `${fmt(bytes / 1e6, 1)} MB` : `${fmt(bytes / 1e3, 0)} kB`);
/** "1.23 s (1.20–1.31)" from a stats() of milliseconds. */
export const spread = (s) => (s == null ? '—' : `${secs(s.median)} (${fmt(s.min / 1000, 2)}–${fmt(s.max / 1000, 2)})`);

export function cleanupScratch() {
  rmSync(scratch, { recursive: true, force: true });
}
