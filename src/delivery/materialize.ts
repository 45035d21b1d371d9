/**
 * Occurrence → deliveries. Every channel of a due occurrence is rendered NOW,
 * then the occurrence and all its channels' deliveries are recorded in ONE
 * transaction (for e-mail, one row per active subscriber, fanned out by the
 * store). Live channels without an approval of the current content are
 * created `held`; firings whose window has passed are recorded `missed`. A
 * channel that does not render is recorded `waiting` with the error: the next
 * wake tries it again (`completeWaiting`) and `status` shows why it waits.
 */
import type { Logger } from 'pino';
import type { Campaign } from '../content/model.js';
import type { Occurrence } from '../schedule/types.js';
import { deliveryKey } from '../schedule/types.js';
import type { Renderer } from '../render/renderer.js';
import type { Channel, ChannelName, RenderContext } from '../channels/channel.js';
import type { ChannelConfig, SiteConfig } from '../config/channels.js';
import type { ApprovalStore, ChannelPlan, Delivery, DeliveryQueue, NewDelivery, OccurrenceKind, OccurrenceRecord } from './store/index.js';
import { approvalHash, awaitingApproval } from './approval.js';
import { accountOf, withAccount } from './frozen-account.js';
import type { Failpoints } from './failpoint.js';

/** What materialize needs of a channel: the Channel plus its configuration. */
export interface DispatchChannel extends Channel {
  readonly config: ChannelConfig;
  readonly site: SiteConfig;
  readonly concurrency: number;
  /** Sends only approved content (config.approval: live channels, the website at a public base_url). */
  readonly approval: boolean;
}

export interface MaterializeDeps {
  store: DeliveryQueue & ApprovalStore;
  channels: ReadonlyMap<ChannelName, DispatchChannel>;
  renderer: Renderer;
  log: Logger;
  failpoints: Failpoints;
}

export interface MaterializeResult {
  created: number;
  /** Channels whose rendering failed (recorded waiting: tried again on the next wake). */
  errors: Array<{ channel: ChannelName; message: string }>;
}

const baseKeyOf = (occ: Occurrence, name: ChannelName) => occ.keys[name] ?? deliveryKey(occ.campaign, occ.schedule, name, occ.dueUtc);

/** The key of part `i` of the `n` payloads one channel renders for an occurrence: `base`, or `base#2` when there are several. */
const partKey = (base: string, i: number, n: number) => (n > 1 ? `${base}#${i + 1}` : base);

/** Which part (0-based) of its occurrence's payloads a delivery holds: the inverse of `partKey`. */
export function partIndex(d: Pick<Delivery, 'key' | 'dueUtc'>): number {
  const part = /#(\d+)(?:\/|$)/.exec(d.key.slice(d.key.lastIndexOf(d.dueUtc)));
  return part ? Number(part[1]) - 1 : 0;
}

export function renderContext(occ: Occurrence | undefined, campaign: Campaign, channel: DispatchChannel, renderer: Renderer): RenderContext {
  const ids = occ?.advisories;
  const advisories = ids ? ids.map((id) => campaign.advisories.find((a) => a.id === id)!).filter(Boolean) : campaign.advisories;
  return { campaign, advisories, occurrence: occ, renderer, config: channel.config, site: channel.site };
}

/** Renders one channel of an occurrence into what the store creates (or the error that keeps it waiting). */
export async function planChannel(occ: Occurrence, campaign: Campaign | undefined, name: ChannelName, deps: MaterializeDeps, now: Date): Promise<ChannelPlan> {
  const baseKey = baseKeyOf(occ, name);
  const hash = campaign ? approvalHash(campaign.contentHash, deps.renderer.templatesHash) : '';
  const fields = { campaign: occ.campaign, schedule: occ.schedule, channel: name, dueUtc: occ.dueUtc, windowEndsUtc: occ.windowEndsUtc, contentHash: hash };
  if (now.getTime() > Date.parse(occ.windowEndsUtc)) {
    const reason = `missed: due ${occ.dueUtc}, its window ended ${occ.windowEndsUtc} before it could be sent`;
    return { channel: name, baseKey, deliveries: [{ ...fields, key: baseKey, recipient: null, payload: null, state: 'missed', reason }] };
  }
  if (!campaign) {
    return { channel: name, baseKey, error: `campaign ${occ.campaign} is not on disk or does not pass \`advisory check\`; it is created once the campaign is valid again` };
  }
  const channel = deps.channels.get(name)!;
  const approved = channel.approval ? (await deps.store.approval(campaign.id, hash)) !== undefined : true;
  try {
    // Frozen with the account this process sends it through: no process of another mode or account sends it.
    const payloads = withAccount(channel.render(renderContext(occ, campaign, channel, deps.renderer)), accountOf(channel.config));
    const held = !approved;
    const state = held ? ('held' as const) : ('pending' as const);
    const reason = held ? awaitingApproval(hash) : undefined;
    const parts: NewDelivery[] = payloads.map((p, i) => ({ ...fields, key: partKey(baseKey, i, payloads.length), recipient: null, payload: p, state, reason }));
    return channel.perRecipient ? { channel: name, baseKey, fanOut: parts } : { channel: name, baseKey, deliveries: parts };
  } catch (err) {
    return { channel: name, baseKey, error: (err as Error).message };
  }
}

