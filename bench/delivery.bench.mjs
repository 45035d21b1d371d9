#!/usr/bin/env node
// Delivery benchmark (npm run bench delivery): needs `npm run build` first.
//  1. Fire latency: 1,000 deliveries falling due over ~5 s on the real clock; the daemon's wake loop
//     (dist/delivery/loop.js) sends them; latency = channel call time − due time. p50 / p99 / max.
//  2. Catch-up: a campaign firing every minute, the process down for 1,000 firings; on restart the
//     dispatcher plans, renders, freezes and sends all 1,000 (Weibo sandbox: real files, fsync'd).
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
    store, channels: createChannelRegistry(root, {}), renderer: createRenderer(root), log, now, random: Math.random,
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

const f = await fireLatency();
console.log(`fire latency, 1,000 deliveries due over 5 s (wake loop, poll ≤ 1 s): p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms`);
const c = await catchUp();
console.log(`catch-up after a restart: ${c.sent} missed firings planned, rendered, frozen and sent (weibo sandbox files) in ${(c.ms / 1000).toFixed(2)} s (${(c.ms / c.sent).toFixed(2)} ms each)`);
