/**
 * Shared by the live Weibo tests (live*.test.ts): a copy of the shipped
 * project set up to post to the local Weibo fake, the CLI run in this process
 * with everything it printed (its output and the JSON log lines the logger
 * writes straight to fd 1/2) kept for the secrets check, and `publishUntilWait`:
 * the same `publishNow` as `advisory publish --now`, but stopped the first time
 * it would sleep for a retry (the CLI waits out every retry, up to an hour for a
 * Weibo rate limit), so a test can see a delivery left `pending`.
 */
import fs, { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, vi } from 'vitest';
import { runCli, type CliResult } from '../../cli/in-process.js';
import { tmpProject, withStore } from '../../delivery/helpers.js';
import { liveEnv, makeLive } from '../live.js';
import { startWeiboFake, type WeiboFake, type WeiboFakeOptions } from '../../fakes/index.js';
import type { Delivery } from '../../../src/delivery/store/index.js';
import { createRuntime } from '../../../src/app/runtime.js';
import { publishNow, type PublishOutcome } from '../../../src/app/publish-now.js';
import { createLogger } from '../../../src/delivery/logger.js';
import { loadOneCampaign } from '../../../src/cli/commands/campaign-arg.js';

export const CAMPAIGN = '2014-national-day';
export const SHARE = 'statuses/share.json';
export const COVER = `advisories/${CAMPAIGN}/images/cover.png`;
export const HOUR = 3_600_000;

/**
 * Everything the runs of one test file printed or logged (the secrets check reads it). One per
 * file: test files share their worker's modules (vitest.config.ts: isolate false).
 */
export type Transcript = string[];

/** A fresh Weibo fake for each test of the file (closed after it), and the project folders to remove. */
export function useWeibo(options: WeiboFakeOptions = {}): { readonly fake: WeiboFake; readonly dirs: string[] } {
  let fake: WeiboFake | undefined;
  const dirs: string[] = [];
  beforeEach(async () => {
    fake = await startWeiboFake(options);
  });
  afterEach(async () => {
    await fake?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    get fake() {
      return fake!;
    },
    dirs,
  };
}

export interface Cli extends CliResult {
  /** Log lines the run's logger wrote (pino writes to fd 1 with fs.writeSync, not through the CLI's io). */
  log: string;
}

/**
 * A fresh copy of the shipped project (the 2014 campaign only), live against the fake. `weibo`:
 * settings for channels/weibo.yaml (a key it has already, like `rip`, is replaced in place: YAML
 * refuses a repeated key; the others are appended through makeLive).
 */
export function liveProject(dirs: string[], weibo: Record<string, string | number> = {}): string {
  const root = tmpProject();
  dirs.push(root);
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  const file = join(root, 'channels/weibo.yaml');
  let yaml = readFileSync(file, 'utf8');
  const extra: string[] = [];
  for (const [key, value] of Object.entries(weibo)) {
    const line = new RegExp(`^${key}:.*$`, 'm');
    if (line.test(yaml)) yaml = yaml.replace(line, `${key}: ${value}`);
    else extra.push(`${key}: ${value}`);
  }
  writeFileSync(file, yaml);
  makeLive(root, extra.length ? { weibo: extra.join('\n') } : {});
  return root;
}

export function envFor(fake: WeiboFake, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(WECHAT|WEIBO|SMTP)_|^ADVISORY_FAILPOINT$/.test(k)) base[k] = v;
  return { ...base, NO_COLOR: '1', LOG_LEVEL: 'warn', ...liveEnv({ weibo: fake }), ...extra };
}

/** Runs fn while catching what is written synchronously to fd 1 and 2 (the logger's destination). */
async function capturingFd<T>(fn: () => Promise<T>): Promise<{ value: T; written: string }> {
  let written = '';
  const real = fs.writeSync;
  const spy = vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) {
      const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
      written += text;
      return Buffer.byteLength(text);
    }
    return (real as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as typeof fs.writeSync);
  try {
    return { value: await fn(), written };
  } finally {
    spy.mockRestore();
  }
}

export async function cli(t: Transcript, args: string[], env: Record<string, string>, now?: () => Date): Promise<Cli> {
  const { value, written } = await capturingFd(() => runCli(args, { env, ...(now ? { now } : {}) }));
  t.push(value.out, value.err, written);
  return { ...value, log: written };
}

