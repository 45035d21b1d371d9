/**
 * `publish --now` on a terminal: a progress bar for the e-mail with rate and
 * time left, redrawn in place and cleared at the end; then a final count of
 * the e-mail (sent, failed, skipped). Without a terminal: no bar, the count only.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { progressBar } from '../../src/cli/commands/publish.js';
import { CAMPAIGN, projects, publish as spawnPublish } from '../delivery/recovery.js';
import { withStore } from '../delivery/helpers.js';
import { join } from 'node:path';

const SUBSCRIBERS = 400;
const project = projects(SUBSCRIBERS);

async function publish(root: string, terminal: boolean) {
  let out = '';
  let err = '';
  const drawn: Array<string | null> = [];
  const code = await main(['publish', CAMPAIGN, '--channel', 'email', '--now', '--root', root], {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    env: { ...process.env, NO_COLOR: '1' },
    now: () => new Date(),
    ...(terminal ? { status: (l: string | null) => void drawn.push(l) } : {}),
  });
  return { code, out, err, drawn };
}

describe('publish --now progress', () => {
  it('on a terminal: a bar that advances, with a rate, cleared at the end; then the e-mail\'s count', async () => {
    const r = await publish(project(), true);
    expect(r.code, r.err).toBe(0);
    const bars = r.drawn.filter((l): l is string => typeof l === 'string');
    expect(bars.length).toBeGreaterThan(0);
    for (const b of bars) expect(b).toMatch(/^email ▕[█░]{24}▏ [\d,]+\/400 {2}\d+% {2}(starting…|[\d.,]+\/s)/);
    const done = bars.map((b) => Number(/ ([\d,]+)\/400/.exec(b)![1].replace(/,/g, '')));
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(r.drawn.at(-1)).toBeNull();
    expect(r.out).toMatch(/^ {2}email: 400 sent, 0 failed, 0 skipped \(unsubscribed or bounced before their turn\) of 400; [\d,.]+\/s$/m);
  }, 60_000);

  it('not on a terminal: nothing drawn, the count only', async () => {
    const r = await publish(project(), false);
    expect(r.code, r.err).toBe(0);
    expect(r.drawn).toEqual([]);
    expect(r.err).not.toContain('▕');
    expect(r.out).toContain('  email: 400 sent, 0 failed, 0 skipped');
  }, 60_000);

  it('killed part-way, one recipient unsubscribed meanwhile: the re-run\'s bar starts where it was; that one is counted skipped', async () => {
    const root = project();
    const killed = spawnPublish(root, { ADVISORY_FAILPOINT: 'after-publish:150' });
    expect((await killed.exited).signal).toBe('SIGKILL');
    const left = await withStore(join(root, 'var'), async (s) => {
      const pending = (await s.list({ state: 'pending' })).filter((d) => d.channel === 'email');
      expect(await s.unsubscribeId(pending[0].recipient!, new Date(), 'link')).toBe(true);
      return pending.length;
    });
    expect(left).toBeGreaterThan(200);
    const r = await publish(root, true);
    expect(r.code, r.err).toBe(0);
    const first = r.drawn.find((l): l is string => typeof l === 'string')!;
    expect(Number(/ ([\d,]+)\/400/.exec(first)![1])).toBeGreaterThanOrEqual(149);
    expect(r.out).toMatch(/^ {2}email: 399 sent, 0 failed, 1 skipped \(unsubscribed or bounced before their turn\) of 400/m);
  }, 60_000);

  it('the bar: share, rate, time left, failures', () => {
    const m = { channel: 'email' as const, total: 20_000, done: 12_345, sent: 12_342, failed: 3, skipped: 0, rate: 412.4, etaSeconds: 19, final: false };
    expect(progressBar(m)).toBe('email ▕███████████████░░░░░░░░░▏ 12,345/20,000  61%  412/s  about 0:19 left  3 failed');
    expect(progressBar({ ...m, done: 0, rate: null, etaSeconds: null, failed: 0 })).toBe('email ▕░░░░░░░░░░░░░░░░░░░░░░░░▏ 0/20,000  0%  starting…');
    expect(progressBar({ ...m, etaSeconds: 3725, rate: 2.5 })).toContain('2.5/s  about 1:02:05 left');
  });
});
