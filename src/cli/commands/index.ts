import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { newCommand } from './new.js';
import { planCommand } from './plan.js';
import { buildCommand } from './build.js';
import { previewCommand } from './preview.js';
import { approveCommand } from './approve.js';
import { publishCommand } from './publish.js';
import { runCommand } from './run.js';
import { statusCommand } from './status.js';
import { retryCommand } from './retry.js';
import { subscribersCommand } from './subscribers.js';
import { staffCommand } from './staff.js';
import { rollbackCommand } from './rollback.js';
import { schemaCommand } from './schema.js';
import { channelsCommand } from './channels.js';

/** The explicit, fixed registry of commands, in the order `--help` lists them. */
export const commands: readonly Command[] = Object.freeze([
  checkCommand,
  newCommand,
  planCommand,
  previewCommand,
  buildCommand,
  approveCommand,
  publishCommand,
  runCommand,
  statusCommand,
  retryCommand,
  subscribersCommand,
  staffCommand,
  rollbackCommand,
  channelsCommand,
  schemaCommand,
]);
