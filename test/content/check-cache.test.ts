/**
 * `advisory check` remembers each campaign's answer under var/cache/check/,
 * keyed by the campaign's files, the templates, channels/*.yaml and the
 * program: a second check of unchanged campaigns prints the same problems,
 * exit code and summary without loading them, and any change is seen at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/in-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** The shipped project (two campaigns) in a temp folder. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-check-cache-'));
  temps.push(dir);
  for (const d of ['advisories', 'templates', 'channels']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

const check = (dir: string, now?: Date, ...args: string[]) => runCli(['check', ...args, '--root', dir], now ? { now: () => now } : {});

describe('check: unchanged campaigns answered from the cache', () => {
  it('the same answer twice; an edit, a template, a channel setting each seen at once', async () => {
    const dir = project();
    const first = await check(dir);
    expect(first.code, first.out + first.err).toBe(0);
    const records = readdirSync(join(dir, 'var/cache/check'));
    expect(records.length).toBeGreaterThanOrEqual(2);
    const written = () => records.map((r) => statSync(join(dir, 'var/cache/check', r)).mtimeMs);
    const before = written();
    expect(await check(dir)).toEqual(first);
    expect(written(), 'a hit is not checked and written again').toEqual(before);
    expect(await check(dir, undefined, '--json')).toEqual(await check(dir, undefined, '--json'));

    // an advisory made too long for WeChat's digest: an error now, gone when undone
    const file = join(dir, 'advisories/2014-national-day/01-burglary.md');
    const { readFileSync } = await import('node:fs');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/^title: .*$/m, `title: ${'很长的标题'.repeat(20)}`));
    const broken = await check(dir);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/01-burglary\.md:\d+:\d+: error .*title/);
    writeFileSync(file, original);
    expect(await check(dir)).toEqual(first);

    // a template that no longer compiles
    appendFileSync(join(dir, 'templates/wechat/article.hbs'), '\n{{#if}}\n');
    const template = await check(dir);
    expect(template.code).toBe(1);
    expect(template.out + template.err).toContain('templates/wechat/article.hbs');

    // a channel limit tightened in channels/weibo.yaml is applied to a cached campaign
    rmSync(join(dir, 'templates'), { recursive: true });
    cpSync(join(ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
    expect(await check(dir)).toEqual(first);
    appendFileSync(join(dir, 'channels/website.yaml'), '\nbogus_setting: 1\n');
    const setting = await check(dir);
    expect(setting.code).toBe(1);
    expect(setting.out).toContain('channels/website.yaml');
  });

  it('an advisory with `expires` is checked against the clock each minute, not remembered past it', async () => {
    const dir = project();
    const file = join(dir, 'advisories/2014-national-day/01-burglary.md');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title:/m, 'expires: 2027-01-01T00:00+08:00\ntitle:'));
    const before = await check(dir, new Date('2026-12-31T15:58:00Z'));
    expect(before.out).not.toContain('[expired]');
    const after = await check(dir, new Date('2026-12-31T16:01:00Z'));
    expect(after.out).toMatch(/01-burglary\.md:\d+:\d+: warning .*expired.*\[expired\]/);
  });

  it('a torn record is a miss; a project whose var/ cannot be written is still checked', async () => {
    const dir = project();
    const first = await check(dir);
    const cacheDir = join(dir, 'var/cache/check');
    for (const r of readdirSync(cacheDir)) writeFileSync(join(cacheDir, r), '{"key":');
    expect(await check(dir)).toEqual(first);
    rmSync(join(dir, 'var'), { recursive: true });
    writeFileSync(join(dir, 'var'), 'not a folder');
    expect(await check(dir)).toEqual(first);
    expect(existsSync(cacheDir)).toBe(false);
  });
});
