/**
 * The harness of the live WeChat tests (live-errors, live-flow): the local fake
 * of the API, projects set up to publish live to it, the CLI run in this
 * process with the fake's credentials (stopped the moment it begins to wait
 * for a later attempt, as a person's Ctrl-C), and readers of the ledger.
 */
import fs, { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { seeded, tmpProject, withStore } from '../../delivery/helpers.js';
import { leaks, liveEnv, makeLive, useFakes } from '../live.js';
import type { Attempt, Delivery } from '../../../src/delivery/store/index.js';

export const CAMPAIGN = '2014-national-day';
export const SECRET = 'wx-secret-7c41d09be25f';
/** The fakes of the file that called useWechatHarness. */
export let fakes: ReturnType<typeof useFakes>;

export interface Run {
  code: number;
  out: string;
  err: string;
  /** Set when the run was stopped as it began to wait this many seconds for a delivery's next attempt. */
  waitingS?: number;
}

export class Interrupted extends Error {}

const dirs: string[] = [];
/** Everything the commands of the current test printed, and the pino log lines they wrote. */
export const transcript: string[] = [];
const realWriteSync = fs.writeSync;

/**
 * Starts the fakes for a test file and registers its hooks: the CLI's JSON log lines kept in the
 * transcript (not echoed), and after each test, no secret (the app secret, any
 * token the fake issued) in any output, log, ledger message or file under
 * var/; then the test's projects removed.
 */
export function useWechatHarness(): void {
  fakes = useFakes({ wechat: { secret: SECRET } });
  beforeEach(() => {
    // The CLI's logger writes JSON lines synchronously to fd 1: kept with the transcript (checked for secrets), not echoed.
    fs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 && typeof data === 'string' && data.startsWith('{"level"')) {
        transcript.push(data);
        return Buffer.byteLength(data);
      }
      return (realWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync;
  });

  afterEach(async () => {
    fs.writeSync = realWriteSync;
    try {
      // No secret anywhere a person or a log collector sees it: output, logs, ledger messages, files under var/.
      const wx = fakes.wechat;
      const tokens = wx.calls('stable_token').map((r) => (r.answer?.body as { access_token?: string } | undefined)?.access_token).filter((t): t is string => !!t);
      const texts = [...transcript];
      for (const root of dirs) texts.push(...(await ledgerTexts(root)), ...varFiles(join(root, 'var')));
      expect(leaks(texts, [SECRET, ...tokens])).toEqual([]);
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      dirs.length = 0;
      transcript.length = 0;
    }
  });
}

export async function ledgerTexts(root: string): Promise<string[]> {
  if (!fs.existsSync(join(root, 'var/advisory.db'))) return [];
  return withStore(join(root, 'var'), async (s) => {
    const out: string[] = [];
    for (const d of await s.list({})) {
      out.push(d.lastError ?? '', d.reason ?? '', JSON.stringify(d.receipt ?? {}), JSON.stringify(d.checkpoint ?? {}));
      for (const a of await s.attempts(d.key)) out.push(a.errorMessage ?? '');
    }
    out.push(...(await s.auditLog()).map((e) => JSON.stringify(e)));
    return out;
  });
}

/** The text of every file under var/ but the SQLite ledger (where the token is cached on purpose). */
export function varFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...varFiles(path));
    else if (!/^advisory\.db(-wal|-shm|-journal)?$/.test(name)) out.push(readFileSync(path, 'latin1'));
  }
  return out;
}

/** A copy of the shipped project with the 2014 campaign only, set up to publish live to the fake. */
export function project(o: Parameters<typeof makeLive>[1] = {}): string {
  const root = tmpProject();
  dirs.push(root);
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  makeLive(root, { poll: '0.1s 0.2s', publishWait: '5s', ...o });
  return root;
}

/** The CLI in this process, with the fake's credentials; stopped if it begins to wait for a later attempt. */
export async function cli(args: string[], o: { now?: () => Date; env?: Record<string, string> } = {}): Promise<Run> {
  let out = '';
  let err = '';
  let waitingS: number | undefined;
  const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  // The retry policy's jitter comes from Math.random (the CLI offers no seed): pinned, so the waits repeat run to run.
  const random = Math.random;
  Math.random = seeded(20141001);
  const code = await main(args, {
    out: (t) => void (out += line(t)),
    err: (t) => {
      err += line(t);
      const m = /^waiting (\d+) s for the next attempt/.exec(t);
      if (m && waitingS === undefined) {
        waitingS = Number(m[1]);
        throw new Interrupted(`stopped by the test: ${t}`);
      }
    },
    env: { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'debug', ...liveEnv({ wechat: fakes.wechat }), ...o.env },
    now: o.now ?? (() => new Date()),
  }).finally(() => {
    Math.random = random;
  });
  transcript.push(out, err);
  return { code, out, err, waitingS };
}

export async function approve(root: string): Promise<void> {
  const r = await cli(['approve', CAMPAIGN, '--by', '张三', '--root', root]);
  expect(r.code, r.err).toBe(0);
}

export const publish = (root: string, o: Parameters<typeof cli>[1] = {}) => cli(['publish', CAMPAIGN, '--channel', 'wechat', '--now', '--root', root], o);

/** A clock that reads `at` and does not move (so the wait a run announces is exactly the one it recorded). */
export const frozen = (at: Date) => () => new Date(at.getTime());
/** Real time, shifted by `ms`. */
export const shifted = (ms: number) => () => new Date(Date.now() + ms);

export async function wechatDelivery(root: string): Promise<Delivery> {
  return withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN })).find((d) => d.channel === 'wechat')!);
}

export async function attemptsOf(root: string, key: string): Promise<Attempt[]> {
  return withStore(join(root, 'var'), (s) => s.attempts(key));
}
