/**
 * The command contract. Commands are thin: they parse options, call the
 * library, print, and return an exit code (never call process.exit).
 */
import type { ParseArgsConfig } from 'node:util';

export const EXIT = {
  OK: 0,
  /** Content problems, a failed delivery, a check that did not pass. */
  FAILED: 1,
  /** Bad usage: unknown command or option, missing argument. */
  USAGE: 2,
  /** Configuration or state prevents running (locked database, bad channels/*.yaml). */
  CONFIG: 3,
  /** Nothing failed, but something waits for a person (held for approval). */
  HELD: 4,
  /** A bug: an unexpected exception. */
  INTERNAL: 70,
} as const;

export interface IO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Injected clock (tests pin it). */
  now(): Date;
  /**
   * A status line that replaces itself (a progress bar), on a terminal only;
   * absent when standard error is not one (a pipe, a log file, a test).
   * `null` ends it (the line is cleared).
   */
  status?(line: string | null): void;
  /** All of standard input, when it is not a terminal (a pipe, a file); absent otherwise. */
  input?(): Promise<string>;
  /** Asks on the terminal without echoing what is typed (a password); absent when there is no terminal. */
  askHidden?(question: string): Promise<string>;
}

export interface CommandContext {
  /** Absolute project root (`--root`, default the current directory). */
  root: string;
  /** The folder the command was run in: file names typed on the command line are relative to it, not to --root. */
  cwd?: string;
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  io: IO;
}

/** A command's code, loaded when it runs; its name, summary and whether it needs a project are in commands/index.ts. */
export interface Command {
  name: string;
  /** Usage line(s) and option help for `advisory <name> --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CommandContext): Promise<number>;
}
