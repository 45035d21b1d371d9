#!/usr/bin/env node
// Hostile Markdown under the 100,000-character body limit: how long `advisory check` takes on each
// case, as a fresh process (Node start-up included), on a one-campaign project with one advisory.
// The target (issue 12): any file checks in under 1 s, accepted or refused. Wall time and CPU time (user +
// system, from /usr/bin/time when present) are both printed: on a shared machine the CPU time is the steadier.
//   node bench/hostile-markdown.bench.mjs [--cli path/to/main.js] [--runs N] [case…]
// Needs `npm run build` (or --cli pointing at another build, to compare before/after).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const here = import.meta.dirname;
const root = resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const cli = resolve(opt('--cli', join(root, 'dist/cli/main.js')));
const runs = Number(opt('--runs', '3'));
const only = args;

const repeat = (s, n) => s.repeat(n);
const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/** Each case: a body of at most 100,000 characters (the existing length limit). */
const CASES = {
  'baseline (the shipped burglary text)': () => '## 案件特点\n节日期间，许多中小型企事业单位关门歇业。\n\n## 防范建议\n- 关好门窗\n- 检查水电\n',
  '24,000 × "[a]("': () => repeat('[a](', 24_000),
  '200×200 table': () => [
    `|${repeat('h|', 200)}`,
    `|${repeat('-|', 200)}`,
    lines(200, () => `|${repeat('x|', 200)}`),
  ].join('\n'),
  '20,000 footnote references': () => `${repeat('a[^1] ', 16_000)}\n\n[^1]: note\n`,
  '20,000 distinct footnotes': () => `${lines(2_000, (i) => `t[^n${i}]`)}\n\n${lines(2_000, (i) => `[^n${i}]: x`)}\n`,
  '10,000 links': () => repeat('[a](b) ', 10_000),
  '50,000 emphasis markers': () => repeat('*', 50_000),
  'long lines of *_': () => lines(10, () => repeat('*_', 4_900)),
  '"*a" × 24,000': () => repeat('*a', 24_000),
  'nested lists (40 deep, ×50)': () => lines(50, () => lines(40, (d) => `${repeat('  ', d)}- x`)),
  'nested blockquotes (40 deep, ×60)': () => lines(60, () => `${repeat('> ', 40)}x`),
  '5,000 images': () => repeat('![a](images/x.png) ', 5_000),
  '"<a" × 30,000 (raw HTML)': () => repeat('<a ', 30_000),
  '"`" runs': () => lines(2_000, (i) => `${repeat('`', (i % 40) + 1)}x`),
  '7,000 reference definitions': () => lines(7_000, (i) => `[r${i}]: /u`),
  '"[" × 99,000': () => repeat('[', 99_000),
  '"![" × 49,000': () => repeat('![', 49_000),
  // Just inside the limits (issue 12: 150 lines, 150 links, 50 footnotes, 500 emphasis markers, 200 code markers,
  // 500 "<"/"&", 200 table cells, 12 columns, 300 elements overall): what an accepted text can cost.
  'at the limit: 150 list items': () => lines(150, (i) => `- 第${i}条：节日期间外出前关好门窗，检查水电煤气，贵重物品不要放在家中，可托亲属常到家中查看。`),
  'at the limit: 150 nested list lines': () => lines(150, (i) => `${repeat('  ', i % 15)}- x`),
  'at the limit: 150 paragraphs': () => lines(150, (i) => `第${i}段：节日期间外出前关好门窗。\n`),
  'at the limit: 150 long lines (99,000 chars)': () => lines(150, () => repeat('节日期间外出前关好门窗检查水电', 43) + repeat('十', 15)),
  'at the limit: 150 links in one paragraph': () => repeat('[a](https://b.example/) ', 150),
  'at the limit: 150 × "[a](" + text': () => repeat('[a](', 150) + repeat('防', 99_000),
  'at the limit: 50 footnotes + 100 links': () => `${repeat('a[^1] ', 49)}${repeat('[a](b) ', 100)}\n\n[^1]: x`,
  'at the limit: 500 "*a" in one paragraph': () => repeat('*a', 250) + repeat('_a', 250),
  'at the limit: 500 "*_"': () => repeat('a*_', 250),
  'at the limit: 16×12 table': () => [`|${repeat('标题|', 12)}`, `|${repeat('-|', 12)}`, lines(15, () => `|${repeat('内容|', 12)}`)].join('\n'),
  'at the limit: 200 "`a"': () => repeat('`a', 200),
  'at the limit: 500 "&amp;" and "<a"': () => repeat('&amp; <a ', 250),
  'at the limit: 150 hard breaks': () => lines(150, () => '节日期间注意防盗\\'),
  'at the limit: everything at once': () => [
    lines(44, (i) => `- 第${i}条 **注意** \`c\` [链接](https://b.example/${i}) &amp; <b>`),
    '',
    `|${repeat('h|', 5)}`, `|${repeat('-|', 5)}`, lines(5, () => `|${repeat('x|', 5)}`),
    '',
    `${repeat('a[^1] ', 5)}`,
    '',
    lines(5, () => `> ${repeat('> ', 3)}${repeat('防', 300)}`),
    '',
    '[^1]: 注释',
  ].join('\n'),
};

const work = join(here, '.out', 'hostile-markdown', String(process.pid));
rmSync(work, { recursive: true, force: true });
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function project(name, body) {
  const dir = join(work, name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase());
  mkdirSync(join(dir, 'advisories', 'demo'), { recursive: true });
  cpSync(join(root, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(root, 'channels'), join(dir, 'channels'), { recursive: true });
  writeFileSync(join(dir, 'advisories/demo/campaign.yaml'), 'title: 演示\nissuer: 章丘市公安局\nsummary: 演示。\nschedule:\n  - name: bulletin\n    channels: [website, wechat, weibo, email]\n    at: 2030-09-29T09:00+08:00\n');
  writeFileSync(join(dir, 'advisories/demo/01-x.md'), `---\ntitle: 演示\nsummary: 演示。\n---\n${body}`);
  return dir;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = join(work, 'cpu.txt');

/** One fresh `advisory check`: wall seconds, CPU seconds (user + system; NaN without /usr/bin/time), the result. */
function checkOnce(dir) {
  const argv = [cli, 'check', '--root', dir];
  const t0 = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...argv], { encoding: 'utf8', timeout: 180_000, maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(process.execPath, argv, { encoding: 'utf8', timeout: 180_000, maxBuffer: 256 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = TIME ? readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').reduce((a, b) => a + Number(b), 0) : NaN;
  return { wall, cpu, r };
}

console.log(`advisory check on hostile Markdown (${cli}), fresh process each, median of ${runs}; load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
console.log(`${'case'.padEnd(40)} ${'chars'.padStart(7)}  ${'wall'.padStart(7)} ${'cpu'.padStart(7)}  exit  first problem`);
for (const [name, make] of Object.entries(CASES)) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  const body = make();
  if (body.length > 100_000) throw new Error(`${name}: ${body.length} characters, over the 100,000 limit it is meant to stay under`);
  const dir = project(name, body);
  const walls = [];
  const cpus = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const { wall, cpu, r } = checkOnce(dir);
    walls.push(wall);
    cpus.push(cpu);
    last = r;
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const first = (last.stdout ?? '').split('\n').find((l) => /: (error|warning) /.test(l) && !l.includes('base-url-loopback')) ?? '';
  const rule = /\[([a-z0-9-]+)\]$/.exec(first)?.[1] ?? (last.error ? String(last.error.code) : '-');
  console.log(`${name.padEnd(40)} ${String(body.length).padStart(7)}  ${median(walls).toFixed(2).padStart(6)}s ${median(cpus).toFixed(2).padStart(6)}s  ${String(last.status ?? last.signal).padStart(4)}  ${rule}`);
}
