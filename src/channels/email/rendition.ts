/**
 * E-mail rendition: one `message` payload per occurrence, holding every
 * advisory it carries. HTML (table layout, styles inlined by juice) and plain
 * text with slots (personalize.ts) for the greeting's name and the unsubscribe
 * link, filled per recipient at send time, so one approved body serves every
 * subscriber. The template writes each slot as a marker no content can
 * contain (it carries a hash of the content and templates); their positions
 * are recorded and the markers shown as %%RECIPIENT_NAME%% / %%UNSUBSCRIBE_URL%%.
 */
import juice from 'juice';
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import { campaignView } from '../../render/view.js';
import { campaignKeyPlace } from '../../render/positions.js';
import { placeSlots, UNSUBSCRIBE_TOKEN, type EmailBody, type SlotKind } from './personalize.js';
import { sha256 } from '../../hash.js';
import { channelMessages } from '../../i18n/messages-channels.js';

const PREHEADER_MAX = 90;
const SUBJECT_MAX = 78;

export function render(ctx: RenderContext): Payload[] {
  const { renderer } = ctx;
  const view = campaignView(renderer, ctx.site, ctx.campaign, ctx.advisories, ctx.occurrence);
  const subject =
    view.advisories.length === 1 ? `${view.campaign.title}：${view.advisories[0].title}` : view.campaign.title;
  const preheader = cut(view.campaign.summary, PREHEADER_MAX);
  const markers = slotMarkers(ctx);
  const data = { ...view, subject, preheader, unsubscribe_url: markers.unsubscribe, recipient_name: markers.name };
  const inlined = juice.inlineContent(renderer.template('email', 'message', data), renderer.asset('email', 'style.css'), {
    applyWidthAttributes: false,
    preserveMediaQueries: true,
    removeStyleTags: true,
  });
  const plain = renderer.template('email', 'message.txt', data).replace(/\n{3,}/g, '\n\n').trim() + '\n';
  const h = placeSlots(inlined, markers);
  const t = placeSlots(plain, markers);
  const html = h.text;
  const text = t.text;
  const body: EmailBody = { subject, preheader, html, text, listUnsubscribe: true, slots: { html: h.slots, text: t.slots } };
  return [
    {
      channel: 'email',
      kind: 'message',
      label: subject,
      body: { ...body },
      preview: { html, text },
    },
  ];
}

export function check(payload: Payload, ctx: RenderContext): ChannelProblem[] {
  const problems: ChannelProblem[] = [];
  const subject = String(payload.body.subject ?? '');
  if ([...subject].length > SUBJECT_MAX) {
    problems.push({
      channel: 'email', severity: 'warning', rule: 'email-subject-length', field: 'subject', ...campaignKeyPlace(ctx.campaign, 'title'),
      message: channelMessages().emailSubject([...subject].length, SUBJECT_MAX),
    });
  }
  const slots = (payload.body as unknown as EmailBody).slots;
  for (const part of ['html', 'text'] as const) {
    const text = String(payload.body[part] ?? '');
    if (!slots?.[part].some(([at, kind]) => kind === 'unsubscribe' && text.startsWith(UNSUBSCRIBE_TOKEN, at))) {
      problems.push({
        channel: 'email', severity: 'error', rule: 'email-unsubscribe-link', field: part, file: `templates/email/${part === 'html' ? 'message.hbs' : 'message.txt.hbs'}`,
        message: channelMessages().emailUnsubscribe(part),
      });
    }
  }
  return problems;
}

/**
 * The markers the templates' `{{unsubscribe_url}}` and `{{recipient_name}}`
 * write: letters and digits (untouched by HTML escaping and by juice), with a
 * hash of the content and the templates in them, which the content cannot
 * contain (it would have to hold a hash of itself).
 */
function slotMarkers(ctx: RenderContext): Record<SlotKind, string> {
  const nonce = sha256(`email-slots\0${ctx.campaign.contentHash}\0${ctx.renderer.templatesHash}`).slice(0, 32);
  return { name: `slotname${nonce}x`, unsubscribe: `slotunsubscribe${nonce}x` };
}

function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
