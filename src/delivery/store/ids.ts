/** Ids the store hands out, the same for every backend. */
import { randomBytes } from 'node:crypto';

/** A subscriber id: random, so it says nothing about the address (it appears in keys, logs and status). */
export function newSubscriberId(): string {
  return `s-${randomBytes(8).toString('hex')}`;
}
