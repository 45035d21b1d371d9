import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import type { ChannelName, Payload, PublishContext, Receipt } from '../../src/channels/channel.js';
import type { DispatchChannel } from '../../src/delivery/materialize.js';
import { loadChannelConfig, siteConfig } from '../../src/config/channels.js';
import { openStore, type NewDelivery, type Store } from '../../src/delivery/store/index.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const silent = pino({ level: 'silent' });

/** A copy of the shipped project (content, channels, templates) in a temp folder. */
export function tmpProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-delivery-'));
  for (const d of ['advisories', 'channels', 'templates']) cpSync(join(REPO, d), join(dir, d), { recursive: true });
  return dir;
}

/** The project's store in `varDir` (its ledger), open for `f`, closed after it. */
export async function withStore<T>(varDir: string, f: (s: Store) => T | Promise<T>): Promise<T> {
  const s = await openStore({ kind: 'sqlite', varDir });
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

/** Deterministic random numbers (mulberry32), so failures and jitter repeat run to run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A real Channel implementation for tests: `behave(key, call)` decides each
 * call (throw to fail); successful publishes are recorded per key.
 */
export class TestChannel implements DispatchChannel {
  readonly perRecipient: boolean;
  readonly config;
  readonly site;
  readonly calls: Array<{ key: string; attempt: number; ok: boolean }> = [];
  readonly delivered = new Map<string, number>();
  constructor(
    readonly name: ChannelName,
    readonly mode: 'live' | 'sandbox',
    private readonly behave: (key: string, n: number) => void = () => {},
    readonly concurrency = 1,
  ) {
    this.perRecipient = name === 'email';
    this.config = loadChannelConfig(REPO, name, {});
    this.site = siteConfig(loadChannelConfig(REPO, 'website', {}));
  }
  /** A live test channel sends only approved content, as a live channel does. */
  get approval(): boolean {
    return this.mode === 'live';
  }
  render(): Payload[] {
    return [{ channel: this.name, kind: 'test', label: 'test', body: { hello: 'world' } }];
  }
  check() {
    return [];
  }
  async publish(_p: Payload, ctx: PublishContext): Promise<Receipt> {
    const n = this.calls.filter((c) => c.key === ctx.deliveryKey).length + 1;
    try {
      this.behave(ctx.deliveryKey, n);
    } catch (err) {
      this.calls.push({ key: ctx.deliveryKey, attempt: ctx.attempt, ok: false });
      throw err;
    }
    this.calls.push({ key: ctx.deliveryKey, attempt: ctx.attempt, ok: true });
    this.delivered.set(ctx.deliveryKey, (this.delivered.get(ctx.deliveryKey) ?? 0) + 1);
    return { id: `r-${ctx.deliveryKey}`, at: ctx.now().toISOString() };
  }
  async reconcile(_p: Payload, ctx: PublishContext): Promise<Receipt | null> {
    return this.delivered.has(ctx.deliveryKey) ? { id: `r-${ctx.deliveryKey}`, at: ctx.now().toISOString() } : null;
  }
}

export function newDelivery(channel: ChannelName, i: number, dueUtc: string): NewDelivery {
  return {
    key: `c/s/${channel}/${dueUtc}/${i}`, campaign: 'c', schedule: 's', channel, recipient: null, dueUtc,
    windowEndsUtc: '2099-01-01T00:00:00Z', payload: { channel, kind: 'test', label: `n${i}`, body: { i } }, contentHash: 'h', state: 'pending',
  };
}
