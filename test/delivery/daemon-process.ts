/** Runs the real built daemon (`node dist/cli/main.js run`) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './helpers.js';

/**
 * The built CLI. ADVISORY_TEST_DIST may point at a snapshot of dist/ (inside the repository, so
 * node_modules resolves), for repeated runs while dist/ is being rebuilt.
 */
export const MAIN = join(process.env.ADVISORY_TEST_DIST ?? join(REPO, 'dist'), 'cli/main.js');

export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first).`);
}

export interface Proc {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built CLI with `args`; or, with `command`, that program with `args` (e.g. unshare wrapping the CLI). */
export function startProcess(args: string[], env: Record<string, string> = {}, command?: string): Proc {
  const child = spawn(command ?? process.execPath, command ? args : [MAIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  // 'close', not 'exit': only then has all of the child's output been read (after 'exit' some may still be in the pipe).
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, stdout: () => out, exited };
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stepMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
