#!/usr/bin/env node
// Delivery benchmark (npm run bench delivery): needs `npm run build` first.
//  1. Fire latency: 1,000 deliveries falling due over ~5 s on the real clock; the daemon's wake loop
//     (dist/delivery/loop.js) sends them; latency = channel call time − due time. p50 / p99 / max.
//  2. Catch-up: a campaign firing every minute, the process down for 1,000 firings; on restart the
//     dispatcher plans, renders, freezes and sends all 1,000 (Weibo sandbox: real files, fsync'd).
//  3. Fan-out: recording one occurrence with its e-mail to 20,000 and 100,000 subscribers, in its one
//     transaction (how long the process is blocked when a big firing is created).
//  4. Responsiveness: the real daemon (in process) with 20,000 subscribers; 200 concurrent /status.json
//     requests while /healthz is timed, with the status report cached (1 s) and, paired in the same run,
//     without the cache (each request builds the report, as before).
import { cpSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const d = (p) => import(join(repo, 'dist', p));
const { openLedger } = await d('delivery/ledger.js');
const { Dispatcher } = await d('delivery/dispatcher.js');
const { startWakeLoop } = await d('delivery/loop.js');
const { systemClock, ManualClock } = await d('delivery/clock.js');
const { parseFailpoints } = await d('delivery/failpoint.js');
const { projectPlanner } = await d('delivery/project-planner.js');
const { createChannelRegistry } = await d('channels/registry.js');
const { createRenderer } = await d('render/create.js');

const log = pino({ level: 'silent' });
const failpoints = parseFailpoints(undefined);
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function fireLatency(n = 1000) {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-bench-'));
  const store = openLedger(join(dir, 'var'));
  const latencies = [];
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const channel = {
    name: 'weibo', mode: 'sandbox', perRecipient: false, concurrency: 1, config: {}, site: {},
    render: () => [], check: () => [],
    async publish(payload, ctx) {
      latencies.push(Date.now() - Date.parse(payload.body.due));
      if (latencies.length === n) resolveDone();
      return { id: ctx.deliveryKey, at: new Date().toISOString() };
    },
    async reconcile() { return null; },
  };
  const t0 = Date.now() + 500;
  const ds = Array.from({ length: n }, (_, i) => {
    const due = new Date(t0 + Math.floor((i * 5000) / n)).toISOString();
    return { key: `bench/s/weibo/${due}/${i}`, campaign: 'bench', schedule: 's', channel: 'weibo', recipient: null, dueUtc: due,
      windowEndsUtc: '2099-01-01T00:00:00Z', payload: { channel: 'weibo', kind: 'status', label: `#${i}`, body: { due } }, contentHash: 'h', state: 'pending' };
  });
  store.createDeliveries('bench', ds, new Date());
  const clock = systemClock();
  const dispatcher = new Dispatcher({
    store, channels: new Map([['weibo', channel]]), renderer: { templatesHash: '' }, log, now: () => clock.now(), random: Math.random,
    root: dir, varDir: join(dir, 'var'), failpoints, planner: { campaigns: () => [], occurrences: () => [] },
  });
  const loop = startWakeLoop(dispatcher, clock, log, 1000);
  await done;
  await loop.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies.at(-1) };
}

async function catchUp(n = 1000) {
  const root = mkdtempSync(join(tmpdir(), 'advisory-bench-'));
  for (const f of ['channels', 'templates']) cpSync(join(repo, f), join(root, f), { recursive: true });
  cpSync(join(repo, 'advisories/2014-national-day'), join(root, 'advisories/bench'), { recursive: true });
  const yaml = join(root, 'advisories/bench/campaign.yaml');
  const text = (await import('node:fs')).readFileSync(yaml, 'utf8').replace(/schedule:[\s\S]*$/, '');
  writeFileSync(yaml, `${text}schedule:\n  - name: every-minute\n    channels: [weibo]\n    cron: "* * * * *"\n    window: 2d\n`);
  const start = Date.parse('2014-09-29T00:00:00Z');
  const store = openLedger(join(root, 'var'));
  const clock = new ManualClock(new Date(start));
  const now = () => clock.now();
  const deps = {
    store, channels: createChannelRegistry({ root, env: {}, renderer: createRenderer(root), varDir: join(root, 'var') }), renderer: createRenderer(root), log, now, random: Math.random,
    root, varDir: join(root, 'var'), failpoints, planner: projectPlanner(root, log, now), catchupMs: 60_000,
  };
  // Ran once at the start, then was down for 1,000 minutes.
  await new Dispatcher(deps).wake();
  const before = store.counts().sent;
  clock.set(new Date(start + n * 60_000));
  const t = performance.now();
  await new Dispatcher(deps).wake();
  const ms = performance.now() - t;
  const sent = store.counts().sent - before;
  const files = readdirSync(join(root, 'var/outbox/weibo')).filter((f) => f.endsWith('.json')).length;
  store.close();
  rmSync(root, { recursive: true, force: true });
  return { sent, files, ms };
}

