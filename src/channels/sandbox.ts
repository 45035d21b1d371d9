/**
 * The sandbox outbox: the transport a channel gets without credentials. What
 * live would send is written to `var/outbox/<channel>/` instead of the
 * network. Each file is written atomically and only if absent (temp file +
 * hard link), so "the file exists" means "it was sent": that is how reconcile
 * answers after a crash, and a second attempt at the same key never writes a
 * second copy. Every completed write also appends one line to
 * `var/outbox/<channel>/sent.log`, the sandbox's record of what went out, in
 * order (a key appearing twice there is a double send).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appendDurable, writeAtomic } from '../fs/write-atomic.js';
import { sha256 } from '../hash.js';
import type { ChannelName, Closable, Payload, PublishContext, Receipt } from './channel.js';

/** A file name from a delivery key: readable, and unique thanks to the hash suffix. */
export function safeKey(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.${sha256(key).slice(0, 10)}`;
}

export function outboxFile(varDir: string, channel: ChannelName, key: string): string {
  return join(varDir, 'outbox', channel, `${safeKey(key)}${channel === 'email' ? '.eml' : '.json'}`);
}

export interface OutboxEntry {
  file: string;
  /** When it was written (ISO). */
  at: string;
}

export interface Outbox extends Closable {
  readonly channel: ChannelName;
  /**
   * Records what would be sent under `key`, once. When the key is already there
   * (an earlier attempt wrote it, or another dispatcher did), nothing is written
   * and the existing entry is returned with `existed: true`.
   */
  record(key: string, bytes: string | Buffer, attempt: number, at: Date): OutboxEntry & { existed: boolean };
  /** The entry for `key` if it was written. */
  find(key: string): OutboxEntry | null;
}

export function createOutbox(varDir: string, channel: ChannelName): Outbox {
  const log = join(varDir, 'outbox', channel, 'sent.log');
  const line = (key: string, attempt: number | null, at: string, file: string, bytes: Buffer | string, recovered: boolean) =>
    `${JSON.stringify({ at, key, attempt, file: file.slice(file.lastIndexOf('/') + 1), sha256: sha256(bytes), ...(recovered ? { recovered: true } : {}) })}\n`;
  // Keys the log names, read when a crash may have left one out (a kill between writing a file and logging it).
  let logged: Set<string> | null = null;
  const readLogged = () => new Set(existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [(JSON.parse(l) as { key: string }).key];
    } catch {
      return [];
    }
  }) : []);
  const ensureLogged = (key: string, entry: OutboxEntry) => {
    if (logged?.has(key)) return;
    // Read again on a miss: another process (a dispatcher that took over, or the one it took over from) may have
    // written and logged this key since this one read the log; logging it again would read as a second send.
    logged = readLogged();
    if (logged.has(key)) return;
    appendDurable(log, line(key, null, entry.at, entry.file, readFileSync(entry.file), true));
    logged.add(key);
  };
  const find = (key: string): OutboxEntry | null => {
    const file = outboxFile(varDir, channel, key);
    if (!existsSync(file)) return null;
    const entry = { file, at: statSync(file).mtime.toISOString() };
    ensureLogged(key, entry);
    return entry;
  };
  return {
    channel,
    find,
    record(key, bytes, attempt, at) {
      const file = outboxFile(varDir, channel, key);
      try {
        writeAtomic(file, bytes, { exclusive: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        return { ...find(key)!, existed: true };
      }
      appendDurable(log, line(key, attempt, at.toISOString(), file, bytes, false));
      logged?.add(key);
      return { file, at: at.toISOString(), existed: false };
    },
  };
}

/** Shaped like the live ids (WeChat publish_id, Weibo idstr): digits, stable per delivery. */
export function sandboxId(channel: ChannelName, key: string): string {
  return `sandbox-${channel}-${BigInt(`0x${sha256(key).slice(0, 15)}`).toString()}`;
}

/** Publishes a request body (the payload's body, as JSON) into the outbox; the receipt carries a sandbox id shaped like the live one. */
export async function publishToOutbox(payload: Payload, ctx: PublishContext, outbox: Outbox): Promise<Receipt> {
  const entry = outbox.record(ctx.deliveryKey, JSON.stringify(payload.body), ctx.attempt, ctx.now());
  if (entry.existed) ctx.log.warn({ key: ctx.deliveryKey, attempt: ctx.attempt }, 'already in the outbox (an earlier attempt wrote it): not written again');
  return { id: sandboxId(outbox.channel, ctx.deliveryKey), at: entry.at, details: { sandbox: true, file: entry.file, ...(entry.existed ? { reconciled: true } : {}) } };
}

/** After a crash: the outbox file exists if and only if the earlier attempt went out. */
export async function reconcileOutbox(_payload: Payload, ctx: PublishContext, outbox: Outbox): Promise<Receipt | null> {
  const entry = outbox.find(ctx.deliveryKey);
  return entry && { id: sandboxId(outbox.channel, ctx.deliveryKey), at: entry.at, details: { sandbox: true, file: entry.file, reconciled: true } };
}
