/**
 * The channel account a delivery was recorded for, frozen in its payload
 * (`payload.account`): `live` with the account's short hash (queue/accounts.ts:
 * no secret, only a hash of what identifies it) or `sandbox`. A process sends
 * a delivery only through a transport of that same mode and account: one
 * started without a channel's credentials (a daemon, a worker, `publish
 * --now` on another machine) would otherwise put a live post into its
 * sandbox outbox and record it `sent`; one with credentials would post live
 * what was recorded (and approved) as a sandbox trial. Such a delivery is
 * held with the reason (`accountMismatch`) instead, and `advisory retry`
 * makes it pending again once the right process runs.
 *
 * The website is left out: its transport is the same in both modes (the site
 * is ours). Payloads recorded before this was frozen carry no account and are
 * sent by any process, as before.
 */
import type { ChannelName, FrozenAccount, Payload } from '../channels/channel.js';
import type { ChannelConfig } from '../config/channels.js';
import { accountId, RENEWABLE } from './queue/accounts.js';

/** What this process's configuration of a channel sends through, or null for the website (one transport). */
export function accountOf(config: ChannelConfig): FrozenAccount | null {
  if (config.channel === 'website') return null;
  return config.mode === 'live' ? { mode: 'live', id: accountId(config) } : { mode: 'sandbox' };
}

/** `payloads` with `account` frozen in each (none: left as rendered). */
export function withAccount(payloads: Payload[], account: FrozenAccount | null | undefined): Payload[] {
  return account ? payloads.map((p) => ({ ...p, account })) : payloads;
}

const said = (channel: ChannelName, a: FrozenAccount) => (a.mode === 'live' ? `${channel} account ${a.id} (live)` : `the ${channel} sandbox`);

/**
 * Why this process must not send `payload` (recorded for another account or mode than `config` resolves to),
 * or null when it may: the same account, no account frozen (an older ledger), the website.
 */
export function accountMismatch(payload: Payload | null, config: ChannelConfig): string | null {
  const frozen = payload?.account;
  const here = accountOf(config);
  if (!frozen || !here) return null;
  if (frozen.mode === here.mode && (frozen.mode === 'sandbox' || frozen.id === (here as { id: string }).id || RENEWABLE.has(config.channel))) return null;
  const ch = config.channel;
  // No key in it: the e-mails of one publish held for one reason are one line in status and on the console.
  const retry = 'then `advisory retry` it';
  if (frozen.mode === 'live' && here.mode === 'sandbox') {
    const unset = config.missingEnv.length > 0 ? `${config.missingEnv.join(', ')} unset` : 'its credentials unset';
    return `recorded for ${said(ch, frozen)}, but this process has no ${ch} credentials (${unset}): start it with them, ${retry}`;
  }
  if (frozen.mode === 'sandbox') {
    return `recorded for ${said(ch, frozen)}, but this process sends ${ch} live (account ${(here as { id: string }).id}): it stays a sandbox trial; send it from a process without ${ch} credentials, ${retry}, or publish again to send it live`;
  }
  return `recorded for ${said(ch, frozen)}, but this process sends ${ch} as account ${(here as { id: string }).id}: start it with the credentials of account ${frozen.id}, ${retry}`;
}