async function fanOut(n) {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-bench-'));
  const store = openLedger(join(dir, 'var'));
  const at = new Date('2014-09-29T01:00:00Z');
  store.db.transaction(() => {
    for (let i = 0; i < n; i++) store.addSubscriber({ address: `r${i}@example.org`, name: `居民${i}` }, at);
  })();
  const part = { key: 'c/s/email/2014-09-29T01:00:00Z', campaign: 'c', schedule: 's', channel: 'email', recipient: null, dueUtc: '2014-09-29T01:00:00Z',
    windowEndsUtc: '2014-09-29T07:00:00Z', payload: { channel: 'email', kind: 'message', label: 'x', body: { html: 'x'.repeat(30_000), text: 'y'.repeat(5_000) } }, contentHash: 'h', state: 'pending' };
  const occ = { key: 'c/s/2014-09-29T01:00:00Z', campaign: 'c', schedule: 's', kind: 'scheduled', dueUtc: part.dueUtc, windowEndsUtc: part.windowEndsUtc,
    contentHash: 'h', channels: [{ channel: 'email', baseKey: part.key }], detail: {}, requestedBy: null, createdAt: at.toISOString() };
  const t = performance.now();
  const r = store.recordOccurrence(occ, [{ channel: 'email', baseKey: part.key, fanOut: [part] }], at);
  const ms = performance.now() - t;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { created: r.created, ms };
}

async function responsiveness(subscribers = 20_000, requests = 200) {
  const { startDaemon } = await d('delivery/daemon.js');
  const root = mkdtempSync(join(tmpdir(), 'advisory-bench-'));
  for (const f of ['advisories', 'channels', 'templates']) cpSync(join(repo, f), join(root, f), { recursive: true });
  const store = openLedger(join(root, 'var'));
  store.db.transaction(() => {
    for (let i = 0; i < subscribers; i++) store.addSubscriber({ address: `r${i}@example.org` }, new Date());
  })();
  store.close();
  const out = {};
  for (const [label, statusTtlMs] of [['cached', 1000], ['uncached', 0], ['cached again', 1000]]) {
    const daemon = await startDaemon({
      root, env: {}, port: 0, host: '127.0.0.1', clock: systemClock(new Date('2014-09-20T00:00:00Z')), ticker: { start() {}, stop() {} },
      siteTicker: { start() {}, stop() {} }, log, failpoints, statusTtlMs,
    });
    await fetch(`${daemon.url}/status.json`); // warm-up
    const health = [];
    let stop = false;
    const probe = (async () => {
      while (!stop) {
        const t = performance.now();
        await (await fetch(`${daemon.url}/healthz`)).text();
        health.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const t = performance.now();
    await Promise.all(Array.from({ length: requests }, async () => (await fetch(`${daemon.url}/status.json`)).json()));
    const all = performance.now() - t;
    stop = true;
    await probe;
    await daemon.stop();
    health.sort((a, b) => a - b);
    out[label] = { all, p50: pct(health, 50), max: health.at(-1) };
  }
  rmSync(root, { recursive: true, force: true });
  return out;
}

const f = await fireLatency();
console.log(`fire latency, 1,000 deliveries due over 5 s (wake loop, poll ≤ 1 s): p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms`);
const c = await catchUp();
console.log(`catch-up after a restart: ${c.sent} missed firings planned, rendered, frozen and sent (weibo sandbox files) in ${(c.ms / 1000).toFixed(2)} s (${(c.ms / c.sent).toFixed(2)} ms each)`);
for (const n of [20_000, 100_000]) {
  const r = await fanOut(n);
  console.log(`fan-out: one occurrence recorded with its e-mail to ${r.created.toLocaleString('en')} subscribers, one transaction: ${r.ms.toFixed(0)} ms`);
}
const h = await responsiveness();
for (const [label, r] of Object.entries(h)) {
  console.log(`daemon with 20,000 subscribers, 200 concurrent /status.json (${label}): all answered in ${r.all.toFixed(0)} ms; /healthz meanwhile p50 ${r.p50.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`);
}
