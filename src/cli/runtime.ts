/**
 * The runtime a command works with: built once per command from its context
 * (the project root, the environment, the injected clock), closed when the
 * command ends, whatever happens.
 */
import type { Logger } from 'pino';
import { createRuntime, type Runtime, type RuntimeOptions } from '../app/runtime.js';
import { createLogger } from '../delivery/logger.js';
import { parseFailpoints } from '../delivery/failpoint.js';
import type { CommandContext } from './command.js';

export async function withRuntime<T>(
  ctx: Pick<CommandContext, 'root' | 'io'>,
  work: (rt: Runtime) => Promise<T> | T,
  options: Partial<RuntimeOptions> & { log?: Logger } = {},
): Promise<T> {
  const rt = createRuntime({
    root: ctx.root,
    env: ctx.io.env,
    clock: { now: () => ctx.io.now() },
    log: createLogger(undefined, ctx.io.env.LOG_LEVEL ?? 'warn'),
    failpoints: parseFailpoints(ctx.io.env.ADVISORY_FAILPOINT),
    ...options,
  });
  try {
    return await work(rt);
  } finally {
    await rt.close();
  }
}
