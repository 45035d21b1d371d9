/**
 * `advisory publish --now`: one manual occurrence through the same ledger.
 * With no dispatcher running, this process takes the lock and sends in the
 * foreground; with one running, it only writes the deliveries and waits for
 * the daemon (which looks at the ledger every second) to finish them.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Campaign } from '../content/model.js';
import type { ChannelName } from '../channels/channel.js';
import { createChannelRegistry } from '../channels/registry.js';
import { createRenderer } from '../render/create.js';
import { openLedger } from './ledger.js';
import { MANUAL_SCHEDULE, manualOccurrence } from './manual.js';
import { materialize } from './materialize.js';
import { InFlight, reconcileSending, sendDue } from './sender.js';
import { DISPATCHER_LOCK } from './daemon.js';
import { FINAL_STATES, type Delivery } from './store.js';
import type { Failpoints } from './failpoint.js';
import { AdvisoryError } from '../errors.js';
import { approvalHash } from './approval.js';

export interface PublishNowOptions {
  root: string;
  campaign: Campaign;
  channels: ChannelName[];
  env: NodeJS.ProcessEnv;
  log: Logger;
  now: () => Date;
  failpoints: Failpoints;
  random?: () => number;
  /** Real waiting between polls/retries (injectable so tests need not sleep). */
  sleep?: (ms: number) => Promise<void>;
  progress?: (line: string) => void;
  /** Publish again even on channels that already published this exact content by hand. */
  again?: boolean;
}

export interface PublishOutcome {
  mode: 'foreground' | 'handed-to-daemon';
  deliveries: Delivery[];
  /** Channels skipped because this content was already published there by hand (without --again). */
  skipped: Array<{ channel: ChannelName; key: string; state: string; at: string }>;
}

/** Manual deliveries of the same content that went out, or are on their way, per channel. */
function alreadyPublished(existing: Delivery[], channels: ChannelName[], hash: string): PublishOutcome['skipped'] {
  const live = ['pending', 'sending', 'sent', 'held'];
  const out: PublishOutcome['skipped'] = [];
  for (const channel of channels) {
    const prior = existing.find((d) => d.schedule === MANUAL_SCHEDULE && d.channel === channel && d.contentHash === hash && live.includes(d.state));
    if (prior) out.push({ channel, key: prior.key.split('/').slice(0, 4).join('/'), state: prior.state, at: prior.updatedAt });
  }
  return out;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function publishNow(o: PublishNowOptions): Promise<PublishOutcome> {
  const varDir = join(o.root, 'var');
  const store = openLedger(varDir);
  const sleep = o.sleep ?? realSleep;
  const holder = store.acquireLock(DISPATCHER_LOCK, 'advisory publish');
  try {
    const channels = createChannelRegistry(o.root, o.env);
    const renderer = createRenderer(o.root);
    // Nothing twice: a second `publish --now` of unchanged content (a double click,
    // a re-run script) must not post it again. Compare by approval hash per channel.
    const hash = approvalHash(o.campaign.contentHash, renderer.templatesHash);
    const skipped = o.again ? [] : alreadyPublished(store.list({ campaign: o.campaign.id }), o.channels, hash);
    const channelsToSend = o.channels.filter((c) => !skipped.some((s) => s.channel === c));
    for (const s of skipped) o.progress?.(`${s.channel}: this content was already published by hand (${s.key}, ${s.state} ${s.at}); skipped. Use --again to publish it again.`);
    if (channelsToSend.length === 0) return { mode: 'foreground', deliveries: [], skipped };
    const occ = manualOccurrence(o.campaign, channelsToSend, o.now());
    const deps = { store, channels, renderer, log: o.log, now: o.now, random: o.random ?? Math.random, root: o.root, varDir, failpoints: o.failpoints };
    const made = materialize(occ, o.campaign, deps, o.now());
    if (made.errors.length > 0) {
      throw new AdvisoryError('ERENDER', `rendering failed, nothing was sent for it: ${made.errors.map((e) => `${e.channel}: ${e.message}`).join('; ')}. Run \`advisory preview\` to see the problem.`);
    }
    const ofOcc = (d: Delivery) => d.schedule === occ.schedule && d.dueUtc === occ.dueUtc && occ.channels.includes(d.channel);
    const keys = new Set(store.list({ campaign: o.campaign.id }).filter(ofOcc).map((d) => d.key));
    const mine = () => store.list({ keys: [...keys] });
    const done = () => mine().every((d) => FINAL_STATES.includes(d.state));
    o.progress?.(`${keys.size} deliver${keys.size === 1 ? 'y' : 'ies'} for ${occ.key}${holder ? ` handed to the running dispatcher (pid ${holder.pid})` : ''}`);
    if (holder) {
      while (!done()) await sleep(250);
      return { mode: 'handed-to-daemon', deliveries: mine(), skipped };
    }
    const inFlight = new InFlight();
    await reconcileSending(deps, inFlight);
    while (!done()) {
      store.heartbeat(DISPATCHER_LOCK);
      await sendDue(deps, inFlight, keys);
      if (done()) break;
      const next = mine().filter((d) => d.state === 'pending' && d.nextAttemptAt).map((d) => Date.parse(d.nextAttemptAt!));
      const wait = next.length ? Math.max(0, Math.min(...next) - o.now().getTime()) : 250;
      if (wait > 0) o.progress?.(`waiting ${Math.ceil(wait / 1000)} s for the next attempt`);
      // Short naps: the lock's heartbeat must stay fresh while we wait for a retry.
      await sleep(Math.min(wait, 5_000));
    }
    return { mode: 'foreground', deliveries: mine(), skipped };
  } finally {
    if (!holder) store.releaseLock(DISPATCHER_LOCK);
    store.close();
  }
}
