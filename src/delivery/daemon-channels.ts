/**
 * The channel modes the running `advisory run` started with, kept in the store's meta: `advisory status`
 * runs in another terminal, whose environment may lack the credentials the daemon has (it said "weibo
 * sandbox (not set: WEIBO_ACCESS_TOKEN)" while the daemon published live). Recorded with the lock's
 * generation, so a record left by an earlier daemon is never taken for the one running now.
 */
import type { ChannelConfig } from '../config/channels.js';
import type { LockHolder, MetaStore } from './store/index.js';

export const DAEMON_CHANNELS = 'daemon_channels';

export interface DaemonChannel {
  name: string;
  mode: 'live' | 'sandbox';
  approval: boolean;
  missingEnv: string[];
}

interface Record_ {
  generation: number;
  pid: number;
  channels: DaemonChannel[];
}

/** At the daemon's start, once it holds the dispatcher lock (generation `generation`). */
export async function recordDaemonChannels(store: MetaStore, generation: number, pid: number, configs: ChannelConfig[]): Promise<void> {
  const record: Record_ = { generation, pid, channels: configs.map((c) => ({ name: c.channel, mode: c.mode, approval: c.approval, missingEnv: c.missingEnv })) };
  await store.setMeta(DAEMON_CHANNELS, JSON.stringify(record));
}

/** The channels of the daemon holding the lock now (`holder`), or null when it recorded none (or it is another one). */
export async function daemonChannels(store: MetaStore, holder: LockHolder | null): Promise<DaemonChannel[] | null> {
  if (!holder) return null;
  const saved = await store.getMeta(DAEMON_CHANNELS);
  if (!saved) return null;
  try {
    const r = JSON.parse(saved) as Record_;
    return r.generation === holder.generation && r.pid === holder.pid && Array.isArray(r.channels) ? r.channels : null;
  } catch {
    return null;
  }
}
