/**
 * The CLI as a user runs it, in this process: `main(argv, io)` with the real
 * environment and clock, its output collected as a child's stdout and stderr
 * would be (each line written as the entry point writes it). For tests of
 * messages and exit codes; tests of signals and crashes run real processes.
 */
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; now?: () => Date; cwd?: string } = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  const code = await main(args, {
    out: (t) => (out += line(t)),
    err: (t) => (err += line(t)),
    env: opts.env ?? { ...process.env, NO_COLOR: '1' },
    now: opts.now ?? (() => new Date()),
  }, opts.cwd);
  return { code, out, err };
}
