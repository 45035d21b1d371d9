/**
 * `advisory run --clock-start TIME` is a drill, and a drill never touches the
 * real ledger: on the real one it would fire nothing (the "planned up to" mark
 * only moves forward) or use up the real firings of that period. It runs on
 * `var/drill/`, which starts as a copy of the project's ledger (subscribers,
 * approvals, history: `var/advisory.db`, or the PostgreSQL one it is configured
 * with) in an SQLite ledger of its own, with its own outbox and site.
 *
 * Restarted with the same TIME (a crash drill), it continues: the clock reads
 * TIME plus the real time since the drill began, as if the clock had kept
 * going. A different TIME starts a new drill; the previous one is kept in
 * `var/drill.previous/`.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllChannelConfigs } from '../config/channels.js';
import { ConfigError } from '../errors.js';
import { copyStore, openStore, storeConfig, storeExists } from './store/index.js';
import { runMessages } from '../i18n/messages-run.js';

const CLOCK_START = 'drill_clock_start';
const BEGAN = 'drill_began_at';

export interface Drill {
  varDir: string;
  /** Where the drill's clock starts now. */
  start: Date;
  /** One line for the start-up summary. */
  note: string;
}

export async function prepareDrill(root: string, clockStart: Date, env: NodeJS.ProcessEnv, wall: () => Date = () => new Date()): Promise<Drill> {
  const live = Object.values(loadAllChannelConfigs(root, env)).filter((c) => c.mode === 'live' && c.channel !== 'website');
  if (live.length > 0) {
    throw new ConfigError(runMessages().liveInDrill(live.map((c) => c.channel).join(', '), live.flatMap((c) => Object.keys(c.secrets)).join(', ')));
  }
  const varDir = join(root, 'var');
  const drillDir = join(varDir, 'drill');
  // The drill's own ledger is SQLite in var/drill, whichever ledger the project uses: a rehearsal never writes to the real one.
  const real = await storeConfig({ root, env });
  const drill = { kind: 'sqlite' as const, varDir: drillDir };
  const wanted = clockStart.toISOString();
  if (await storeExists(drill)) {
    const store = await openStore(drill);
    const began = await store.getMeta(BEGAN);
    const same = (await store.getMeta(CLOCK_START)) === wanted && began !== undefined;
    await store.close();
    if (same) {
      const start = new Date(clockStart.getTime() + Math.max(0, wall().getTime() - Date.parse(began!)));
      return { varDir: drillDir, start, note: runMessages().drillContinues(wanted, start.toISOString()) };
    }
    rmSync(join(varDir, 'drill.previous'), { recursive: true, force: true });
    renameSync(drillDir, join(varDir, 'drill.previous'));
  }
  mkdirSync(drillDir, { recursive: true });
  const copied = await storeExists(real);
  if (copied) await copyStore(real, drill);
  const store = await openStore(drill);
  await store.setMeta(CLOCK_START, wanted);
  await store.setMeta(BEGAN, wall().toISOString());
  // The real ledger's "planned up to" mark is about real time: the drill plans as a first start at its own clock does.
  await store.deleteMeta('planned_up_to');
  await store.close();
  return {
    varDir: drillDir, start: clockStart,
    note: runMessages().drillStarts(wanted, copied),
  };
}
