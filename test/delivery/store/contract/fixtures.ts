/** Deliveries, occurrences and plans for the store contract: plain data, the same for every backend. */
import type { ChannelName } from '../../../../src/channels/channel.js';
import type { ChannelPlan, NewDelivery, OccurrenceRecord, Store } from '../../../../src/delivery/store/index.js';

export const AT = new Date('2014-09-29T01:00:00Z');
export const DUE = '2014-09-29T01:00:00Z';
export const later = (ms: number, from = AT) => new Date(from.getTime() + ms);
/** A time the store returns as text, as an instant (backends may write it differently). */
export const instant = (t: string | null | undefined) => (t == null ? null : Date.parse(t));

/** A delivery of `channel` due at `dueUtc`, pending unless told otherwise; its payload names its key. */
export function delivery(key: string, o: Partial<NewDelivery> = {}): NewDelivery {
  const channel = o.channel ?? 'wechat';
  return {
    key, campaign: 'c', schedule: 'bulletin', channel, recipient: null, dueUtc: DUE, windowEndsUtc: '2014-09-29T07:00:00Z',
    payload: { channel, kind: 'test', label: key, body: { key } }, contentHash: 'h1', state: 'pending', ...o,
  };
}

/** The base key of a channel's deliveries in occurrence `occ`: `c/bulletin/2014-…` → `c/bulletin/wechat/2014-…`. */
export const baseKey = (occ: string, channel: ChannelName) => `${occ.slice(0, occ.lastIndexOf('/'))}/${channel}${occ.slice(occ.lastIndexOf('/'))}`;

export function occurrence(key = `c/bulletin/${DUE}`, o: Partial<OccurrenceRecord> = {}): OccurrenceRecord {
  const channels = (['wechat', 'email'] as const).map((channel) => ({ channel, baseKey: baseKey(key, channel) }));
  return {
    key, campaign: 'c', schedule: 'bulletin', kind: 'scheduled', dueUtc: DUE, windowEndsUtc: '2014-09-29T07:00:00Z', contentHash: 'h1',
    channels, detail: { advisories: ['01-burglary'] }, requestedBy: null, createdAt: AT.toISOString(), ...o,
  };
}

/** A plain channel's plan: one delivery per part (`base`, or `base#1`, `base#2`, … when there are several). */
export function plainPlan(occ: string, channel: ChannelName, parts = 1): ChannelPlan {
  const base = baseKey(occ, channel);
  const keys = parts === 1 ? [base] : Array.from({ length: parts }, (_, i) => `${base}#${i + 1}`);
  return { channel, baseKey: base, deliveries: keys.map((k) => delivery(k, { channel })) };
}

/** A per-recipient channel's plan: each part fanned out to every active subscriber. */
export function fanOutPlan(occ: string, parts = 1): ChannelPlan {
  const base = baseKey(occ, 'email');
  const keys = parts === 1 ? [base] : Array.from({ length: parts }, (_, i) => `${base}#${i + 1}`);
  return {
    channel: 'email', baseKey: base,
    fanOut: keys.map((k) => delivery(k, { channel: 'email', payload: { channel: 'email', kind: 'message', label: k, body: { html: '<p>%%RECIPIENT_NAME%%</p>' } } })),
  };
}

export async function subscribe(s: Store, ...people: Array<string | { address: string; name?: string }>) {
  const out = [];
  for (const p of people) out.push(await s.addSubscriber(typeof p === 'string' ? { address: p } : p, AT));
  return out;
}

/** Creates the deliveries outside any occurrence, and returns the first one as the store holds it. */
export async function created(s: Store, ...ds: NewDelivery[]) {
  await s.createDeliveries(`m/${ds[0].key}`, ds, AT);
  return (await s.get(ds[0].key))!;
}

/** Takes `key` to `sending` and returns its attempt number. */
export async function sending(s: Store, key: string, at = AT): Promise<number> {
  const r = await s.markSending(key, at);
  if (!r) throw new Error(`${key} was not pending`);
  return r.attempt;
}
