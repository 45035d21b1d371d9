/**
 * Channel names given on the command line (`--channel`), read the same way by every command: the name
 * (`weibo`, any case), or the Chinese one staff type with an input method (网站/网页 → website, 微信/公众号/
 * 微信公众号 → wechat, 微博 → weibo, 邮件/电子邮件/邮箱 → email), as `check` already reads them in
 * campaign.yaml. Anything else is a usage error with a did-you-mean (`webo` → weibo).
 */
import { UsageError } from '../../errors.js';
import { CHANNEL_NAMES, type ChannelName } from '../../config/channel-names.js';
import { ALIASES, didYouMean } from '../../suggest.js';

/** `typed` as a channel's name, or undefined when it names none. */
export function channelName(typed: string): ChannelName | undefined {
  const t = typed.trim();
  const name = (CHANNEL_NAMES as readonly string[]).includes(t.toLowerCase()) ? t.toLowerCase() : ALIASES[t] ?? ALIASES[t.toLowerCase()];
  return (CHANNEL_NAMES as readonly string[]).includes(name ?? '') ? (name as ChannelName) : undefined;
}

/**
 * The channels named, in the order every list of them uses, each once. `unknown` words the refusal of one that
 * names no channel: (as typed, the did-you-mean or '', the channels).
 */
export function channelArgs(typed: readonly string[], unknown: (name: string, hint: string, channels: string) => string): ChannelName[] {
  const named = typed.map((t) => {
    const c = channelName(t);
    if (!c) throw new UsageError(unknown(t, didYouMean(t.trim(), [...CHANNEL_NAMES]), CHANNEL_NAMES.join(', ')));
    return c;
  });
  return CHANNEL_NAMES.filter((c) => named.includes(c));
}
