/** What the preview page shows of an e-mail: the message as a subscriber without a name sees it, placeholders filled as at send time. */
import type { Payload, PreviewContext } from '../channel.js';
import { DEFAULT_RECIPIENT_NAME, personalize, type EmailBody } from './personalize.js';

export function preview(payload: Payload, ctx: PreviewContext): unknown {
  const sample = personalize(payload.body as unknown as EmailBody, {}, '#unsubscribe');
  ctx.files.set(`${ctx.base}.html`, sample.html);
  return { subject: payload.body.subject, preheader: payload.body.preheader, text: sample.text, src: `${ctx.base}.html`, sampleName: DEFAULT_RECIPIENT_NAME, schedule: ctx.schedule };
}
