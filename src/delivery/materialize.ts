/**
 * Occurrence → deliveries. For each channel of a due occurrence the payload is
 * rendered NOW and frozen in the ledger with its hash (for e-mail: once per
 * active subscriber, personalised). Live channels without an approval of the
 * current content are created `held`; firings whose window has passed are
 * recorded `missed` and never sent.
 */
import type { Logger } from 'pino';
import type { Campaign } from '../content/model.js';
import type { Occurrence } from '../schedule/types.js';
import { deliveryKey } from '../schedule/types.js';
import type { Renderer } from '../render/renderer.js';
import { unsubscribeUrl } from '../render/urls.js';
import type { Channel, ChannelName, Payload, RenderContext } from '../channels/channel.js';
import type { ChannelConfig, SiteConfig } from '../config/channels.js';
import { personalize, type EmailBody } from '../channels/email/personalize.js';
import type { Delivery, DeliveryStore, NewDelivery, Subscriber } from './store.js';
import { approvalHash, awaitingApproval } from './approval.js';
import type { Failpoints } from './failpoint.js';

/** What materialize needs of a channel: the Channel plus its configuration. */
export interface DispatchChannel extends Channel {
  readonly config: ChannelConfig;
  readonly site: SiteConfig;
  readonly concurrency: number;
}

export interface MaterializeDeps {
  store: DeliveryStore;
  channels: ReadonlyMap<ChannelName, DispatchChannel>;
  renderer: Renderer;
  log: Logger;
  failpoints: Failpoints;
}

export interface MaterializeResult {
  created: number;
  /** Channels whose rendering failed (left unmaterialised: tried again on the next wake). */
  errors: Array<{ channel: ChannelName; message: string }>;
}

export function materialize(occ: Occurrence, campaign: Campaign, deps: MaterializeDeps, now: Date): MaterializeResult {
  const result: MaterializeResult = { created: 0, errors: [] };
  const hash = approvalHash(campaign.contentHash, deps.renderer.templatesHash);
  for (const name of occ.channels) {
    const base = occ.keys[name] ?? deliveryKey(occ.campaign, occ.schedule, name, occ.dueUtc);
    if (deps.store.isMaterialized(base)) continue;
    const fields = { campaign: occ.campaign, schedule: occ.schedule, channel: name, dueUtc: occ.dueUtc, windowEndsUtc: occ.windowEndsUtc, contentHash: hash };
    const log = deps.log.child({ campaign: occ.campaign, channel: name, occurrence: occ.key });
    if (now.getTime() > Date.parse(occ.windowEndsUtc)) {
      const reason = `missed: due ${occ.dueUtc}, its window ended ${occ.windowEndsUtc} while nothing was dispatching`;
      result.created += deps.store.createDeliveries(base, [{ ...fields, key: base, recipient: null, payload: null, state: 'missed', reason }], now);
      log.warn({ key: base }, reason);
      continue;
    }
    const channel = deps.channels.get(name)!;
    let deliveries: NewDelivery[];
    try {
      const payloads = channel.render(renderContext(occ, campaign, channel, deps.renderer));
      const held = channel.mode === 'live' && !deps.store.approval(campaign.id, hash);
      const state = held ? ('held' as const) : ('pending' as const);
      const reason = held ? awaitingApproval(hash) : undefined;
      const keyOf = (i: number) => partKey(base, i, payloads.length);
      deliveries = channel.perRecipient
        ? deps.store.subscribers('active').flatMap((s) =>
            payloads.map((p, i) => ({ ...fields, key: `${keyOf(i)}/${s.id}`, recipient: s.id, payload: forRecipient(p, s, channel.site), state, reason })),
          )
        : payloads.map((p, i) => ({ ...fields, key: keyOf(i), recipient: null, payload: p, state, reason }));
    } catch (err) {
      const message = (err as Error).message;
      log.error({ err }, `rendering ${name} for ${occ.key} failed; will try again: ${message}`);
      result.errors.push({ channel: name, message });
      continue;
    }
    const n = deps.store.createDeliveries(base, deliveries, now);
    result.created += n;
    deps.failpoints.hit('after-create');
    log.info({ key: base, created: n, held: deliveries[0]?.state === 'held', advisory: occ.advisories.join(',') }, `deliveries created for ${base}`);
  }
  return result;
}

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

/** The e-mail payload for one subscriber (greeting, unsubscribe link). */
export function forRecipient(p: Payload, s: Subscriber, site: SiteConfig): Payload {
  const b = p.body as Partial<EmailBody>;
  if (typeof b.html !== 'string' || typeof b.text !== 'string') return p;
  const body = personalize(b as EmailBody, { name: s.name ?? undefined }, unsubscribeUrl(site, s.unsubscribeToken));
  return { ...p, body: { ...body }, preview: undefined };
}