export async function approve(t: Transcript, root: string, env: Record<string, string>): Promise<void> {
  const r = await cli(t, ['approve', CAMPAIGN, '--by', '张三', '--root', root], env);
  if (r.code !== 0) throw new Error(`approve failed (${r.code}): ${r.out}${r.err}`);
}

/** `advisory publish 2014-national-day --channel weibo --now`, approving first unless told not to. */
export async function publish(t: Transcript, root: string, env: Record<string, string>, o: { approve?: boolean; now?: () => Date; args?: string[] } = {}): Promise<Cli> {
  if (o.approve !== false) await approve(t, root, env);
  return cli(t, ['publish', CAMPAIGN, '--channel', 'weibo', '--now', ...(o.args ?? []), '--root', root], env, o.now);
}

class Stop extends Error {}

export interface UntilWait {
  /** The outcome when every delivery ended without a retry wait; else null. */
  outcome: PublishOutcome | null;
  /** The wait (ms) publishNow asked for when it was stopped. */
  waitMs: number | null;
  /** The run's progress lines and log lines (JSON). */
  progress: string[];
  log: string;
}

/** `publish --now` as the CLI runs it, stopped at its first retry wait. Approve first (`approve`). */
export async function publishUntilWait(t: Transcript, root: string, env: Record<string, string>, o: { now?: () => Date; random?: number } = {}): Promise<UntilWait> {
  const now = o.now ?? (() => new Date());
  let log = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      log += String(chunk);
      done();
    },
  });
  // A fixed random: the backoff's jitter is then known (backoff(1, 0.5) = 2.5 s), and never ~0, which would retry at once.
  const rt = createRuntime({ root, env, clock: { now }, log: createLogger(stream, 'info'), random: () => o.random ?? 0.5 });
  const progress: string[] = [];
  let waitMs: number | null = null;
  let outcome: PublishOutcome | null = null;
  try {
    const campaign = loadOneCampaign(root, CAMPAIGN, '', now());
    outcome = await publishNow({
      runtime: rt, campaign, channels: ['weibo'], progress: (l) => progress.push(l), maxWaitMs: Infinity,
      sleep: async (ms) => {
        waitMs = ms;
        throw new Stop();
      },
    });
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  } finally {
    await rt.close();
    t.push(progress.join('\n'), log);
  }
  return { outcome, waitMs, progress, log };
}

export async function weiboDelivery(root: string): Promise<Delivery> {
  return withStore(join(root, 'var'), async (s) => {
    const all = (await s.list({ campaign: CAMPAIGN })).filter((d) => d.channel === 'weibo');
    if (all.length !== 1) throw new Error(`expected one weibo delivery, found ${all.length}`);
    return all[0];
  });
}

/** Every text the ledger keeps about deliveries: reasons, errors, receipts, checkpoints, the audit log. */
export async function ledgerTexts(root: string): Promise<string[]> {
  return withStore(join(root, 'var'), async (s) => {
    const out: string[] = [];
    for (const d of await s.list({})) out.push(JSON.stringify(d));
    for (const e of await s.auditLog({})) out.push(JSON.stringify(e));
    return out;
  });
}

/** Every file under var/ except the SQLite ledger itself (var/advisory.db and its -wal/-shm), as text. */
export function varFiles(root: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/^advisory\.db(-wal|-shm|-journal)?$/.test(name)) out.push({ path: relative(root, p), text: readFileSync(p).toString('latin1') });
    }
  };
  walk(join(root, 'var'));
  return out;
}

/** A fake with its own options for one test, closed after it. */
export async function withWeiboFake<T>(options: WeiboFakeOptions, fn: (fake: WeiboFake) => Promise<T>): Promise<T> {
  const fake = await startWeiboFake(options);
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}

/** The log lines (pino JSON) of a run. */
export function logLines(log: string): Array<Record<string, unknown> & { level: number; msg: string }> {
  return log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown> & { level: number; msg: string });
}

/** The share.json requests the fake received. */
export const shares = (fake: WeiboFake) => fake.calls(SHARE);

/** The `status` field of a recorded share request (form or multipart). */
export function statusOf(req: { body: unknown }): string {
  const b = req.body as { fields?: Record<string, string>; status?: string };
  return (b.fields ? b.fields.status : b.status) ?? '';
}
