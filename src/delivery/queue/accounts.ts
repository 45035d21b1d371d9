/**
 * One queue per ledger and channel account, so that BullMQ's rate limiter,
 * which is per queue and kept in Redis, holds the account's limit across
 * every worker of the ledger on every machine: `<ledger>.<channel>.<account>`,
 * the ledger its id (ledger-id.ts), the account a short hash of what
 * identifies it (the e-mail relay's host and port and its user or URL; a
 * WeChat app id; a Weibo token) so no secret appears in Redis, or `sandbox`.
 * The ledger is in the name because a worker serves one ledger: a job is a
 * key of it, which another ledger's worker would not find. So two bureaus on
 * one Redis that send through one account each have that account's limit
 * (BullMQ's limiter is the queue's own; it cannot be shared between queues).
 */
import { createHash } from 'node:crypto';
import type { ChannelName } from '../../channels/channel.js';
import type { ChannelConfig } from '../../config/channels.js';
import type { RateLimit } from './types.js';

/** What identifies an account, per channel (settings and secrets by name; never logged, only hashed). */
const IDENTITY: Record<ChannelName, { settings: string[]; secrets: string[] }> = {
  email: { settings: ['host', 'port'], secrets: ['url', 'user'] },
  wechat: { settings: ['api_base'], secrets: ['appid'] },
  weibo: { settings: ['api_base'], secrets: ['access_token'] },
  website: { settings: ['base_url'], secrets: [] },
};

export function accountId(config: ChannelConfig): string {
  if (config.mode === 'sandbox') return 'sandbox';
  const id = IDENTITY[config.channel];
  const parts = [...id.settings.map((k) => `${k}=${String(config.settings[k] ?? '')}`), ...id.secrets.map((k) => `${k}=${config.secrets[k] ?? ''}`)];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 12);
}

/** The queue of a ledger's channel account (BullMQ adds its own `advisory:` prefix). */
export function queueName(ledger: string, config: ChannelConfig): string {
  return accountQueue(ledger, config.channel, accountId(config));
}

/**
 * Channels whose live account id changes when the same account's credentials are renewed: Weibo's is its access
 * token (re-authorized after 21327, the post then retried), e-mail's its relay and login (the same subscribers
 * through another relay). Between two live configurations of these, a delivery recorded with the old id is the
 * current account's; only WeChat's id (its app id) names another official account, whose followers are other
 * people.
 */
export const RENEWABLE: ReadonlySet<ChannelName> = new Set(['weibo', 'email']);

/**
 * The queue a delivery goes to: its recorded account's (`recorded`: an id or `sandbox`, as dueKeys gives it), so
 * a worker set up for that account gets it whatever the relay's own settings; a live Weibo or e-mail delivery
 * recorded under older credentials goes to the relay's current live account (renewed, not another one); none
 * recorded (an older payload): the relay's own account.
 */
export function deliveryQueue(ledger: string, config: ChannelConfig, recorded: string | undefined): string {
  if (!recorded) return queueName(ledger, config);
  if (recorded !== 'sandbox' && config.mode === 'live' && RENEWABLE.has(config.channel)) return queueName(ledger, config);
  return accountQueue(ledger, config.channel, recorded);
}

/** The queue of a ledger's channel account by its id (an `accountId`, or one recorded on a delivery). */
export function accountQueue(ledger: string, channel: ChannelName, account: string): string {
  return `${ledger}.${channel}.${account}`;
}

/**
 * The account's limit from channels/<name>.yaml: `rate_per_second` (e-mail's, default 50) or
 * `rate_per_minute`; none (0 or absent) is no limit. A sandbox has no account to protect: no limit, as in one
 * process, where only the live SMTP pool applies it (a sandbox publish through the queue was held to 50 a second).
 */
export function rateLimit(config: ChannelConfig): RateLimit | undefined {
  if (config.mode === 'sandbox') return undefined;
  const perSecond = Number(config.settings.rate_per_second ?? 0);
  // Below one a second (0.5): one per 2 s.
  if (Number.isFinite(perSecond) && perSecond > 0) return perSecond >= 1 ? { max: Math.floor(perSecond), durationMs: 1000 } : { max: 1, durationMs: Math.round(1000 / perSecond) };
  const perMinute = Number(config.settings.rate_per_minute ?? 0);
  if (Number.isFinite(perMinute) && perMinute > 0) return { max: Math.max(1, Math.floor(perMinute)), durationMs: 60_000 };
  return undefined;
}
