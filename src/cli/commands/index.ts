/**
 * The explicit, fixed registry of commands, in the order `--help` lists them.
 * Each command's code is loaded only when it runs (`load`), so `advisory
 * --version`, `--help` and every command start without loading the others
 * (the bundle splits each command into its own chunk: tools/bundle.mjs).
 */
import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  /** One line for `advisory --help`. */
  summary: string;
  /**
   * The command reads or writes a project's content or state, so `--root` must be
   * a project (a folder with advisories/ or var/advisory.db): `main` refuses any
   * other folder (exit 2) before loading it, so no var/ is ever made outside a project.
   */
  needsProject?: boolean;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = Object.freeze([
  { name: 'check', summary: 'Validate campaigns and advisories: every problem with file, line and column', needsProject: true, load: async () => (await import('./check.js')).checkCommand },
  { name: 'new', summary: 'Scaffold a campaign: advisories/<id>/campaign.yaml and an example advisory', load: async () => (await import('./new.js')).newCommand },
  { name: 'plan', summary: 'Show what fires when (every occurrence in a window); nothing is sent', needsProject: true, load: async () => (await import('./plan.js')).planCommand },
  { name: 'calendar', summary: "Show a year's holidays: days off, swapped working days, and where each comes from (calendar/YEAR.yaml, chinese-days, estimate)", needsProject: true, load: async () => (await import('./calendar.js')).calendarCommand },
  { name: 'preview', summary: "Render every channel's post for campaigns into var/preview/ (what would be sent, byte for byte)", needsProject: true, load: async () => (await import('./preview.js')).previewCommand },
  { name: 'build', summary: 'Build the public website (or a preview of every campaign) and deploy it atomically', needsProject: true, load: async () => (await import('./build.js')).buildCommand },
  { name: 'approve', summary: 'Record who approved the current content of a campaign; release what waited for it', needsProject: true, load: async () => (await import('./approve.js')).approveCommand },
  { name: 'publish', summary: 'Publish a campaign now on its channels (same ledger: once, approved, recorded)', needsProject: true, load: async () => (await import('./publish.js')).publishCommand },
  { name: 'run', summary: 'The daemon: clock + dispatcher + the public site (4321) and the staff pages (4322: sign-in, preview, status, approve)', needsProject: true, load: async () => (await import('./run.js')).runCommand },
  { name: 'status', summary: 'Deliveries by state, why held, failures, what is missed, what is next, channel modes', needsProject: true, load: async () => (await import('./status.js')).statusCommand },
  { name: 'retry', summary: 'Requeue failed deliveries (same frozen payload)', needsProject: true, load: async () => (await import('./retry.js')).retryCommand },
  { name: 'subscribers', summary: 'Add, import, export, list and remove the e-mail subscribers', needsProject: true, load: async () => (await import('./subscribers.js')).subscribersCommand },
  { name: 'staff', summary: 'Add, list, remove staff accounts and change their passwords (sign-in to the staff pages)', needsProject: true, load: async () => (await import('./staff.js')).staffCommand },
  { name: 'rollback', summary: 'Restore the previous website build', needsProject: true, load: async () => (await import('./rollback.js')).rollbackCommand },
  { name: 'channels', summary: "Check the live channels' credentials without publishing (channels verify)", needsProject: true, load: async () => (await import('./channels.js')).channelsCommand },
  { name: 'schema', summary: 'Print the JSON Schemas for campaign.yaml and front matter (or write them to schema/)', load: async () => (await import('./schema.js')).schemaCommand },
]);
