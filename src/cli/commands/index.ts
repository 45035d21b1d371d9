/**
 * The explicit, fixed registry of commands, in the order `--help` lists them.
 * Each command's code is loaded only when it runs (`load`), so `advisory
 * --version`, `--help` and every command start without loading the others
 * (the bundle splits each command into its own chunk: tools/bundle.mjs).
 */
import type { Command } from '../command.js';
import { commandSummaries } from '../../i18n/messages-cli.js';

export interface CommandEntry {
  name: string;
  /** One line for `advisory --help`, in the language of the moment (i18n/messages-cli.ts). */
  readonly summary: string;
  /**
   * The command reads or writes a project's content or state, so `--root` must be
   * a project (a folder with advisories/ or var/advisory.db): `main` refuses any
   * other folder (exit 2) before loading it, so no var/ is ever made outside a project.
   */
  needsProject?: boolean;
  load(): Promise<Command>;
}

/** A command by its name: its summary is read from the catalogue when shown (the language is chosen after this module loads). */
function entry(name: keyof ReturnType<typeof commandSummaries>, needsProject: boolean, load: () => Promise<Command>): CommandEntry {
  return { name, get summary() { return commandSummaries()[name]; }, ...(needsProject ? { needsProject } : {}), load };
}

export const commands: readonly CommandEntry[] = Object.freeze([
  entry('check', true, async () => (await import('./check.js')).checkCommand),
  entry('new', false, async () => (await import('./new.js')).newCommand),
  entry('plan', true, async () => (await import('./plan.js')).planCommand),
  entry('calendar', true, async () => (await import('./calendar.js')).calendarCommand),
  entry('preview', true, async () => (await import('./preview.js')).previewCommand),
  entry('build', true, async () => (await import('./build.js')).buildCommand),
  entry('approve', true, async () => (await import('./approve.js')).approveCommand),
  entry('publish', true, async () => (await import('./publish.js')).publishCommand),
  entry('run', true, async () => (await import('./run.js')).runCommand),
  entry('status', true, async () => (await import('./status.js')).statusCommand),
  entry('retry', true, async () => (await import('./retry.js')).retryCommand),
  entry('subscribers', true, async () => (await import('./subscribers.js')).subscribersCommand),
  entry('staff', true, async () => (await import('./staff.js')).staffCommand),
  entry('rollback', true, async () => (await import('./rollback.js')).rollbackCommand),
  entry('channels', true, async () => (await import('./channels.js')).channelsCommand),
  entry('migrate', true, async () => (await import('./migrate.js')).migrateCommand),
  entry('worker', true, async () => (await import('./worker.js')).workerCommand),
  entry('schema', false, async () => (await import('./schema.js')).schemaCommand),
]);
