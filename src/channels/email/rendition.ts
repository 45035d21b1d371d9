/**
 * E-mail rendition: one `message` payload per occurrence, holding every
 * advisory it carries. HTML (table layout, styles inlined by juice) and plain
 * text carry the literal placeholders of personalize.ts, filled per recipient
 * at send time, so one approved body serves every subscriber.
 */
import juice from 'juice';
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import { campaignView } from '../../render/view.js';
import { campaignKeyPlace } from '../../render/positions.js';
import { RECIPIENT_NAME_TOKEN, UNSUBSCRIBE_TOKEN, type EmailBody } from './personalize.js';

const PREHEADER_MAX = 90;
const SUBJECT_MAX = 78;

export function render(ctx: RenderContext): Payload[] {
  const { renderer } = ctx;
  const view = campaignView(renderer, ctx.site, ctx.campaign, ctx.advisories, ctx.occurrence);
  const subject =
    view.advisories.length === 1 ? `${view.campaign.title}：${view.advisories[0].title}` : view.campaign.title;
  const preheader = cut(view.campaign.summary, PREHEADER_MAX);
  const data = { ...view, subject, preheader, unsubscribe_url: UNSUBSCRIBE_TOKEN, recipient_name: RECIPIENT_NAME_TOKEN };
  const html = juice.inlineContent(renderer.template('email', 'message', data), renderer.asset('email', 'style.css'), {
    applyWidthAttributes: false,
    preserveMediaQueries: true,
    removeStyleTags: true,
  });
  const text = renderer.template('email', 'message.txt', data).replace(/\n{3,}/g, '\n\n').trim() + '\n';
  const body: EmailBody = { subject, preheader, html, text, listUnsubscribe: true };
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
      message: `subject is ${[...subject].length} characters; many mail clients cut subjects after about ${SUBJECT_MAX}. Shorten the campaign's title.`,
    });
  }
  for (const part of ['html', 'text'] as const) {
    if (!String(payload.body[part] ?? '').includes(UNSUBSCRIBE_TOKEN)) {
      problems.push({
        channel: 'email', severity: 'error', rule: 'email-unsubscribe-link', field: part, file: `templates/email/${part === 'html' ? 'message.hbs' : 'message.txt.hbs'}`,
        message: `the ${part} part has no unsubscribe link; every message must carry one. Keep {{{unsubscribe_url}}} in the template.`,
      });
    }
  }
  return problems;
}

function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
