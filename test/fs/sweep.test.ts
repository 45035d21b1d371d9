/** The start-up sweep of writeAtomic temp files: a dead writer's go, a live writer's stay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepOrphans } from '../../src/delivery/sweep.js';
import { writeAtomic } from '../../src/fs/write-atomic.js';
import { processAlive } from '../../src/fs/process-alive.js';
import { pino } from 'pino';

let deadPid = 0;
const dirs: string[] = [];
beforeAll(async () => {
  // a pid that certainly ran a process, and whose process has ended
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  deadPid = child.pid!;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A real logger whose lines land in `lines`. */
function capture(lines: Record<string, unknown>[]) {
  return pino({ base: null, timestamp: false }, { write: (line: string) => lines.push(JSON.parse(line)) });
}

function varDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-sweep-'));
  dirs.push(dir);
  return dir;
}

/** A temp file as writeAtomic names it, for `file`, left by `pid`. */
function temp(file: string, pid: number, content = 'half a messa'): string {
  mkdirSync(join(file, '..'), { recursive: true });
  const name = `${file}.tmp-${pid}-k3j9x0`;
  writeFileSync(name, content);
  return name;
}

describe('sweepOrphans: writeAtomic temp files', () => {
  it('removes the temps of a dead writer in the outbox and the site state, and keeps a live writer\'s and every final file', () => {
    expect(processAlive(deadPid)).toBe(false);
    const v = varDir();
    writeAtomic(join(v, 'outbox/email/a.eml'), 'a whole message');
    const deadEml = temp(join(v, 'outbox/email/b.eml'), deadPid);
    const deadJson = temp(join(v, 'outbox/weibo/c.json'), deadPid);
    const deadState = temp(join(v, 'site-state/published/alpha.json'), deadPid);
    const deadIndex = temp(join(v, 'site-state/index.json'), deadPid);
    const live = temp(join(v, 'outbox/email/d.eml'), process.pid);
    writeFileSync(join(v, 'outbox/email/notes.tmp-backup'), 'not ours: no pid and random part');

    const logged: Record<string, unknown>[] = [];
    const r = sweepOrphans(v, { log: capture(logged) });

    expect(r).toMatchObject({ tempFiles: 4, siteBuilds: 0, siteObjects: 0, siteBusy: false });
    expect(r.removed.sort()).toEqual([deadEml, deadJson, deadState, deadIndex].map((p) => p.slice(v.length + 1)).sort());
    for (const f of [deadEml, deadJson, deadState, deadIndex]) expect(existsSync(f)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(join(v, 'outbox/email')).sort()).toEqual(['a.eml', 'd.eml.tmp-' + process.pid + '-k3j9x0', 'notes.tmp-backup'].sort());
    expect(logged).toEqual([{ level: 30, tempFiles: 4, siteBuilds: 0, siteObjects: 0, siteBusy: false, msg: 'removed what killed writers left' }]);
    // no site was ever built: the sweep did not create one, nor take its lock
    expect(existsSync(join(v, 'site-builds'))).toBe(false);
    expect(existsSync(join(v, 'site-state/build.lock'))).toBe(false);
  });

  it('takes a live pid\'s temp as abandoned once it has not changed for 15 minutes (a pid reused after a restart)', () => {
    const v = varDir();
    const live = temp(join(v, 'outbox/wechat/e.json'), process.pid);
    const written = new Date('2014-09-29T01:00:00Z');
    utimesSync(live, written, written);
    expect(sweepOrphans(v, { now: new Date('2014-09-29T01:14:00Z') }).tempFiles).toBe(0);
    expect(existsSync(live)).toBe(true);
    expect(sweepOrphans(v, { now: new Date('2014-09-29T01:16:00Z') }).tempFiles).toBe(1);
    expect(existsSync(live)).toBe(false);
  });

  it('on a var folder with nothing in it, or none at all, removes nothing and logs nothing', () => {
    const logged: Record<string, unknown>[] = [];
    const log = capture(logged);
    expect(sweepOrphans(varDir(), { log })).toEqual({ tempFiles: 0, siteBuilds: 0, siteObjects: 0, siteBusy: false, removed: [] });
    expect(sweepOrphans(join(varDir(), 'var'), { log }).removed).toEqual([]);
    expect(logged).toEqual([]);
  });
});
