/**
 * Posting a status payload live (channel-apis.md §2). Weibo has no
 * idempotency key, so the attempt is recorded before the call ({posting} in
 * the delivery's checkpoint, with the exact text) and cleared only when Weibo
 * answered that it did not post. An attempt that finds {posting} still there
 * follows one whose outcome is unknown (a timeout, a crash): it sends the same
 * text again, and a repeat-content answer (20019 and kin) then means the first
 * one was posted. 20012 (too long by Weibo's own count): shortened once, tried
 * again.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ChannelPublishContext, Checkpoint, Payload, Receipt } from '../channel.js';
import { ChannelError } from '../../errors.js';
import { sha256 } from '../../hash.js';
import { NoAnswerError } from '../api-call.js';
import { REPEAT_CODES, WeiboApiError } from './errors.js';
import type { TokenInfo, WeiboClient } from './client.js';
import { TOKEN_INFO_STATE } from './client.js';
import { countRuleFrom, weiboLength, URL_PATTERN } from './count.js';
import { shortenTo } from './shorten.js';
import { channelModeMessages } from '../../i18n/messages-channel-modes.js';

interface WeiboCheckpoint {
  /** A post sent and not (yet) answered: when, and the exact text. */
  posting?: { at: string; text: string };
}

export async function publishLive(payload: Payload, ctx: ChannelPublishContext, client: WeiboClient): Promise<Receipt> {
  const cp = (ctx.previous ?? {}) as WeiboCheckpoint;
  const save = (details: Checkpoint) => ctx.checkpoint?.(details) ?? Promise.resolve();
  await warnIfTokenEnding(ctx, client);
  const pic = picture(payload, ctx);
  const rip = String(ctx.config.settings.rip ?? '');
  let uncertain = cp.posting !== undefined;
  let text = cp.posting?.text ?? String(payload.body.status ?? '');
  let shortened = false;
  for (;;) {
    await save({ posting: { at: ctx.now().toISOString(), text } });
    // Logged before the call that cannot be taken back: which process made it (a worker among many) is then on record.
    ctx.log.info({ uncertain, shortened }, 'posting to Weibo');
    try {
      const posted = await client.share(text, rip, pic);
      return {
        id: posted.idstr,
        url: `https://m.weibo.cn/status/${posted.idstr}`,
        at: ctx.now().toISOString(),
        details: { text, ...(shortened ? { shortened: true } : {}), ...(posted.createdAt ? { createdAt: posted.createdAt } : {}) },
      };
    } catch (err) {
      if (err instanceof NoAnswerError && err.reached) throw err; // {posting} stays: the next attempt knows it may have gone out
      if (uncertain && err instanceof WeiboApiError && REPEAT_CODES.has(err.errorCode)) {
        ctx.log.info({ errorCode: err.errorCode }, 'Weibo answered repeat content after an attempt that got no answer: that attempt was posted');
        return {
          id: `posted-unconfirmed-${sha256(text).slice(0, 12)}`,
          at: ctx.now().toISOString(),
          details: { text, confirmedBy: `error_code ${err.errorCode} (repeat content) after attempt with no answer at ${cp.posting?.at ?? 'an earlier attempt'}`, idUnknown: true },
        };
      }
      if (err instanceof WeiboApiError || (err instanceof NoAnswerError && !err.reached)) {
        // Weibo said no (or was never reached): this text was not posted.
        if (!uncertain || (err instanceof WeiboApiError && err.errorCode === 20012)) {
          await save({ posting: null });
          uncertain = false;
        }
      }
      if (err instanceof WeiboApiError && err.errorCode === 20012 && !shortened) {
        const shorter = shortenForWeibo(text, ctx.config.settings);
        if (shorter !== text) {
          ctx.log.warn({ before: weiboLength(text, countRuleFrom(ctx.config.settings)), after: weiboLength(shorter, countRuleFrom(ctx.config.settings)) }, 'Weibo says the text is too long (20012): shortened once and trying again');
          text = shorter;
          shortened = true;
          continue;
        }
      }
      throw err;
    }
  }
}

/** The text with everything before its last URL cut to four fifths of its counted length; the URL (the link readers need) is kept. */
export function shortenForWeibo(text: string, settings: Record<string, unknown>): string {
  const rule = countRuleFrom(settings);
  const urls = [...text.matchAll(URL_PATTERN)];
  const last = urls.at(-1);
  if (!last || last.index === undefined) return text;
  const before = text.slice(0, last.index).trimEnd();
  const after = text.slice(last.index);
  const budget = Math.floor(weiboLength(text, rule) * 0.8) - weiboLength(after, rule) - 1;
  if (budget <= 0) return text;
  return `${shortenTo(before, budget, rule)} ${after}`;
}

function picture(payload: Payload, ctx: ChannelPublishContext): { bytes: Buffer; filename: string } | undefined {
  const asset = payload.assets?.find((a) => a.role === 'pic');
  if (!asset || payload.body.pic === undefined) return undefined;
  const bytes = readFileSync(join(ctx.root, asset.path));
  if (sha256(bytes) !== asset.sha256) {
    throw new ChannelError('weibo', 'permanent', `${asset.path} changed on disk since it was approved: approve the campaign again (advisory approve) to post the new picture`);
  }
  return { bytes, filename: basename(asset.path) };
}

/** At most once a day per token: asks how long the token has left, and warns when it is under `token_warn_days`. Never fails the post. */
async function warnIfTokenEnding(ctx: ChannelPublishContext, client: WeiboClient): Promise<void> {
  try {
    const saved = await (await client.state()).get(TOKEN_INFO_STATE);
    const known = saved ? (JSON.parse(saved) as TokenInfo) : null;
    // What was learned of another token (the one before a re-authorization) says nothing of this one.
    const info = known && known.tokenId === client.tokenId && Date.now() - Date.parse(known.checkedAt) < 86_400_000 ? known : await client.tokenInfo();
    const warning = tokenWarning(info, ctx.config.settings);
    if (warning) ctx.log.warn({ expireInDays: Math.floor(info.expireIn / 86_400) }, warning);
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message }, 'could not ask Weibo how long the token has left');
  }
}

/** The warning for a token with less than `token_warn_days` (14) of life, else null. */
export function tokenWarning(info: TokenInfo, settings: Record<string, unknown>): string | null {
  const days = Number(settings.token_warn_days ?? 14);
  const left = info.expireIn - (Date.now() - Date.parse(info.checkedAt)) / 1000;
  if (left >= days * 86_400) return null;
  const m = channelModeMessages();
  if (left <= 0) return m.weiboTokenExpired;
  return m.weiboTokenExpires(Math.max(0, Math.floor(left / 86_400)), new Date(Date.parse(info.checkedAt) + info.expireIn * 1000).toISOString().slice(0, 10));
}
