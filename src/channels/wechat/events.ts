/**
 * WeChat's push to the account's callback URL (the daemon serves it at
 * /wechat/events): the PUBLISHJOBFINISH event that says how a publish job
 * ended (channel-apis.md §1.3). Plain-text mode (明文模式) only.
 *
 * Every request must carry WeChat's `signature`: the SHA-1 of the sorted
 * token, timestamp and nonce, the token being the one set on mp.weixin.qq.com
 * (WECHAT_CALLBACK_TOKEN here). Anything else is rejected, so nobody can make
 * a job look finished. A GET with `echostr` is WeChat checking the URL when it
 * is saved on the console: it gets the echostr back.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { ChannelState } from '../channel.js';
import { jobFrom, type PublishJob } from './client.js';
import { recordPublishEvent } from './publish.js';

export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export function signatureValid(token: string, query: URLSearchParams): boolean {
  const given = query.get('signature') ?? '';
  const timestamp = query.get('timestamp') ?? '';
  const nonce = query.get('nonce') ?? '';
  if (!/^[0-9a-f]{40}$/i.test(given) || timestamp === '' || nonce === '') return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase()), Buffer.from(wechatSignature(token, timestamp, nonce)));
}

export interface EventAnswer {
  status: number;
  body: string;
  /** The publish job the event finished, when it was one. */
  job?: PublishJob;
}

const parser = new XMLParser({
  // Ids stay text: publish_id exceeds what a double holds exactly.
  parseTagValue: false,
  processEntities: false,
  isArray: (name) => name === 'item' || name === 'fail_idx',
});

/** Handles one request to the callback URL; `state` is where the waiting publish finds the event. */
export async function handleWechatEvent(
  req: { method: string; query: URLSearchParams; body: string },
  token: string | undefined,
  state: () => Promise<ChannelState>,
): Promise<EventAnswer> {
  if (!token) return { status: 404, body: 'WeChat events are not configured (set the variable named by optional_env.callback_token in channels/wechat.yaml)\n' };
  if (!signatureValid(token, req.query)) return { status: 403, body: 'bad signature\n' };
  if (req.method === 'GET') return { status: 200, body: req.query.get('echostr') ?? '' };
  if (req.method !== 'POST') return { status: 405, body: 'GET or POST\n' };
  let xml: Record<string, unknown>;
  try {
    xml = (parser.parse(req.body) as { xml?: Record<string, unknown> }).xml ?? {};
  } catch {
    return { status: 400, body: 'not XML\n' };
  }
  // WeChat expects "success" (or an empty body) for events it need not resend, whatever they were.
  if (xml.MsgType !== 'event' || xml.Event !== 'PUBLISHJOBFINISH') return { status: 200, body: 'success' };
  const info = xml.PublishEventInfo as Record<string, unknown> | undefined;
  if (!info || info.publish_id === undefined || info.publish_status === undefined) return { status: 400, body: 'PUBLISHJOBFINISH without PublishEventInfo\n' };
  const job = jobFrom(info, 'event');
  if (!/^\d+$/.test(job.publishId) || !Number.isInteger(job.status)) return { status: 400, body: 'bad PublishEventInfo\n' };
  await recordPublishEvent(await state(), job);
  return { status: 200, body: 'success', job };
}
