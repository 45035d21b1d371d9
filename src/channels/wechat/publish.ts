/**
 * Publishing a draft payload live (channel-apis.md §1.3–1.4), one step at a
 * time, each step recorded in the ledger (the delivery's checkpoint) before
 * the next, so an attempt after a failure or a crash resumes instead of
 * repeating one:
 *
 *   images uploaded (cached by sha256) → draft/add → {draftMediaId}
 *   → {submitting} → freepublish/submit → {publishId}
 *   → the PUBLISHJOBFINISH event (or freepublish/get, polled sparingly)
 *   → optional mass send with a clientmsgid from the delivery key
 *
 * A submit that got no answer cannot be told from one that went through (no
 * API lists publish jobs): that is held for a person, never resubmitted blind.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ChannelPublishContext, ChannelState, Checkpoint, Payload, Receipt } from '../channel.js';
import { ChannelError } from '../../errors.js';
import { sha256 } from '../../hash.js';
import { NoAnswerError, durationList, durationMs } from '../api-call.js';
import { WechatApiError } from './errors.js';
import type { PublishJob, WechatClient } from './client.js';
import type { WechatArticle } from './article.js';

export interface WechatCheckpoint {
  draftMediaId?: string;
  /** When a submit was sent and not yet answered. */
  submitting?: string;
  publishId?: string;
  msgDataId?: string;
  /** The job's final failure (2–4): a later attempt starts over with a new draft. */
  failedStatus?: number;
  massMsgId?: string;
}

const EVENT_STATE = (publishId: string) => `wechat:event:${publishId}`;

/** Saves the PUBLISHJOBFINISH event where whichever process waits for the job finds it. */
export async function recordPublishEvent(state: ChannelState, job: PublishJob): Promise<void> {
  await state.set(EVENT_STATE(job.publishId), JSON.stringify(job));
}

export async function publishLive(payload: Payload, ctx: ChannelPublishContext, client: WechatClient, state: () => Promise<ChannelState>): Promise<Receipt> {
  let cp = { ...(ctx.previous ?? {}) } as WechatCheckpoint;
  const save = async (details: Checkpoint) => {
    cp = { ...cp, ...details } as WechatCheckpoint;
    for (const [k, v] of Object.entries(details)) if (v === null) delete (cp as Record<string, unknown>)[k];
    await ctx.checkpoint?.(details);
  };
  if (cp.failedStatus !== undefined) {
    // The last job failed (2–4) and someone asked for it again: a new draft and a new job.
    ctx.log.info({ publishId: cp.publishId, publishStatus: cp.failedStatus }, 'the previous publish job failed; starting over with a new draft');
    await save({ draftMediaId: null, publishId: null, msgDataId: null, failedStatus: null });
  }
  if (cp.submitting && !cp.publishId) {
    const draft = cp.draftMediaId;
    const since = cp.submitting;
    // Cleared first, so that after a person's `advisory retry` the next attempt submits again.
    await save({ submitting: null });
    throw new ChannelError('wechat', 'needs-person',
      `freepublish/submit of draft ${draft} was sent at ${since} but WeChat's answer never arrived (the process stopped, the call timed out or a gateway answered instead), and WeChat offers no way to ask whether it was accepted. Look at 发表记录 on mp.weixin.qq.com: if the article is there, leave this delivery; if not, run advisory retry ${ctx.deliveryKey}`);
  }
  if (!cp.publishId) {
    if (!cp.draftMediaId) {
      const articles = await withUploads(payload, ctx, client);
      let draftMediaId: string;
      try {
        draftMediaId = await client.addDraft(articles);
      } catch (err) {
        // A cover cached from long ago may have been deleted from the account's material library: upload it again next time.
        if (err instanceof WechatApiError && err.errcode === 40007) await client.forgetUploads(payload.assets ?? []);
        throw err;
      }
      await save({ draftMediaId });
      ctx.log.info({ draftMediaId }, 'draft added');
    }
    await save({ submitting: ctx.now().toISOString() });
    let submitted: { publishId: string; msgDataId?: string };
    try {
      submitted = await client.submit(cp.draftMediaId!);
    } catch (err) {
      // Not submitted only when WeChat said so (an errcode), the call never left, or the answer refused it outright.
      // No answer, or a gateway's 5xx instead of WeChat's (it may have passed the call on): `submitting` stays and
      // the next attempt asks a person rather than submitting blind.
      const notSubmitted = err instanceof WechatApiError || (err instanceof NoAnswerError ? !err.reached : err instanceof ChannelError && err.failure !== 'transient');
      if (!notSubmitted) throw err;
      await save({ submitting: null, ...(err instanceof WechatApiError && err.errcode === 40007 ? { draftMediaId: null } : {}) });
      throw err;
    }
    await save({ submitting: null, publishId: submitted.publishId, ...(submitted.msgDataId ? { msgDataId: submitted.msgDataId } : {}) });
    ctx.log.info({ publishId: submitted.publishId }, 'submitted for publishing; waiting for WeChat to finish');
  }
  const job = await waitForJob(cp.publishId!, ctx, client, state);
  if (job.status >= 2 && job.status <= 4) {
    await save({ failedStatus: job.status });
    const why = { 2: 'the originality check failed', 3: 'WeChat gave no reason', 4: "the platform's review rejected it" }[job.status as 2 | 3 | 4];
    throw new ChannelError('wechat', 'permanent', `WeChat did not publish it: ${why} (publish_status ${job.status}${job.failIdx.length ? `, failed article ${job.failIdx.join(', ')} of the draft` : ''}, publish_id ${job.publishId}). Fix the article, approve again or run advisory retry ${ctx.deliveryKey} for a new draft`, { channelCode: `publish_status ${job.status}` });
  }
  if (job.status === 5 || job.status === 6) {
    ctx.log.warn({ publishId: job.publishId, publishStatus: job.status }, job.status === 5 ? 'published, then deleted by the account' : 'published, then banned by the platform');
  }
  let massMsgId = cp.massMsgId;
  if (ctx.config.settings.mass_send === true && job.status === 0 && !massMsgId) {
    const sent = await client.massSend(cp.draftMediaId!, clientMsgId(ctx.deliveryKey));
    massMsgId = sent.msgId;
    await save({ massMsgId });
    ctx.log.info({ msgId: sent.msgId, duplicate: sent.duplicate }, sent.duplicate ? 'mass send had gone out already (45065)' : 'mass sent to followers');
  }
  return {
    id: job.publishId,
    ...(job.urls[0] ? { url: job.urls[0] } : {}),
    at: ctx.now().toISOString(),
    details: {
      draftMediaId: cp.draftMediaId, publishStatus: job.status, articleId: job.articleId, urls: job.urls, via: job.source,
      ...(cp.msgDataId ? { msgDataId: cp.msgDataId } : {}), ...(massMsgId ? { massMsgId } : {}),
      ...(job.status === 5 ? { note: 'published, then deleted by the account' } : job.status === 6 ? { note: 'published, then banned by the platform' } : {}),
    },
  };
}

