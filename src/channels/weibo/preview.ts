/** What the preview page shows of a Weibo post: the text with its counted length against the limit, and the picture. */
import type { Payload, PreviewContext } from '../channel.js';
import { countRuleFrom, weiboLength } from './count.js';

export function preview(payload: Payload, ctx: PreviewContext): unknown {
  const rule = countRuleFrom(ctx.config.settings);
  const status = String(payload.body.status);
  const pic = payload.assets?.find((x) => x.role === 'pic');
  const length = weiboLength(status, rule);
  const state = length > rule.maxChars ? 'over' : length > rule.targetChars ? 'near' : 'ok';
  return { schedule: ctx.schedule, status, length, max: rule.maxChars, target: rule.targetChars, state, pic: pic ? ctx.copyAsset(pic.path) : null };
}
