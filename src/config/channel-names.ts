/** The channels, in the order every list of them uses. Configuration owns the names; content validates against them. */
export const CHANNEL_NAMES = ['website', 'wechat', 'weibo', 'email'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];