/** A short clientmsgid (< 32 characters) that is the same for every attempt of one delivery. */
export function clientMsgId(deliveryKey: string): string {
  return `adv${sha256(deliveryKey).slice(0, 24)}`;
}

/**
 * Waits for the job: the event the daemon records (looked at every second)
 * or freepublish/get on the poll schedule (100 calls a day). After
 * `publish_wait` the attempt ends as transient; the next one waits again for
 * the same publish_id (nothing is submitted twice).
 */
async function waitForJob(publishId: string, ctx: ChannelPublishContext, client: WechatClient, state: () => Promise<ChannelState>): Promise<PublishJob> {
  const schedule = durationList(ctx.config.settings.poll, [5_000, 30_000, 120_000]);
  const deadline = Date.now() + durationMs(ctx.config.settings.publish_wait, 600_000);
  let polls = 0;
  let nextPoll = Date.now() + schedule[0];
  let polling = true;
  for (;;) {
    const event = await (await state()).get(EVENT_STATE(publishId));
    if (event) {
      const job = JSON.parse(event) as PublishJob;
      if (job.status !== 1) return job;
    }
    if (polling && Date.now() >= nextPoll) {
      try {
        const job = await client.publishJob(publishId);
        if (job.status !== 1) return job;
      } catch (err) {
        if (!(err instanceof WechatApiError && err.errcode === 45009)) throw err;
        // The day's 100 status calls are used up: rely on the event until the deadline.
        polling = false;
        ctx.log.warn({ publishId }, 'freepublish/get quota used up for today: waiting for the PUBLISHJOBFINISH event only');
      }
      polls++;
      nextPoll = Date.now() + schedule[Math.min(polls, schedule.length - 1)];
    }
    if (ctx.signal?.aborted) {
      throw new ChannelError('wechat', 'transient', `stopped while WeChat was publishing publish_id ${publishId}; the next start waits for the same job (nothing is submitted again)`, { retryAfterMs: 0 });
    }
    if (Date.now() >= deadline) {
      throw new ChannelError('wechat', 'transient', `WeChat is still publishing publish_id ${publishId} after ${Math.round(durationMs(ctx.config.settings.publish_wait, 600_000) / 1000)} s; the next attempt waits for the same job (nothing is submitted again)`, { retryAfterMs: 60_000 });
    }
    await sleep(Math.max(50, Math.min(1000, nextPoll - Date.now(), deadline - Date.now())));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The articles with the cover's permanent media_id and every inline image's uploaded URL in place of their placeholders. */
async function withUploads(payload: Payload, ctx: ChannelPublishContext, client: WechatClient): Promise<WechatArticle[]> {
  const assets = payload.assets ?? [];
  const bytesOf = (path: string, sha: string) => {
    const bytes = readFileSync(join(ctx.root, path));
    if (sha256(bytes) !== sha) {
      throw new ChannelError('wechat', 'permanent', `${path} changed on disk since it was approved: approve the campaign again (advisory approve) to publish the new image`);
    }
    return bytes;
  };
  const cover = assets.find((a) => a.role === 'cover');
  const thumb = cover ? (await client.uploadCover(bytesOf(cover.path, cover.sha256), cover.sha256, basename(cover.path))).mediaId : '';
  const inline = new Map<string, string>();
  for (const a of assets.filter((x) => x.role === 'inline')) {
    inline.set(a.sha256, await client.uploadInline(bytesOf(a.path, a.sha256), a.sha256, basename(a.path)));
  }
  return (payload.body.articles as WechatArticle[]).map((article) => ({
    ...article,
    thumb_media_id: article.thumb_media_id === 'asset:cover' ? thumb : article.thumb_media_id,
    content: article.content.replace(/asset:inline:([0-9a-f]{64})/g, (m, sha: string) => inline.get(sha) ?? m),
  }));
}