export function occurrenceRecord(occ: Occurrence, contentHash: string, kind: OccurrenceKind, requestedBy: string | null, createdAt: Date): OccurrenceRecord {
  return {
    key: occ.key, campaign: occ.campaign, schedule: occ.schedule, kind, dueUtc: occ.dueUtc, windowEndsUtc: occ.windowEndsUtc, contentHash,
    channels: occ.channels.map((channel) => ({ channel, baseKey: baseKeyOf(occ, channel) })),
    detail: { ...occ }, requestedBy, createdAt: createdAt.toISOString(),
  };
}

/**
 * Records a due scheduled occurrence with every channel's deliveries in one
 * transaction. Already recorded: nothing to do. (Channels an older version
 * materialised one by one are recorded as created, with no new rows.)
 */
export async function materialize(occ: Occurrence, campaign: Campaign, deps: MaterializeDeps, now: Date): Promise<MaterializeResult> {
  if (await deps.store.occurrence(occ.key)) return { created: 0, errors: [] };
  const plans: ChannelPlan[] = [];
  for (const name of occ.channels) {
    const baseKey = baseKeyOf(occ, name);
    plans.push(await deps.store.isMaterialized(baseKey) ? { channel: name, baseKey, deliveries: [] } : await planChannel(occ, campaign, name, deps, now));
  }
  const hash = approvalHash(campaign.contentHash, deps.renderer.templatesHash);
  const r = await deps.store.recordOccurrence(occurrenceRecord(occ, hash, 'scheduled', null, now), plans, now, (step) => deps.failpoints.hit(`record-${step}`));
  deps.failpoints.hit('after-create');
  const errors = plans.filter((p) => p.error).map((p) => ({ channel: p.channel, message: p.error! }));
  logRecorded(deps.log, occ, plans, r.created);
  return { created: r.created, errors };
}

export function logRecorded(log: Logger, occ: Occurrence, plans: ChannelPlan[], created: number): void {
  const held = plans.some((p) => [...(p.deliveries ?? []), ...(p.fanOut ?? [])].some((d) => d.state === 'held'));
  log.info({ campaign: occ.campaign, occurrence: occ.key, created, held, advisory: occ.advisories.join(',') }, `deliveries created for ${occ.key}`);
  for (const p of plans.filter((x) => x.error)) {
    log.error({ campaign: occ.campaign, channel: p.channel, occurrence: occ.key }, `rendering ${p.channel} for ${occ.key} failed; it waits and is tried again: ${p.error}`);
  }
  for (const p of plans) {
    const missed = (p.deliveries ?? []).find((d) => d.state === 'missed');
    if (missed) log.warn({ campaign: occ.campaign, channel: p.channel, occurrence: occ.key, key: missed.key }, missed.reason);
  }
}

/** Creates what recorded occurrences still lack (a channel that did not render before). Returns how many rows. */
export async function completeWaiting(deps: MaterializeDeps, campaigns: ReadonlyMap<string, Campaign>, now: Date): Promise<number> {
  let created = 0;
  for (const w of await deps.store.waitingChannels()) {
    const occ = w.occurrence.detail as unknown as Occurrence;
    const plan = await planChannel(occ, campaigns.get(w.occurrence.campaign), w.channel, deps, now);
    const n = await deps.store.completeChannel(w.occurrence.key, plan, now);
    created += n;
    if (plan.error) {
      if (plan.error !== w.error) deps.log.error({ campaign: occ.campaign, channel: w.channel, occurrence: occ.key }, `${w.channel} of ${occ.key} still waits: ${plan.error}`);
    } else {
      deps.log.info({ campaign: occ.campaign, channel: w.channel, occurrence: occ.key, created: n }, `${w.channel} of ${occ.key} created after waiting`);
    }
  }
  return created;
}
